// Venue managers: register, list, poster, daily counts (own venues only); the public venue face;
// the signed revocation list.
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../../../test/support/db.ts';
import { loginOperator, makeTestApp, registerHolder, VENUE_ID, type TestApp } from '../../../test/support/app.ts';
import { staffMember, type TestStaff } from '../../../test/support/staff.ts';
import { verifyRevocationListJws, verifyTrustListJws } from '../../../web/shared/offline-verify.ts';

describe.each(DIALECTS)('venue manager API on %s', (dialect) => {
  let t: TestApp;
  let manager: TestStaff;
  let otherManager: TestStaff;
  beforeAll(async () => {
    t = await makeTestApp({ dialect, now: '2026-11-23T08:00:00.000Z' });
    manager = await staffMember(t, 'venue_manager');
    otherManager = await staffMember(t, 'venue_manager');
  });
  afterAll(async () => {
    await t.close();
  });

  const call = (method: 'GET' | 'POST', url: string, cookie: string | null, payload?: object) =>
    t.app.inject({ method, url, headers: cookie ? { cookie } : {}, ...(payload ? { payload } : {}) });

  it('registers a venue, lists it, prints its poster; another manager cannot see it', async () => {
    const res = await call('POST', '/api/venue/venues', manager.cookie, { name: 'Lanxi Noodle House', kind: 'restaurant', region: 'CN-LX-01', address: '8 River Street' });
    expect(res.statusCode, res.body).toBe(201);
    const venue = res.json().venue;
    expect(venue).toMatchObject({ name: 'Lanxi Noodle House', kind: 'restaurant', region: 'CN-LX-01', address: '8 River Street' });
    const list = (await call('GET', '/api/venue/venues', manager.cookie)).json().venues.map((v: { id: string }) => v.id);
    expect(list).toEqual(expect.arrayContaining([venue.id, VENUE_ID]));
    const poster = await call('GET', `/api/venue/venues/${venue.id}/poster`, manager.cookie);
    expect(poster.statusCode).toBe(200);
    expect(poster.json().checkInUrl).toMatch(new RegExp(`/\\?checkin=${venue.id}$`));
    expect(poster.json().qrSvg).toMatch(/^<svg/);
    expect((await call('GET', `/api/venue/venues/${venue.id}/poster`, otherManager.cookie)).statusCode).toBe(404);
    expect((await call('GET', `/api/venue/venues/${venue.id}/counts`, otherManager.cookie)).statusCode).toBe(404);
    expect((await call('GET', '/api/venue/venues', null)).statusCode).toBe(401);
    expect((await call('GET', '/api/venue/venues', await loginOperator(t.app))).statusCode).toBe(403);
    expect((await call('POST', '/api/venue/venues', manager.cookie, { name: 'X Place', kind: 'mall', region: 'NOPE', address: '1 Road' })).statusCode).toBe(400);
    // anyone sees the public face (what the poster's QR code names)
    expect((await call('GET', `/api/public/venues/${venue.id}`, null)).json().venue.name).toBe('Lanxi Noodle House');
    expect((await call('GET', '/api/public/venues/none', null)).statusCode).toBe(404);
  });

  it('counts scans per local day for the last 14 days: passes, stops, invalid', async () => {
    const h = await registerHolder(t.app);
    const token = (await call('GET', '/api/holder/code', h.cookie)).json().token as string;
    const at = (iso: string) => ({ eventId: crypto.randomUUID(), venueId: VENUE_ID, code: token, scannedAt: iso, mode: 'offline_sync' });
    const events = [
      at('2026-11-23T07:59:00.000Z'), // today 15:59 Shanghai: valid green
      { ...at('2026-11-23T07:00:00.000Z'), code: 'not a code' }, // today, invalid
      { ...at('2026-11-22T15:59:00.000Z'), code: 'x' }, // 23:59 on the 22nd in Shanghai
      { ...at('2026-11-22T16:00:00.000Z'), code: 'y' }, // 00:00 on the 23rd in Shanghai
    ];
    const op = await loginOperator(t.app);
    const b = await t.app.inject({ method: 'POST', url: '/api/checkpoint/scans/batch', headers: { cookie: op }, payload: { events } });
    expect(b.json().stored).toBe(4);
    const res = await call('GET', `/api/venue/venues/${VENUE_ID}/counts`, manager.cookie);
    expect(res.statusCode).toBe(200);
    const days = res.json().days as { day: string; scans: number; passes: number; stops: number; invalid: number }[];
    expect(days).toHaveLength(14);
    expect(days[13]).toEqual({ day: '2026-11-23', scans: 3, passes: 1, stops: 0, invalid: 2 });
    expect(days[12]).toEqual({ day: '2026-11-22', scans: 1, passes: 0, stops: 0, invalid: 1 });
    expect(days[0]!.day).toBe('2026-11-10');
  });

  it('publishes a signed revocation list of unexpired codes whose colour is no longer the holder’s', async () => {
    const h = await registerHolder(t.app);
    const code = (await call('GET', '/api/holder/code', h.cookie)).json().token as string;
    expect(code).toMatch(/^HCQ1:/);
    const codeId = (await t.deps.store.db.selectFrom('issued_codes').select('code_id').where('holder_id', '=', h.holder.id).executeTakeFirstOrThrow()).code_id;
    const list = async () => (await call('GET', '/api/public/revocations', null)).json();
    expect((await list()).revocationList.revoked).not.toContain(codeId);
    // the holder turns yellow: the green code still in the wild is revoked until it expires
    const d = await call('POST', '/api/holder/declarations', h.cookie, { symptoms: ['fever'], temperatureC: 38.5, placesVisited: [] });
    expect(d.statusCode, d.body).toBeLessThan(300);
    const r = await list();
    expect(r.revocationList.revoked).toContain(codeId);
    const tl = (await call('GET', '/api/public/trust-list', null)).json();
    const { trust } = await verifyTrustListJws(tl.jws, t.clock.now());
    expect((await verifyRevocationListJws(r.jws, trust)).revoked).toContain(codeId);
    t.clock.advance(10 * 60_000);
    expect((await list()).revocationList.revoked).not.toContain(codeId);
  });
});
