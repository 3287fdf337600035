import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loginOperator, makeTestApp, registerHolder, VENUE_ID, type TestApp } from '../../../test/support/app.ts';
import { buildApp } from '../../app.ts';
import { TtlCache } from './lookup-cache.ts';

describe('TtlCache', () => {
  it('forgets an entry when its time is up, holds at most max entries (the oldest go), and keeps nothing with a TTL of 0', () => {
    let now = 1_000;
    const c = new TtlCache<string>(2_000, 3, () => now);
    c.set('a', 'A');
    now += 1_999;
    expect(c.get('a')).toBe('A');
    now += 1;
    expect(c.get('a')).toBeUndefined();
    for (const k of ['a', 'b', 'c', 'd']) c.set(k, k.toUpperCase());
    expect(c.size).toBe(3);
    expect(c.get('a')).toBeUndefined();
    expect(c.get('d')).toBe('D');
    c.delete('d');
    expect(c.get('d')).toBeUndefined();
    const off = new TtlCache<string>(0, 3, () => now);
    off.set('a', 'A');
    expect(off.get('a')).toBeUndefined();
  });
});

describe('look-ups remembered by the server (sqlite, a long TTL)', () => {
  let t: TestApp;
  let token: string;
  beforeAll(async () => {
    t = await makeTestApp({ config: { authCacheMs: 60_000, sessionHours: 1 } });
    const h = await registerHolder(t.app);
    token = (await t.app.inject({ method: 'GET', url: '/api/holder/code', headers: { cookie: h.cookie } })).json().token;
  });
  afterAll(async () => {
    await t.close();
  });

  const scan = (cookie: string, venueId = VENUE_ID) =>
    t.app.inject({
      method: 'POST',
      url: '/api/checkpoint/scans',
      headers: { cookie },
      payload: { eventId: crypto.randomUUID(), venueId, code: token, scannedAt: t.clock.now().toISOString(), mode: 'camera' },
    });

  it('a log-out on this instance ends the session at once, cached or not', async () => {
    const cookie = await loginOperator(t.app);
    expect((await scan(cookie)).statusCode).toBe(201);
    expect((await scan(cookie)).statusCode).toBe(201); // the session is now remembered
    expect((await t.app.inject({ method: 'POST', url: '/api/staff/logout', headers: { cookie } })).statusCode).toBe(204);
    const after = await scan(cookie);
    expect(after.statusCode).toBe(401);
    expect(after.json().error.code).toBe('unauthenticated');
  });

  it('a remembered session still ends at its expiry', async () => {
    const cookie = await loginOperator(t.app);
    expect((await scan(cookie)).statusCode).toBe(201);
    t.clock.advance(60 * 60_000); // sessionHours: 1
    expect((await scan(cookie)).statusCode).toBe(401);
    t.clock.advance(-60 * 60_000);
  });

  it('a venue registered, or given to the operator, a moment ago is accepted at once (no is never remembered)', async () => {
    const cookie = await loginOperator(t.app);
    const unknown = await scan(cookie, 'V-NEW');
    expect(unknown.json().error.code).toBe('unknown_venue');
    const db = t.deps.store.db;
    await db.insertInto('venues').values({ id: 'V-NEW', name: 'New Stall', kind: 'market', region: 'CN-LX-01', address: '9 New Road', created_at: t.clock.now().getTime() }).execute();
    const notMine = await scan(cookie, 'V-NEW');
    expect(notMine.statusCode).toBe(403);
    await db.insertInto('staff_venues').values({ staff_id: 'staff-op-1', venue_id: 'V-NEW' }).execute();
    expect((await scan(cookie, 'V-NEW')).statusCode).toBe(201);
  });

  it('a session deleted in the store by another instance is still accepted here within the TTL (the documented staleness)', async () => {
    const cookie = await loginOperator(t.app);
    expect((await scan(cookie)).statusCode).toBe(201);
    await t.deps.store.db.deleteFrom('sessions').execute();
    expect((await scan(cookie)).statusCode).toBe(201);
    // with no cache the same request is refused
    const uncached = await buildApp({ ...t.deps, config: Object.freeze({ ...t.deps.config, authCacheMs: 0 }) });
    try {
      expect((await uncached.inject({ method: 'POST', url: '/api/checkpoint/scans', headers: { cookie }, payload: {} })).statusCode).toBe(401);
    } finally {
      await uncached.close();
    }
  });
});
