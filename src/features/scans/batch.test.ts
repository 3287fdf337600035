import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SCAN_VARIANTS } from '../../../test/support/db.ts';
import { loginOperator, makeTestApp, OTHER_VENUE_ID, registerHolder, VENUE_ID, type TestApp } from '../../../test/support/app.ts';

describe.each(SCAN_VARIANTS)('batch sync of offline scans on $name', ({ dialect, verifyWorkers, authCacheMs }) => {
  let t: TestApp;
  let staff: string;
  let token: string;
  let holderId: string;
  beforeAll(async () => {
    t = await makeTestApp({ dialect, config: { verifyWorkers, authCacheMs } });
    staff = await loginOperator(t.app);
    const h = await registerHolder(t.app);
    holderId = h.holder.id;
    token = (await t.app.inject({ method: 'GET', url: '/api/holder/code', headers: { cookie: h.cookie } })).json().token;
  });
  afterAll(async () => {
    await t.close();
  });

  const batch = (events: unknown[], cookie = staff) =>
    t.app.inject({ method: 'POST', url: '/api/checkpoint/scans/batch', headers: { cookie }, payload: { events } });

  function event(over: Record<string, unknown> = {}) {
    return { eventId: crypto.randomUUID(), venueId: VENUE_ID, code: token, scannedAt: t.clock.now().toISOString(), mode: 'offline_sync', ...over };
  }

  const stored = async (ids: string[]) =>
    (await t.deps.store.db.selectFrom('scans').select(['event_id', 'holder_id', 'verdict_ok']).where('event_id', 'in', ids).execute()).sort((a, b) =>
      a.event_id.localeCompare(b.event_id),
    );
  const ledger = async (ids: string[]) => (await t.deps.store.db.selectFrom('scan_event_ids').select('event_id').where('event_id', 'in', ids).execute()).length;

  it('answers every event on its own: stored, duplicate, or rejected with the reason a single scan would get', async () => {
    const a = event();
    const b = event({ direction: 'in', temperatureC: 36.5 });
    const reused = event();
    const events = [
      a,
      b,
      { ...a }, // the same event twice in one batch: one stored, one duplicate
      { ...event(), eventId: 'not-a-uuid' },
      event({ venueId: 'V9999' }),
      event({ venueId: OTHER_VENUE_ID }),
      event({ scannedAt: '2026-11-23T09:00:00Z' }),
      'not an object',
      reused,
      { ...reused, temperatureC: 39 }, // the same id with other content
    ];
    const res = await batch(events);
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(body).toMatchObject({ stored: 3, duplicate: 1, rejected: 6 });
    const r = body.results;
    expect(r.map((x: { index: number }) => x.index)).toEqual(events.map((_, i) => i));
    expect(r[0]).toMatchObject({ eventId: a.eventId, status: 'stored', error: null, verdict: { ok: true, colour: 'green' } });
    expect(r[1]).toMatchObject({ status: 'stored' });
    expect(r[2]).toMatchObject({ eventId: a.eventId, status: 'duplicate', storedAt: r[0].storedAt });
    expect(r[3]).toMatchObject({ eventId: 'not-a-uuid', status: 'rejected', verdict: null, error: { code: 'invalid_request' } });
    expect(r[3].error.message).toMatch(/eventId/);
    expect(r[4]).toMatchObject({ status: 'rejected', error: { code: 'unknown_venue' } });
    expect(r[5]).toMatchObject({ status: 'rejected', error: { code: 'forbidden' } });
    expect(r[6]).toMatchObject({ status: 'rejected', error: { code: 'invalid_date' } });
    expect(r[7]).toMatchObject({ eventId: null, status: 'rejected', error: { code: 'invalid_request' } });
    expect(r[8]).toMatchObject({ status: 'stored' });
    expect(r[9]).toMatchObject({ eventId: reused.eventId, status: 'rejected', error: { code: 'event_id_reused' } });

    const ids = [a.eventId, b.eventId, reused.eventId];
    const rows = await stored(ids);
    expect(rows).toHaveLength(3);
    expect(rows.every((x) => x.holder_id === holderId && x.verdict_ok === 1)).toBe(true);
    expect(await ledger([...ids, ...(events.slice(4, 7) as { eventId: string }[]).map((e) => e.eventId)])).toBe(3);

    // the checkpoint retries the whole batch (it never saw the answer): nothing new is stored
    const again = (await batch(events)).json();
    expect(again).toMatchObject({ stored: 0, duplicate: 4, rejected: 6 });
    expect(again.results[0]).toMatchObject({ status: 'duplicate', storedAt: r[0].storedAt, verdict: r[0].verdict });
    expect(await stored(ids)).toHaveLength(3);
  });

  it('verifies an offline scan at the moment it was scanned, a live scan now', async () => {
    t.clock.advance(60 * 60_000); // the 5-minute code has expired by the time the checkpoint syncs
    try {
      const offline = event({ scannedAt: new Date(t.clock.now().getTime() - 59 * 60_000).toISOString() });
      const late = event({ mode: 'camera', scannedAt: offline.scannedAt });
      const body = (await batch([offline, late])).json();
      expect(body.results[0]).toMatchObject({ status: 'stored', verdict: { ok: true, colour: 'green' } });
      expect(body.results[1]).toMatchObject({ status: 'stored', verdict: { ok: false, error: 'expired' } });
    } finally {
      t.clock.set('2026-11-23T08:00:00.000Z');
    }
  });

  it('an event id is stored once across days: the same id on another day is refused', async () => {
    const first = event({ scannedAt: '2026-11-20T10:00:00Z' });
    expect((await batch([first])).json().results[0].status).toBe('stored');
    const otherDay = { ...first, scannedAt: '2026-11-22T10:00:00Z' };
    expect((await batch([otherDay])).json().results[0]).toMatchObject({ status: 'rejected', error: { code: 'event_id_reused' } });
    const single = await t.app.inject({ method: 'POST', url: '/api/checkpoint/scans', headers: { cookie: staff }, payload: { ...otherDay, mode: 'camera' } });
    expect(single.statusCode).toBe(409);
    expect(await stored([first.eventId])).toHaveLength(1);
  });

  it('takes 10,000 events in one request and stores each once', async () => {
    const events = Array.from({ length: 10_000 }, (_, i) => event({ scannedAt: new Date(t.clock.now().getTime() - i * 1000).toISOString() }));
    const res = await batch(events);
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ stored: 10_000, duplicate: 0, rejected: 0 });
    const n = await t.deps.store.db
      .selectFrom('scans')
      .select((e) => e.fn.countAll().as('n'))
      .where('event_id', 'in', events.slice(0, 1000).map((e) => e.eventId))
      .executeTakeFirstOrThrow();
    expect(Number(n.n)).toBe(1000);
    expect(await ledger(events.slice(9000).map((e) => e.eventId))).toBe(1000);
  });

  it.each([
    ['more than 10,000 events', () => Array.from({ length: 10_001 }, () => event()), 400, 'invalid_request'],
    ['no events', () => [], 400, 'invalid_request'],
  ])('refuses %s as a whole and stores nothing', async (_name, make, status, code) => {
    const events = make();
    const res = await batch(events);
    expect(res.statusCode).toBe(status);
    expect(res.json().error.code).toBe(code);
    if (events.length) expect(await ledger(events.slice(0, 500).map((e) => e.eventId))).toBe(0);
  });

  it('needs a staff session with a scanning role', async () => {
    const res = await t.app.inject({ method: 'POST', url: '/api/checkpoint/scans/batch', payload: { events: [event()] } });
    expect(res.statusCode).toBe(401);
  });
});
