import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestApp, registerHolder, VENUE_ID, type TestApp } from '../../../test/support/app.ts';
import { DIALECTS } from '../../../test/support/db.ts';
import { staffMember, type TestStaff } from '../../../test/support/staff.ts';
import { districts, insideRing, venuePoint } from './geo.ts';

const M = 60_000;
const REASON = 'console test: weekly outbreak review';

describe('the demo city map', () => {
  it('every district has a polygon, and a venue point is stable and inside its district', () => {
    const map = districts();
    expect(map.features.map((f) => f.properties.code).sort()).toEqual(['CN-LX-01', 'CN-LX-02', 'CN-LX-03', 'CN-LX-04', 'CN-LX-05', 'CN-LX-06']);
    for (const f of map.features) {
      for (let i = 1; i <= 40; i++) {
        const id = `V${String(i).padStart(4, '0')}`;
        const p = venuePoint(id, f.properties.code)!;
        expect(insideRing(p.lon, p.lat, f.geometry.coordinates[0]!)).toBe(true);
        expect(venuePoint(id, f.properties.code)).toEqual(p);
      }
    }
    expect(venuePoint('V0001', 'XX-00')).toBeNull();
  });
});

describe.each(DIALECTS)('console endpoints on %s', (dialect) => {
  let t: TestApp;
  let official: TestStaff;
  let auditor: TestStaff;
  let operator: TestStaff;
  const holders: { id: string; idNumber: string; cookie: string }[] = [];

  const get = (who: TestStaff, url: string) => t.app.inject({ method: 'GET', url, headers: { cookie: who.cookie } });
  const post = (who: TestStaff, url: string, payload: unknown) =>
    t.app.inject({ method: 'POST', url, headers: { cookie: who.cookie, 'content-type': 'application/json' }, payload: JSON.stringify(payload) });
  const q = (o: Record<string, string | number>) => new URLSearchParams(Object.entries(o).map(([k, v]) => [k, String(v)])).toString();

  async function scan(holderId: string, at: number) {
    await t.deps.store.db
      .insertInto('scans')
      .values({
        event_id: crypto.randomUUID(),
        venue_id: VENUE_ID,
        operator_id: 'staff-op-1',
        holder_id: holderId,
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
        fingerprint: crypto.randomUUID(),
      })
      .execute();
  }

  beforeAll(async () => {
    t = await makeTestApp({ dialect, now: '2026-11-20T02:00:00.000Z', config: { sessionHours: 24 * 30 } });
    official = await staffMember(t, 'official');
    auditor = await staffMember(t, 'auditor');
    operator = await staffMember(t, 'checkpoint_operator');
    for (let i = 0; i < 3; i++) {
      const h = await registerHolder(t.app);
      holders.push({ id: h.holder.id, idNumber: h.body.idNumber, cookie: h.cookie });
    }
    // day 2: all three at the same venue for an hour; day 3: the first one's positive PCR
    t.clock.set(new Date('2026-11-21T02:00:00.000Z'));
    const at = Date.parse('2026-11-21T01:00:00.000Z');
    for (const h of holders) await scan(h.id, at);
    t.clock.set(new Date('2026-11-22T02:00:00.000Z'));
    const lab = await post(official, '/api/official/lab-results', { idNumber: holders[0]!.idNumber, kind: 'pcr', result: 'positive', sampledAt: '2026-11-21T23:00:00.000Z', lab: 'Lanxi CDC lab' });
    expect(lab.statusCode, lab.body).toBe(201);
    expect(lab.json().casesConfirmed).toHaveLength(1);
    t.clock.set(new Date('2026-11-22T03:00:00.000Z'));
  });
  afterAll(async () => {
    await t?.close();
  });

  it('dashboard: colour mix per day from the status events, scans per day, the epidemic curve', async () => {
    const res = await get(official, '/api/console/dashboard?days=4');
    expect(res.statusCode, res.body).toBe(200);
    const d = res.json();
    expect(d.days).toEqual(['2026-11-19', '2026-11-20', '2026-11-21', '2026-11-22']);
    // registered on the 20th (Shanghai): nobody before, three green after; today one case (red) and two contacts (red)
    expect(d.colours.green).toEqual([0, 3, 3, 0]);
    expect(d.colours.red).toEqual([0, 0, 0, 3]);
    expect(d.current).toMatchObject({ red: 3, green: 0, total: 3 });
    expect(d.scans.total).toEqual([0, 0, 3, 0]);
    expect(d.scans.passes).toEqual([0, 0, 3, 0]);
    expect(d.cases.confirmed).toEqual([0, 0, 0, 1]);
    // sampled 23:00 UTC on the 21st = the 22nd in Shanghai
    expect(d.cases.byOnset).toEqual([0, 0, 0, 1]);
    // the auditor sees the aggregates too; a checkpoint operator does not
    expect((await get(auditor, '/api/console/dashboard')).statusCode).toBe(200);
    expect((await get(operator, '/api/console/dashboard')).statusCode).toBe(403);
  });

  it('map: six districts, venues with points, the scans of the last 7 days, and risk areas', async () => {
    const decl = await post(official, '/api/official/risk-areas', { region: 'CN-LX-01', level: 'high', startsAt: '2026-11-22T00:00:00.000Z', reason: 'cluster at Wanbo Plaza' });
    expect(decl.statusCode, decl.body).toBe(201);
    const res = await get(official, '/api/console/map');
    expect(res.statusCode).toBe(200);
    const m = res.json();
    expect(m.districts.features).toHaveLength(6);
    const v = m.venues.find((x: { id: string }) => x.id === VENUE_ID);
    expect(v).toMatchObject({ region: 'CN-LX-01', scans7d: 3 });
    expect(typeof v.lat).toBe('number');
    expect(v.riskAreas).toEqual([decl.json().area.id]);
    expect(m.riskAreas.map((a: { id: string }) => a.id)).toContain(decl.json().area.id);
  });

  it('cases and the contact graph: a reason is required, and every holder named is audited with it', async () => {
    expect((await get(official, '/api/console/cases')).statusCode).toBe(400);
    expect((await get(auditor, `/api/console/cases?${q({ reason: REASON })}`)).statusCode).toBe(403);
    const list = await get(official, `/api/console/cases?${q({ reason: REASON, pageSize: 10 })}`);
    expect(list.statusCode, list.body).toBe(200);
    const l = list.json();
    expect(l.total).toBe(1);
    expect(l.items[0]).toMatchObject({ holderId: holders[0]!.id, lastTrace: { closeContacts: 2 } });
    expect(l.items[0].maskedName).toMatch(/\*/);
    const caseId = l.items[0].id as string;

    const g = await get(official, `/api/console/cases/${caseId}/graph?${q({ reason: REASON })}`);
    expect(g.statusCode, g.body).toBe(200);
    const graph = g.json().graph;
    expect(graph.nodes.map((n: { kind: string }) => n.kind).sort()).toEqual(['case', 'close', 'close', 'venue']);
    expect(graph.edges.filter((e: { kind: string }) => e.kind === 'close')).toHaveLength(2);
    expect(graph.edges.filter((e: { kind: string }) => e.kind === 'visit')).toHaveLength(1);

    const audited = await t.deps.store.db.selectFrom('audit_log').select(['action', 'subject_id', 'reason']).where('action', 'like', 'console.%').execute();
    expect(audited.filter((a) => a.action === 'console.cases.read').map((a) => a.subject_id)).toEqual([holders[0]!.id]);
    expect(audited.filter((a) => a.action === 'console.case_graph.read').map((a) => a.subject_id).sort()).toEqual(holders.map((h) => h.id).sort());
    expect(new Set(audited.map((a) => a.reason))).toEqual(new Set([REASON]));
    expect((await get(official, `/api/console/cases/nope/graph?${q({ reason: REASON })}`)).statusCode).toBe(404);
  });

  it('lab-result queue: filtered and paged server-side; a pending upload is verified through the review route', async () => {
    const h = await registerHolder(t.app);
    for (const sampledAt of ['2026-11-21T08:00:00.000Z', '2026-11-21T09:00:00.000Z', '2026-11-21T10:00:00.000Z']) {
      const up = await t.app.inject({ method: 'POST', url: '/api/holder/lab-results', headers: { cookie: h.cookie }, payload: { kind: 'antigen', result: 'negative', sampledAt, lab: 'home test' } });
      expect(up.statusCode, up.body).toBe(201);
    }
    const page1 = (await get(official, `/api/console/lab-results?${q({ reason: REASON, review: 'pending', pageSize: 2 })}`)).json();
    expect(page1.total).toBe(3);
    expect(page1.items).toHaveLength(2);
    const page2 = (await get(official, `/api/console/lab-results?${q({ reason: REASON, review: 'pending', pageSize: 2, page: 2 })}`)).json();
    expect(page2.items).toHaveLength(1);
    expect(new Set([...page1.items, ...page2.items].map((x: { id: string }) => x.id)).size).toBe(3);
    const all = (await get(official, `/api/console/lab-results?${q({ reason: REASON, kind: 'pcr' })}`)).json();
    expect(all.total).toBe(1);
    expect(all.items[0]).toMatchObject({ result: 'positive', review: 'verified' });

    const rev = await post(official, `/api/official/lab-results/${page1.items[0].id}/review`, { decision: 'verified' });
    expect(rev.statusCode, rev.body).toBe(200);
    expect((await get(official, `/api/console/lab-results?${q({ reason: REASON, review: 'pending' })}`)).json().total).toBe(2);
  });

  it('appeals and overrides queues: paged, filtered by status, audited', async () => {
    const h = { holder: holders[2]!, cookie: holders[2]!.cookie }; // red: a close contact
    const ap = await t.app.inject({ method: 'POST', url: '/api/holder/appeals', headers: { cookie: h.cookie }, payload: { text: 'I was never at that place, please check again.' } });
    expect(ap.statusCode, ap.body).toBe(201);
    const appeals = (await get(official, `/api/console/appeals?${q({ reason: REASON, status: 'open' })}`)).json();
    expect(appeals.total).toBe(1);
    expect(appeals.items[0]).toMatchObject({ holderId: h.holder.id, status: 'open', overdue: false });
    t.clock.advance(72 * 60 * M);
    expect((await get(official, `/api/console/appeals?${q({ reason: REASON, overdue: 'true' })}`)).json().total).toBe(1);
    const ov = (await get(official, `/api/console/overrides?${q({ reason: REASON, status: 'proposed' })}`)).json();
    expect(ov).toMatchObject({ total: 0, items: [], page: 1 });
  });

  it('casework: a holder found by ID number (audited with the reason, found or not), an override proposed and approved by two different people, named in the queue', async () => {
    const supervisor = await staffMember(t, 'supervisor');
    const target = holders[1]!;
    expect((await post(official, '/api/console/holders/find', { idNumber: target.idNumber })).statusCode).toBe(400);
    expect((await post(auditor, '/api/console/holders/find', { idNumber: target.idNumber, reason: REASON })).statusCode).toBe(403);
    const found = await post(official, '/api/console/holders/find', { idNumber: ` ${target.idNumber.toLowerCase()} `, reason: REASON });
    expect(found.statusCode, found.body).toBe(200);
    expect(found.json().holder).toMatchObject({ id: target.id, colour: 'red', idLast4: target.idNumber.slice(-4).toUpperCase() });
    expect(found.json().holder.maskedName).toMatch(/\*/);
    const missing = await post(official, '/api/console/holders/find', { idNumber: '000000000000000000', reason: REASON });
    expect(missing.statusCode).toBe(404);
    const lookups = await t.deps.store.db.selectFrom('audit_log').select(['subject_id', 'reason', 'detail']).where('action', '=', 'console.holder_lookup').orderBy('seq').execute();
    expect(lookups.map((l) => [l.subject_id, l.reason])).toEqual([
      [target.id, REASON],
      [null, REASON],
    ]);
    expect(JSON.stringify(lookups)).not.toContain(target.idNumber);

    // the official proposes; the queue names both people of the four-eyes rule
    const until = new Date(t.clock.now().getTime() + 3 * 86_400_000).toISOString();
    const prop = await post(official, '/api/official/overrides', { holderId: target.id, colour: 'green', reasonCode: 'exposure_disproved', note: 'CCTV shows the holder left before the case arrived.', until });
    expect(prop.statusCode, prop.body).toBe(201);
    const id = prop.json().override.id as string;
    const mine = (await get(official, `/api/console/overrides?${q({ reason: REASON, mine: 'true' })}`)).json();
    expect(mine.total).toBe(1);
    expect(mine.items[0]).toMatchObject({ id, proposedBy: official.id, proposedByName: official.username, decidedByName: null, status: 'proposed' });
    expect((await get(supervisor, `/api/console/overrides?${q({ reason: REASON, mine: 'true' })}`)).json().total).toBe(0);
    expect((await post(official, `/api/official/overrides/${id}/approve`, {})).statusCode).toBe(403);
    const ok = await post(supervisor, `/api/official/overrides/${id}/approve`, { note: 'evidence checked' });
    expect(ok.statusCode, ok.body).toBe(200);
    const approved = (await get(official, `/api/console/overrides?${q({ reason: REASON, status: 'approved' })}`)).json();
    expect(approved.items[0]).toMatchObject({ id, status: 'approved', inForce: true, proposedByName: official.username, decidedByName: supervisor.username });
    const status = (await t.app.inject({ method: 'GET', url: '/api/holder/status', headers: { cookie: target.cookie } })).json().assessment;
    expect(status.colour).toBe('green');
  });

  it('audit viewer: auditors only, newest first, filtered, keyset pages', async () => {
    expect((await get(official, '/api/console/audit')).statusCode).toBe(403);
    const first = (await get(auditor, `/api/console/audit?${q({ action: 'console.', pageSize: 3 })}`)).json();
    expect(first.total).toBeGreaterThan(3);
    expect(first.items).toHaveLength(3);
    expect(first.items[0].seq).toBeGreaterThan(first.items[2].seq);
    expect(first.items.every((e: { action: string }) => e.action.startsWith('console.'))).toBe(true);
    const second = (await get(auditor, `/api/console/audit?${q({ action: 'console.', pageSize: 3, before: first.next })}`)).json();
    expect(second.items[0].seq).toBeLessThan(first.items[2].seq);
    const bySubject = (await get(auditor, `/api/console/audit?${q({ subjectId: holders[1]!.id })}`)).json();
    expect(bySubject.items.length).toBeGreaterThan(0);
    expect(bySubject.items.every((e: { subject: { id: string } }) => e.subject.id === holders[1]!.id)).toBe(true);
  });
});
