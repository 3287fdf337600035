// A holder's check-in by scanning a venue poster: stored once as a scan of that holder at that
// venue, seen by the venue's counts and by contact tracing; unknown venues and reused event ids refused.
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../../../test/support/db.ts';
import { makeTestApp, OTHER_VENUE_ID, registerHolder, VENUE_ID, type TestApp } from '../../../test/support/app.ts';
import { createSession } from '../auth/sessions.ts';
import { hashPassword } from '../auth/passwords.ts';
import { insertStaff } from '../staff/repository.ts';
import { dailyCounts } from '../venues/routes.ts';
import { SELF_CHECK_IN_MODE } from './service.ts';

const M = 60_000;
const T = Date.parse('2026-11-23T08:00:00.000Z');

describe.each(DIALECTS)('holder venue check-ins on %s', (dialect) => {
  let t: TestApp;
  let official: string;

  beforeAll(async () => {
    t = await makeTestApp({ dialect, config: { sessionHours: 24 * 30 } });
    const db = t.deps.store.db;
    await insertStaff(db, { id: 'staff-official-v', username: 'official-v', display_name: 'Official', role: 'official', password_hash: await hashPassword('x-unused-password'), created_at: T } as never);
    const s = await createSession(db, 'staff', 'staff-official-v', t.clock.now(), 24 * 30, t.deps.random);
    official = `hc_staff=${s.token}`;
  });
  afterAll(async () => {
    await t.close();
  });

  const db = () => t.deps.store.db;
  const checkIn = (cookie: string | null, payload: unknown) =>
    t.app.inject({ method: 'POST', url: '/api/holder/venue-visits', headers: cookie ? { cookie } : {}, payload: payload as object });

  it('stores a check-in as a scan of the holder at the venue, once per event id, with the colour at that moment', async () => {
    t.clock.set(new Date(T));
    const h = await registerHolder(t.app);
    const eventId = crypto.randomUUID();
    const res = await checkIn(h.cookie, { venueId: VENUE_ID, clientEventId: eventId });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toEqual({
      status: 'stored',
      visit: {
        eventId,
        venue: { id: VENUE_ID, name: 'Wanbo Plaza', kind: 'mall', region: 'CN-LX-01', address: '1 Old Town Road' },
        at: new Date(T).toISOString(),
        colour: 'green',
        source: 'self_check_in',
      },
    });

    const rows = await db().selectFrom('scans').selectAll().where('holder_id', '=', h.holder.id).execute();
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ event_id: eventId, venue_id: VENUE_ID, operator_id: null, code_id: null, mode: SELF_CHECK_IN_MODE, verdict_ok: 1, verdict_colour: 'green' });
    expect(Number(rows[0]!.scanned_at)).toBe(T);
    expect(JSON.parse(rows[0]!.verdict)).toMatchObject({ ok: true, pass: true, colour: 'green', maskedName: 'Z** Wei', birthYear: 1990, colourSource: 'current' });
    const ledger = await db().selectFrom('scan_event_ids').selectAll().where('event_id', '=', eventId).execute();
    expect(ledger).toHaveLength(1);

    // the phone sends it again (a lost answer, a double tap), later: the same visit, stored once
    t.clock.set(new Date(T + 2 * M));
    const again = await checkIn(h.cookie, { venueId: VENUE_ID, clientEventId: eventId.toUpperCase() });
    expect(again.statusCode).toBe(200);
    expect(again.json().status).toBe('duplicate');
    expect(again.json().visit.at).toBe(new Date(T).toISOString());
    expect(await db().selectFrom('scans').select('event_id').where('holder_id', '=', h.holder.id).execute()).toHaveLength(1);

    // the same id for another venue is not the same check-in
    const other = await checkIn(h.cookie, { venueId: OTHER_VENUE_ID, clientEventId: eventId });
    expect(other.statusCode).toBe(409);
    expect(other.json().error.code).toBe('event_id_reused');
    // nor for another holder
    const h2 = await registerHolder(t.app);
    const stolen = await checkIn(h2.cookie, { venueId: VENUE_ID, clientEventId: eventId });
    expect(stolen.statusCode).toBe(409);
    expect(stolen.json().error.code).toBe('event_id_reused');

    // the holder's list of visits
    const list = await t.app.inject({ method: 'GET', url: '/api/holder/venue-visits', headers: { cookie: h.cookie } });
    expect(list.statusCode).toBe(200);
    expect(list.json().visits).toEqual([expect.objectContaining({ eventId, source: 'self_check_in', colour: 'green', venue: expect.objectContaining({ name: 'Wanbo Plaza' }) })]);
    const list2 = await t.app.inject({ method: 'GET', url: '/api/holder/venue-visits', headers: { cookie: h2.cookie } });
    expect(list2.json().visits).toEqual([]);

    // the write is in the audit log, naming the venue
    const audit = await db().selectFrom('audit_log').selectAll().where('action', 'like', '%venue-visits%').execute();
    expect(audit.some((a) => a.subject_id === VENUE_ID)).toBe(true);
  });

  it('refuses an unknown venue with 404 unknown_venue and stores nothing; bad bodies are 400; only holders may check in', async () => {
    t.clock.set(new Date(T));
    const h = await registerHolder(t.app);
    const res = await checkIn(h.cookie, { venueId: 'V-NOPE', clientEventId: crypto.randomUUID() });
    expect(res.statusCode).toBe(404);
    expect(res.json().error.code).toBe('unknown_venue');
    expect(await db().selectFrom('scans').select('event_id').where('holder_id', '=', h.holder.id).execute()).toHaveLength(0);

    for (const bad of [{ venueId: VENUE_ID }, { venueId: VENUE_ID, clientEventId: 'not-a-uuid' }, { venueId: '', clientEventId: crypto.randomUUID() }, { venueId: VENUE_ID, clientEventId: crypto.randomUUID(), extra: 1 }]) {
      const r = await checkIn(h.cookie, bad);
      expect(r.statusCode, JSON.stringify(bad)).toBe(400);
      expect(r.json().error.code).toBe('invalid_request');
    }
    expect((await checkIn(null, { venueId: VENUE_ID, clientEventId: crypto.randomUUID() })).statusCode).toBe(401);
    expect((await checkIn(official, { venueId: VENUE_ID, clientEventId: crypto.randomUUID() })).statusCode).toBe(403);
  });

  it("counts in the venue's daily scans (a yellow holder as a stop)", async () => {
    const day = Date.parse('2026-11-24T04:00:00.000Z'); // 12:00 in Asia/Shanghai
    t.clock.set(new Date(day));
    const green = await registerHolder(t.app);
    const yellow = await registerHolder(t.app);
    const decl = await t.app.inject({ method: 'POST', url: '/api/holder/declarations', headers: { cookie: yellow.cookie }, payload: { symptoms: ['fever'], placesVisited: [] } });
    expect(decl.statusCode, decl.body).toBe(201);
    expect(decl.json().assessment.colour).toBe('yellow');
    const before = (await dailyCounts(db(), OTHER_VENUE_ID, t.clock.now(), 'Asia/Shanghai')).at(-1)!;
    expect((await checkIn(green.cookie, { venueId: OTHER_VENUE_ID, clientEventId: crypto.randomUUID() })).statusCode).toBe(201);
    const y = await checkIn(yellow.cookie, { venueId: OTHER_VENUE_ID, clientEventId: crypto.randomUUID() });
    expect(y.json().visit.colour).toBe('yellow');
    const after = (await dailyCounts(db(), OTHER_VENUE_ID, t.clock.now(), 'Asia/Shanghai')).at(-1)!;
    expect(after.day).toBe('2026-11-24');
    expect(after.scans - before.scans).toBe(2);
    expect(after.passes - before.passes).toBe(1);
    expect(after.stops - before.stops).toBe(1);
    expect(after.invalid - before.invalid).toBe(0);
  });

  it('is traced: a holder who checked in 20 minutes after a later-confirmed case becomes a close contact', async () => {
    const visit = Date.parse('2026-11-25T02:00:00.000Z');
    t.clock.set(new Date(visit));
    const a = await registerHolder(t.app); // will be the case
    const b = await registerHolder(t.app);
    expect((await checkIn(a.cookie, { venueId: VENUE_ID, clientEventId: crypto.randomUUID() })).statusCode).toBe(201);
    t.clock.set(new Date(visit + 20 * M));
    expect((await checkIn(b.cookie, { venueId: VENUE_ID, clientEventId: crypto.randomUUID() })).statusCode).toBe(201);

    t.clock.set(new Date(visit + 24 * 60 * M));
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/official/lab-results',
      headers: { cookie: official },
      payload: { idNumber: a.body.idNumber, kind: 'pcr', result: 'positive', sampledAt: new Date(visit + 6 * 60 * M).toISOString(), lab: 'Lanxi CDC lab' },
    });
    expect(res.statusCode, res.body).toBe(201);
    expect(res.json().casesConfirmed).toHaveLength(1);
    expect(res.json().traces[0]).toMatchObject({ closeContacts: 1 });
    const sb = (await t.app.inject({ method: 'GET', url: '/api/holder/status', headers: { cookie: b.cookie } })).json().assessment;
    expect(sb.colour).toBe('red');
    expect(sb.reasons[0].ruleId).toBe('close-contact');
    expect(sb.reasons[0].text.en).toContain('at Wanbo Plaza');
  });
});
