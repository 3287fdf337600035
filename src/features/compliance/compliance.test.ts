import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../../../test/support/db.ts';
import { makeTestApp, registerHolder, OTHER_VENUE_ID, VENUE_ID, type TestApp } from '../../../test/support/app.ts';
import { staffMember, type TestStaff } from '../../../test/support/staff.ts';
import { nextDate, startOfLocalDate } from '../../core/time/zones.ts';
import type { ScanTable } from '../../db/schema.ts';
import { median, trendOf } from './service.ts';

const M = 60_000;
const ZONE = 'Asia/Shanghai';
const FIRST_DAY = '2026-11-03';
const LAST_DAY = '2026-11-22'; // "yesterday" at T0 = 2026-11-23 16:00 local
const SKIP_FROM = '2026-11-20';

describe('compliance arithmetic', () => {
  it('median and trend', () => {
    expect(median([])).toBeNull();
    expect(median([5, 1, 3])).toBe(3);
    expect(median([1, 2, 3, 10])).toBe(3);
    const flat = Array.from({ length: 14 }, () => ({ scans: 20, expected: 20 }));
    expect(trendOf(flat)).toBe('steady');
    expect(trendOf([...flat.slice(0, 7), ...Array.from({ length: 7 }, (_, i) => ({ scans: i < 4 ? 20 : 0, expected: 20 }))])).toBe('worsening');
    expect(trendOf([...Array.from({ length: 7 }, () => ({ scans: 5, expected: 20 })), ...flat.slice(0, 7)])).toBe('improving');
    expect(trendOf(flat.slice(0, 3))).toBe('unknown');
  });
});

