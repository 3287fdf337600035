// Issue 9, item 1: a venue's expected daily footfall — declared at registration (or later), then
// learned from its own history (the compliance service's median of the same weekday) — and both
// numbers in the venue manager's listing.
import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DIALECTS } from '../../../test/support/db.ts';
import { makeTestApp, VENUE_ID, type TestApp } from '../../../test/support/app.ts';
import { staffMember, type TestStaff } from '../../../test/support/staff.ts';
import { localDate, nextDate, startOfLocalDate } from '../../core/time/zones.ts';
import { dayOf, ensureScanPartitions } from '../../db/partitions.ts';
import type { ScanTable } from '../../db/schema.ts';
import { declareFootfall } from '../compliance/service.ts';

const M = 60_000;
const ZONE = 'Asia/Shanghai';
const START = '2026-10-19T02:00:00.000Z'; // Monday 19 October, 10:00 in Shanghai
const body = (over: Record<string, unknown> = {}) => ({ name: 'Footfall Diner', kind: 'restaurant', region: 'CN-LX-01', address: '12 Canal Road', ...over });

type Managed = { id: string; name: string; declaredDaily: number | null; learnedDaily: number | null; learnedFor: string; learnedDays: number };

describe.each(DIALECTS)('expected daily footfall for venue managers on %s', (dialect) => {
  let t: TestApp;
  let manager: TestStaff;
  let official: TestStaff;

  beforeAll(async () => {
    t = await makeTestApp({ dialect, now: START, config: { sessionHours: 24 * 60, defaultTimeZone: ZONE } });
    manager = await staffMember(t, 'venue_manager');
    official = await staffMember(t, 'official');
  });
  afterAll(async () => {
    await t.close();
  });

  const call = (who: TestStaff, method: 'GET' | 'POST', url: string, payload?: object) =>
    t.app.inject({ method, url, headers: { cookie: who.cookie }, ...(payload ? { payload } : {}) });
  const listing = async (): Promise<Managed[]> => {
    const res = await call(manager, 'GET', '/api/venue/venues');
    expect(res.statusCode, res.body).toBe(200);
    return res.json().venues;
  };
  const venueNamed = async (name: string) => (await listing()).find((v) => v.name === name);

  /** `n` green scans at the venue around noon (local) of `day`, stored as the scan writer stores them. */
  async function scansOn(venueId: string, day: string, n: number) {
    const noon = startOfLocalDate(day, ZONE).getTime() + 12 * 60 * M;
    const rows: ScanTable[] = Array.from({ length: n }, (_, k) => {
      const at = noon + (k - Math.floor(n / 2)) * 5 * M;
      return {
        event_id: crypto.randomUUID(),
        venue_id: venueId,
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
        fingerprint: crypto.randomUUID(),
      };
    });
    if (rows.length === 0) return;
    const db = t.deps.store.db;
    // PostgreSQL: the day's partition, as the scan writer makes it (nothing on SQLite)
    await ensureScanPartitions(db, dayOf(rows[0]!.scanned_at), dayOf(rows.at(-1)!.scanned_at));
    await db.insertInto('scans').values(rows).execute();
    await db.insertInto('scan_event_ids').values(rows.map((r) => ({ event_id: r.event_id, scanned_at: r.scanned_at }))).execute();
  }

  it('registers without a footfall (none declared) and with one (declared through the footfall path, by the manager)', async () => {
    const plain = await call(manager, 'POST', '/api/venue/venues', body({ name: 'Plain Tea Room' }));
    expect(plain.statusCode, plain.body).toBe(201);
    expect(plain.json().venue).toMatchObject({ name: 'Plain Tea Room', declaredDaily: null, learnedDaily: null, learnedFor: '2026-10-19', learnedDays: 0 });
    expect(await venueNamed('Plain Tea Room')).toMatchObject({ declaredDaily: null, learnedDaily: null });
    expect(await t.deps.store.db.selectFrom('venue_footfall').selectAll().where('venue_id', '=', plain.json().venue.id).execute()).toEqual([]);

    const res = await call(manager, 'POST', '/api/venue/venues', body({ declaredDaily: 40 }));
    expect(res.statusCode, res.body).toBe(201);
    const venue = res.json().venue as Managed;
    expect(venue).toMatchObject({ name: 'Footfall Diner', declaredDaily: 40, learnedDaily: null, learnedDays: 0 });
    const stored = await t.deps.store.db.selectFrom('venue_footfall').selectAll().where('venue_id', '=', venue.id).executeTakeFirstOrThrow();
    expect(stored).toMatchObject({ declared_by: manager.id });
    expect(Number(stored.declared_daily)).toBe(40);
    expect(Number(stored.declared_at)).toBe(Date.parse(START));
    expect(await venueNamed('Footfall Diner')).toMatchObject({ id: venue.id, declaredDaily: 40, learnedDaily: null, learnedFor: '2026-10-19' });
    // zero is a declaration (a venue closed to the public), not the absence of one
    const zero = await call(manager, 'POST', '/api/venue/venues', body({ name: 'Closed Warehouse Shop', declaredDaily: 0 }));
    expect(zero.json().venue).toMatchObject({ declaredDaily: 0 });
  });

  it('refuses a bad footfall with 400 invalid_request and creates nothing', async () => {
    const db = t.deps.store.db;
    const count = async () => Number((await db.selectFrom('venues').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);
    const before = await count();
    for (const bad of [-1, 1.5, '12', 10_000_001, null, true]) {
      const res = await call(manager, 'POST', '/api/venue/venues', body({ name: 'Bad Number Bar', declaredDaily: bad }));
      expect(res.statusCode, `${JSON.stringify(bad)}: ${res.body}`).toBe(400);
      expect(res.json().error.code).toBe('invalid_request');
      expect(res.json().error.message).toContain('declaredDaily');
    }
    expect(await count()).toBe(before);
    expect((await listing()).some((v) => v.name === 'Bad Number Bar')).toBe(false);
    // the service refuses too, inside a transaction that then creates nothing
    await expect(
      db.transaction().execute(async (trx) => {
        await trx.insertInto('venues').values({ id: 'V-TX', name: 'Rolled Back', kind: 'mall', region: 'CN-LX-01', address: '1 Nowhere', created_at: 0 }).execute();
        await declareFootfall(trx, 'V-TX', -5, manager.id, t.clock.now());
      }),
    ).rejects.toMatchObject({ code: 'invalid_request' });
    expect(await db.selectFrom('venues').select('id').where('id', '=', 'V-TX').execute()).toEqual([]);
  });

  it('learns the expectation from the venue’s own scans: the median of recent same weekdays, unflagged only, next to the declared number', async () => {
    const diner = (await venueNamed('Footfall Diner'))!;
    // five weeks, one day at a time: the day's scans, then the next morning's daily job (as the scheduler runs it)
    const mondays: Record<string, number> = { '2026-10-19': 30, '2026-10-26': 34, '2026-11-02': 38, '2026-11-09': 3, '2026-11-16': 42 };
    const seen: Record<string, Managed> = {};
    for (let day = '2026-10-19'; day <= '2026-11-22'; day = nextDate(day)) {
      await scansOn(diner.id, day, mondays[day] ?? 20);
      t.clock.set(new Date(startOfLocalDate(nextDate(day), ZONE).getTime() + 60 * M)); // 01:00 the next day
      const run = await call(official, 'POST', '/api/official/compliance/run', {});
      expect(run.statusCode, run.body).toBe(200);
      if (Object.hasOwn(mondays, nextDate(day))) seen[nextDate(day)] = (await venueNamed('Footfall Diner'))!;
    }
    expect(localDate(t.clock.now(), ZONE)).toBe('2026-11-23');
    // one Monday behind it: not enough history yet
    expect(seen['2026-10-26']).toMatchObject({ declaredDaily: 40, learnedDaily: null, learnedFor: '2026-10-26', learnedDays: 1 });
    // two Mondays: their median (30, 34 → 32)
    expect(seen['2026-11-02']).toMatchObject({ declaredDaily: 40, learnedDaily: 32, learnedFor: '2026-11-02', learnedDays: 2 });
    // the Monday the venue scanned 3 people was flagged, so it does not teach a lower expectation
    const flagged = await t.deps.store.db.selectFrom('venue_compliance_days').select(['flagged']).where('venue_id', '=', diner.id).where('day', '=', '2026-11-09').executeTakeFirstOrThrow();
    expect(Number(flagged.flagged)).toBe(1);
    // today (Monday 23 November): median of 42, 38, 34 — the flagged 3 is left out
    const today = await venueNamed('Footfall Diner');
    expect(today).toMatchObject({ declaredDaily: 40, learnedDaily: 38, learnedFor: '2026-11-23', learnedDays: 3 });
    // the same number the daily job uses as the day's learned expectation
    await scansOn(diner.id, '2026-11-23', 35);
    t.clock.set(new Date(startOfLocalDate('2026-11-24', ZONE).getTime() + 60 * M));
    await call(official, 'POST', '/api/official/compliance/run', {});
    const job = await t.deps.store.db.selectFrom('venue_compliance_days').selectAll().where('venue_id', '=', diner.id).where('day', '=', '2026-11-23').executeTakeFirstOrThrow();
    expect(Number(job.learned)).toBe(38);
    expect(Number(job.declared)).toBe(40);
    // Tuesday: learned from the Tuesdays (20 every week), for the current weekday
    expect(await venueNamed('Footfall Diner')).toMatchObject({ declaredDaily: 40, learnedDaily: 20, learnedFor: '2026-11-24', learnedDays: 4 });
    // a venue registered without a footfall still learns one, and declared stays null
    expect(await venueNamed('Plain Tea Room')).toMatchObject({ declaredDaily: null, learnedDaily: 0, learnedDays: 4 });
    // the manager updates the declared number: learned is unchanged
    expect((await call(manager, 'POST', `/api/venue/venues/${diner.id}/footfall`, { declaredDaily: 25 })).statusCode).toBe(204);
    expect(await venueNamed('Footfall Diner')).toMatchObject({ declaredDaily: 25, learnedDaily: 20 });
    // the official's compliance view shows the same declared number
    const official_ = (await call(official, 'GET', `/api/official/compliance/venues/${diner.id}`)).json();
    expect(official_.venue.declaredNow).toBe(25);
    // the seeded venue the manager runs is listed with its numbers too
    expect((await listing()).find((v) => v.id === VENUE_ID)).toMatchObject({ declaredDaily: null, learnedFor: '2026-11-24' });
  }, 120_000);
});
