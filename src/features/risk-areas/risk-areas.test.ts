// Risk areas as the console uses them: declared (a district or a set of venues), listed for
// officials (paged, filtered by current / ended and level, with who declared each and the venues
// by name), renewed and lifted with a reason; a lifted area cannot be lifted or renewed again.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestApp, OTHER_VENUE_ID, VENUE_ID, type TestApp } from '../../../test/support/app.ts';
import { DIALECTS } from '../../../test/support/db.ts';
import { staffMember, type TestStaff } from '../../../test/support/staff.ts';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describe.each(DIALECTS)('risk areas for officials on %s', (dialect) => {
  let t: TestApp;
  let official: TestStaff;
  let supervisor: TestStaff;

  beforeAll(async () => {
    t = await makeTestApp({ dialect, config: { sessionHours: 24 * 30 } });
    official = await staffMember(t, 'official');
    supervisor = await staffMember(t, 'supervisor');
  });
  afterAll(async () => {
    await t.close();
  });

  const call = (who: TestStaff, method: 'GET' | 'POST', url: string, payload?: unknown) =>
    t.app.inject({ method, url, headers: { cookie: who.cookie, ...(payload === undefined ? {} : { 'content-type': 'application/json' }) }, ...(payload === undefined ? {} : { payload: JSON.stringify(payload) }) });
  const iso = (ms: number) => new Date(ms).toISOString();

  it('declared, listed (paged and filtered), renewed and lifted', async () => {
    const now = t.clock.now().getTime();
    const district = await call(official, 'POST', '/api/official/risk-areas', { region: 'CN-LX-02', level: 'high', startsAt: iso(now - HOUR), reason: 'cluster in Riverside' });
    expect(district.statusCode, district.body).toBe(201);
    const venues = await call(official, 'POST', '/api/official/risk-areas', { venueIds: [OTHER_VENUE_ID, VENUE_ID], level: 'medium', startsAt: iso(now - 2 * HOUR), reason: 'two malls with cases' });
    expect(venues.statusCode, venues.body).toBe(201);
    const later = await call(official, 'POST', '/api/official/risk-areas', { region: 'CN-LX-03', level: 'medium', startsAt: iso(now + DAY), reason: 'the fair opens tomorrow' });
    expect(later.statusCode, later.body).toBe(201);

    const list = async (q = '') => {
      const res = await call(official, 'GET', `/api/official/risk-areas${q}`);
      expect(res.statusCode, res.body).toBe(200);
      return res.json() as { total: number; areas: { id: string; state: string; level: string; declaredBy: string; venues: { id: string; name: string }[]; region: string | null; reason: string }[] };
    };
    const all = await list();
    expect(all.total).toBe(3);
    // newest start first
    expect(all.areas.map((a) => a.id)).toEqual([later.json().area.id, district.json().area.id, venues.json().area.id]);
    expect(all.areas.map((a) => a.state)).toEqual(['upcoming', 'active', 'active']);
    expect(all.areas[1]).toMatchObject({ region: 'CN-LX-02', level: 'high', declaredBy: official.username, venues: [], reason: 'cluster in Riverside' });
    expect(all.areas[2]!.venues).toEqual([
      { id: VENUE_ID, name: 'Wanbo Plaza' },
      { id: OTHER_VENUE_ID, name: 'RT-Mart Old Town' },
    ]);
    expect((await list('?level=medium')).areas.map((a) => a.id).sort()).toEqual([later.json().area.id, venues.json().area.id].sort());
    const page2 = await list('?limit=2&offset=2');
    expect(page2).toMatchObject({ total: 3 });
    expect(page2.areas.map((a) => a.id)).toEqual([venues.json().area.id]);

    // renew, then lift with a reason: it moves from current to ended
    const renewed = await call(official, 'POST', `/api/official/risk-areas/${district.json().area.id}/renew`, {});
    expect(renewed.statusCode).toBe(200);
    expect(renewed.json().renewedAt).toBe(iso(now));
    t.clock.advance(HOUR);
    const lifted = await call(official, 'POST', `/api/official/risk-areas/${district.json().area.id}/lift`, { reason: 'no new case for a week after testing everyone' });
    expect(lifted.statusCode, lifted.body).toBe(200);
    expect(lifted.json()).toMatchObject({ active: false, endsAt: iso(now + HOUR), liftedReason: 'no new case for a week after testing everyone' });
    const current = await list('?status=current');
    expect(current.total).toBe(2);
    expect(current.areas.map((a) => a.id)).not.toContain(district.json().area.id);
    const ended = await list('?status=ended');
    expect(ended.areas.map((a) => [a.id, a.state])).toEqual([[district.json().area.id, 'lifted']]);
    // a lifted area stays lifted
    expect((await call(official, 'POST', `/api/official/risk-areas/${district.json().area.id}/lift`, { reason: 'again please' })).statusCode).toBe(409);
    expect((await call(official, 'POST', `/api/official/risk-areas/${district.json().area.id}/renew`, {})).statusCode).toBe(409);
    expect((await call(official, 'POST', '/api/official/risk-areas/no-such-area/lift', { reason: 'does not exist' })).statusCode).toBe(404);
    // the public list shows it too, and the console's map keeps it (lifted within 14 days)
    const pub = (await t.app.inject('/api/public/risk-areas')).json().areas;
    expect(pub.find((a: { id: string }) => a.id === district.json().area.id)).toMatchObject({ active: false });
    const map = (await call(official, 'GET', '/api/console/map')).json();
    expect(map.riskAreas.map((a: { id: string }) => a.id).sort()).toEqual(all.areas.map((a) => a.id).sort());
  });

  it('bad input is refused in plain terms; supervisors and holders may not declare', async () => {
    expect((await call(official, 'GET', '/api/official/risk-areas?status=gone')).statusCode).toBe(400);
    expect((await call(official, 'GET', '/api/official/risk-areas?limit=0')).statusCode).toBe(400);
    const tooFar = await call(official, 'POST', '/api/official/risk-areas', { region: 'CN-LX-04', level: 'high', startsAt: iso(t.clock.now().getTime() + 8 * DAY), reason: 'far ahead' });
    expect(tooFar.json().error.code).toBe('invalid_date');
    expect((await call(supervisor, 'POST', '/api/official/risk-areas', { region: 'CN-LX-04', level: 'high', startsAt: iso(t.clock.now().getTime()), reason: 'not mine' })).statusCode).toBe(403);
    expect((await call(supervisor, 'GET', '/api/official/risk-areas')).statusCode).toBe(403);
  });
});