describe.each(DIALECTS)('venue compliance on %s', (dialect) => {
  let t: TestApp;
  let official: TestStaff;
  const city = Array.from({ length: 8 }, (_, i) => ({ id: `CV${i + 1}`, kind: i % 2 ? 'restaurant' : 'supermarket', region: i < 4 ? 'CN-LX-01' : 'CN-LX-02' }));
  const skipping = new Set(['CV2', 'CV5', 'CV7']);

  beforeAll(async () => {
    t = await makeTestApp({ dialect, config: { sessionHours: 24 * 30 } });
    official = await staffMember(t, 'official');
    const db = t.deps.store.db;
    const created = Date.parse('2026-10-01T00:00:00Z');
    await db
      .insertInto('venues')
      .values(city.map((v) => ({ id: v.id, name: `Venue ${v.id}`, kind: v.kind, region: v.region, address: `${v.id} Road`, created_at: created })))
      .execute();
    // a seeded city: every venue scans 20-32 people a day (more at weekends); three stop scanning from SKIP_FROM
    const rows: ScanTable[] = [];
    let seq = 0;
    for (let day = FIRST_DAY; day <= LAST_DAY; day = nextDate(day)) {
      const noon = startOfLocalDate(day, ZONE).getTime() + 12 * 60 * M;
      const weekend = [0, 6].includes(new Date(`${day}T00:00:00Z`).getUTCDay());
      city.forEach((v, i) => {
        const n = skipping.has(v.id) && day >= SKIP_FROM ? (i % 2) : 20 + (weekend ? 10 : 0) + (i % 3);
        for (let k = 0; k < n; k++) {
          const at = noon + (k - 10) * 10 * M;
          seq++;
          rows.push({
            event_id: crypto.randomUUID(),
            venue_id: v.id,
            operator_id: 'staff-op-1',
            holder_id: null,
            code_id: null,
            scanned_at: at,
            received_at: at,
            mode: 'camera',
            direction: null,
            temperature_c: null,
            verdict_ok: 1,
            verdict_error: null,
            verdict_colour: 'green',
            verdict: '{}',
            fingerprint: String(seq),
          });
        }
      });
    }
    for (let i = 0; i < rows.length; i += 500) {
      const chunk = rows.slice(i, i + 500);
      await db.insertInto('scans').values(chunk).execute();
      await db.insertInto('scan_event_ids').values(chunk.map((r) => ({ event_id: r.event_id, scanned_at: r.scanned_at }))).execute();
    }
  }, 120_000);
  afterAll(async () => {
    await t.close();
  });

  const as = (who: { cookie: string }, method: 'GET' | 'POST', url: string, payload?: unknown) =>
    t.app.inject({ method, url, headers: { cookie: who.cookie }, ...(payload === undefined ? {} : { payload: payload as object }) });

  it('the daily job flags the venues that stopped scanning, and only them, with the declared and learned expectation and a trend', async () => {
    // declared at registration: the venue manager for their own venue, an official for the rest
    const manager = await staffMember(t, 'venue_manager');
    expect((await as(manager, 'POST', `/api/venue/venues/CV1/footfall`, { declaredDaily: 20 })).statusCode).toBe(403);
    expect((await as(manager, 'POST', `/api/venue/venues/${VENUE_ID}/footfall`, { declaredDaily: 0 })).statusCode).toBe(204);
    for (const v of city) expect((await as(official, 'POST', `/api/official/venues/${v.id}/footfall`, { declaredDaily: 20 })).statusCode).toBe(204);
    expect((await as(official, 'POST', `/api/official/venues/NOPE/footfall`, { declaredDaily: 20 })).json().error.code).toBe('unknown_venue');

    const run = await as(official, 'POST', '/api/official/compliance/run', {});
    expect(run.statusCode).toBe(200);
    const result = run.json();
    expect(result.days).toHaveLength(20);
    expect(result.days[0]).toBe(FIRST_DAY);
    expect(result.days.at(-1)).toBe(LAST_DAY);
    expect([...result.flagged[LAST_DAY]].sort()).toEqual([...skipping].sort());
    // across the whole history, only the skipping venues were ever flagged, and only from the day they stopped
    const db = t.deps.store.db;
    const flags = await db.selectFrom('venue_flags').select(['venue_id', 'day']).where('kind', '=', 'low_scans').execute();
    expect(new Set(flags.map((f) => f.venue_id))).toEqual(skipping);
    expect(flags.every((f) => f.day >= SKIP_FROM)).toBe(true);
    expect(flags).toHaveLength(9);

    // idempotent: a second run recomputes yesterday and changes nothing
    await as(official, 'POST', '/api/official/compliance/run', {});
    expect(await db.selectFrom('venue_flags').select('id').where('kind', '=', 'low_scans').execute()).toHaveLength(9);

    // console: ranked lowest first, filters by kind and district, both expectations shown
    const ranked = (await as(official, 'GET', '/api/official/compliance/venues')).json().venues;
    expect(new Set(ranked.slice(0, 3).map((v: { venueId: string }) => v.venueId))).toEqual(skipping);
    const cv1 = ranked.find((v: { venueId: string }) => v.venueId === 'CV1');
    expect(cv1).toMatchObject({ declared: 20, flagged: false, trend: 'steady', flaggedDays7: 0 });
    expect(cv1.learned).toBeGreaterThanOrEqual(20);
    const cv2 = ranked.find((v: { venueId: string }) => v.venueId === 'CV2');
    expect(cv2).toMatchObject({ flagged: true, trend: 'worsening', flaggedDays7: 3, scans: 1 });
    const restaurants = (await as(official, 'GET', '/api/official/compliance/venues?kind=restaurant')).json().venues;
    expect(restaurants.every((v: { kind: string }) => v.kind === 'restaurant')).toBe(true);
    expect(restaurants.filter((v: { flagged: boolean }) => v.flagged).map((v: { venueId: string }) => v.venueId).sort()).toEqual(['CV2']);
    const district = (await as(official, 'GET', '/api/official/compliance/venues?region=CN-LX-02')).json().venues;
    expect(district.filter((v: { flagged: boolean }) => v.flagged).map((v: { venueId: string }) => v.venueId).sort()).toEqual(['CV5', 'CV7']);
    expect((await as(official, 'GET', '/api/official/compliance/venues?kind=spaceport')).statusCode).toBe(400);

    // paged and filtered in the store: the pages, put together, are the whole ranking, in order
    const all = (await as(official, 'GET', '/api/official/compliance/venues')).json();
    expect(all.total).toBe(city.length + 2); // the test app's two venues too
    expect(all.minPercent).toBe(t.deps.config.complianceMinPercent);
    const paged: { venueId: string }[] = [];
    for (let offset = 0; offset < all.total; offset += 3) {
      const p = (await as(official, 'GET', `/api/official/compliance/venues?limit=3&offset=${offset}`)).json();
      expect(p).toMatchObject({ total: all.total, offset, limit: 3 });
      paged.push(...p.venues);
    }
    expect(paged.map((v) => v.venueId)).toEqual(all.venues.map((v: { venueId: string }) => v.venueId));
    // lowest percent first, venues without an expectation last
    const pcts = all.venues.map((v: { percent: number | null }) => v.percent);
    const known = pcts.filter((p: number | null) => p !== null);
    expect(known).toEqual([...known].sort((a, b) => a - b));
    expect(pcts.slice(known.length).every((p: number | null) => p === null)).toBe(true);
    const flaggedOnly = (await as(official, 'GET', '/api/official/compliance/venues?flagged=true&limit=2')).json();
    expect(flaggedOnly.total).toBe(3);
    expect(flaggedOnly.venues.map((v: { venueId: string }) => v.venueId)).toEqual(ranked.slice(0, 2).map((v: { venueId: string }) => v.venueId));
    const flaggedRestaurants = (await as(official, 'GET', '/api/official/compliance/venues?flagged=true&kind=restaurant&region=CN-LX-01')).json();
    expect(flaggedRestaurants.venues.map((v: { venueId: string }) => v.venueId)).toEqual(['CV2']);
    expect((await as(official, 'GET', '/api/official/compliance/venues?offset=-1')).statusCode).toBe(400);
    expect((await as(official, 'GET', `/api/official/compliance/venues?offset=${all.total}`)).json()).toMatchObject({ total: all.total, venues: [] });

    // drill-down: the daily series for the chart
    const drillRes = await as(official, 'GET', '/api/official/compliance/venues/CV5?days=28');
    expect(drillRes.statusCode, drillRes.body).toBe(200);
    const drill = drillRes.json();
    expect(drill.series).toHaveLength(20);
    expect(drill.series.at(-1)).toMatchObject({ day: LAST_DAY, scans: 0, flagged: true, declared: 20 });
    expect(drill.series.filter((d: { flagged: boolean }) => d.flagged).map((d: { day: string }) => d.day)).toEqual(['2026-11-20', '2026-11-21', '2026-11-22']);
    expect(drill.flags.map((f: { kind: string }) => f.kind)).toEqual(['low_scans', 'low_scans', 'low_scans']);
    // the venue itself, as ranked, with the footfall declared now
    expect(drill.venue).toMatchObject({ venueId: 'CV5', name: 'Venue CV5', kind: 'supermarket', region: 'CN-LX-02', address: 'CV5 Road', declaredNow: 20, flagged: true, trend: 'worsening', flaggedDays7: 3 });
    expect(drill.venue).toEqual({ ...ranked.find((v: { venueId: string }) => v.venueId === 'CV5'), address: 'CV5 Road', declaredNow: 20 });
    expect((await as(official, 'GET', '/api/official/compliance/venues/NOPE')).json().error.code).toBe('unknown_venue');
  });

  it('an interview route flags the venue visited without a scan, and tracing falls back to everyone scanned there then', async () => {
    const db = t.deps.store.db;
    const a = await registerHolder(t.app); // the case
    const b = await registerHolder(t.app); // at the unscanned venue while the case was there
    const now = t.clock.now().getTime();
    const visit = now - 26 * 60 * M;
    const scan = async (holderId: string, venueId: string, at: number) => {
      const id = crypto.randomUUID();
      await db
        .insertInto('scans')
        .values({ event_id: id, venue_id: venueId, operator_id: 'staff-op-1', holder_id: holderId, code_id: null, scanned_at: at, received_at: at, mode: 'camera', direction: null, temperature_c: null, verdict_ok: 1, verdict_error: null, verdict_colour: 'green', verdict: '{}', fingerprint: id })
        .execute();
      await db.insertInto('scan_event_ids').values({ event_id: id, scanned_at: at }).execute();
    };
    await scan(a.holder.id, VENUE_ID, visit - 3 * 60 * M); // the case was scanned at Wanbo Plaza
    await scan(b.holder.id, OTHER_VENUE_ID, visit + 5 * M); // b at RT-Mart, where the case was not scanned
    const labId = crypto.randomUUID();
    await db
      .insertInto('lab_results')
      .values({ id: labId, holder_id: a.holder.id, kind: 'pcr', result: 'positive', sampled_at: now - 2 * 60 * M, reported_at: now - 60 * M, verified: 1, review: 'verified', lab: 'CDC', source: 'official', external_id: null, created_at: now })
      .execute();
    const confirmed = await as(official, 'POST', '/api/official/cases', { labResultId: labId, trace: true });
    expect(confirmed.statusCode).toBe(201);
    const caseId = confirmed.json().case.id;
    expect(confirmed.json().trace.contacts).toEqual([]);

    const iso = (ms: number) => new Date(ms).toISOString();
    const route = await as(official, 'POST', `/api/official/cases/${caseId}/route`, {
      visits: [
        { venueId: VENUE_ID, from: iso(visit - 3 * 60 * M), to: iso(visit - 2 * 60 * M) },
        { venueId: OTHER_VENUE_ID, from: iso(visit), to: iso(visit + 60 * M) },
      ],
    });
    expect(route.statusCode).toBe(200);
    expect(route.json().visits.map((v: { matched: boolean }) => v.matched)).toEqual([true, false]);
    expect(route.json().flaggedVenues).toEqual([OTHER_VENUE_ID]);
    const missed = await db.selectFrom('venue_flags').selectAll().where('kind', '=', 'missed_case_visit').execute();
    expect(missed.map((f) => [f.venue_id, f.case_id])).toEqual([[OTHER_VENUE_ID, caseId]]);

    const traced = await as(official, 'POST', `/api/official/cases/${caseId}/trace`, {});
    expect(traced.statusCode).toBe(200);
    expect(traced.json().contacts.map((c: { holderId: string; kind: string }) => [c.holderId, c.kind])).toEqual([[b.holder.id, 'close']]);
    const status = (await t.app.inject({ method: 'GET', url: '/api/holder/status', headers: { cookie: b.cookie } })).json().assessment;
    expect(status.colour).toBe('red');

    // bad input: unknown venue, reversed times, unknown case — refused, nothing written
    const before = (await db.selectFrom('case_route_visits').select('id').execute()).length;
    expect((await as(official, 'POST', `/api/official/cases/${caseId}/route`, { visits: [{ venueId: 'NOPE', from: iso(visit), to: iso(visit + M) }] })).json().error.code).toBe('unknown_venue');
    expect((await as(official, 'POST', `/api/official/cases/${caseId}/route`, { visits: [{ venueId: VENUE_ID, from: iso(visit + M), to: iso(visit) }] })).json().error.code).toBe('invalid_date');
    expect((await as(official, 'POST', `/api/official/cases/no-such-case/route`, { visits: [{ venueId: VENUE_ID, from: iso(visit), to: iso(visit + M) }] })).statusCode).toBe(404);
    expect((await db.selectFrom('case_route_visits').select('id').execute()).length).toBe(before);
    // the console shows the missed visit against the venue
    const ranked = (await as(official, 'GET', '/api/official/compliance/venues')).json().venues;
    expect(ranked.find((v: { venueId: string }) => v.venueId === OTHER_VENUE_ID).missedCaseVisits).toBe(1);
  });

  it('compliance notices: issued by an official, seen and acknowledged by the venue manager, counted (issued, acknowledged, overdue) in the console and in aggregate publicly', async () => {
    const manager = await staffMember(t, 'venue_manager'); // manages VENUE_ID
    const deadline = new Date(t.clock.now().getTime() + 2 * 86_400_000).toISOString();
    const n1 = await as(official, 'POST', `/api/official/venues/${VENUE_ID}/compliance-notices`, { text: 'Scan every visitor at every entrance.', deadline });
    expect(n1.statusCode).toBe(201);
    expect(n1.json()).toMatchObject({ status: 'open', venueId: VENUE_ID });
    const n2 = await as(official, 'POST', `/api/official/venues/${VENUE_ID}/compliance-notices`, { text: 'Second notice: staff the north gate.', deadline: new Date(t.clock.now().getTime() + 3_600_000).toISOString() });
    await as(official, 'POST', `/api/official/venues/CV2/compliance-notices`, { text: 'You stopped scanning on 20 November.', deadline });
    expect((await as(official, 'POST', `/api/official/venues/${VENUE_ID}/compliance-notices`, { text: 'Too late', deadline: new Date(t.clock.now().getTime() - 1000).toISOString() })).json().error.code).toBe('invalid_date');

    const mine = (await as(manager, 'GET', '/api/venue/compliance-notices')).json().notices;
    expect(mine.map((n: { id: string }) => n.id).sort()).toEqual([n1.json().id, n2.json().id].sort());
    const ack = await as(manager, 'POST', `/api/venue/compliance-notices/${n1.json().id}/acknowledge`, {});
    expect(ack.statusCode).toBe(200);
    expect(ack.json().status).toBe('acknowledged');
    expect((await as(manager, 'POST', `/api/venue/compliance-notices/${n1.json().id}/acknowledge`, {})).json().error.code).toBe('notice_already_acknowledged');
    // another venue's notice is not theirs to acknowledge
    const cv2Notice = (await as(official, 'GET', '/api/official/compliance/notices')).json().notices.find((n: { venueId: string }) => n.venueId === 'CV2');
    expect((await as(manager, 'POST', `/api/venue/compliance-notices/${cv2Notice.id}/acknowledge`, {})).statusCode).toBe(404);

    t.clock.advance(2 * 3_600_000); // n2's deadline passes
    const ranked = (await as(official, 'GET', '/api/official/compliance/venues')).json().venues;
    expect(ranked.find((v: { venueId: string }) => v.venueId === VENUE_ID).notices).toEqual({ issued: 2, acknowledged: 1, overdue: 1 });
    // the console's list: paged, filtered by status and venue, with the venue's name and the counts of all notices
    const list = (q: string) => as(official, 'GET', `/api/official/compliance/notices${q}`).then((r) => r.json());
    const everything = await list('');
    expect(everything.total).toBe(3);
    expect(everything.counts).toEqual({ issued: 3, acknowledged: 1, overdue: 1 });
    expect(everything.notices.find((n: { venueId: string }) => n.venueId === 'CV2').venueName).toBe('Venue CV2');
    expect((await list('?status=overdue')).notices.map((n: { id: string }) => n.id)).toEqual([n2.json().id]);
    expect((await list('?status=acknowledged')).notices.map((n: { id: string }) => n.id)).toEqual([n1.json().id]);
    expect((await list('?status=open')).notices.map((n: { venueId: string; status: string }) => [n.venueId, n.status])).toEqual([['CV2', 'open']]);
    const byVenue = await list(`?venueId=${VENUE_ID}&limit=1`);
    expect(byVenue.total).toBe(2);
    expect(byVenue.counts.issued).toBe(3);
    expect(byVenue.notices).toHaveLength(1);
    const second = await list(`?venueId=${VENUE_ID}&limit=1&offset=1`);
    expect(new Set([byVenue.notices[0].id, second.notices[0].id])).toEqual(new Set([n1.json().id, n2.json().id]));
    expect((await as(official, 'GET', '/api/official/compliance/notices?status=lost')).statusCode).toBe(400);
    const pub = await t.app.inject({ method: 'GET', url: '/api/public/compliance' });
    expect(pub.statusCode).toBe(200);
    expect(pub.json()).toMatchObject({ day: LAST_DAY, flaggedVenues: 3, missedCaseVisits: 1, notices: { issued: 3, acknowledged: 1, overdue: 1 } });
    expect(pub.body).not.toContain('CV2');
  });
});
