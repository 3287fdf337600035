import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestStore, DIALECTS, type TestStore } from '../../../test/support/db.ts';
import { simulateCity, SimulateError, type SimulateContext, type SimulateProgress } from './simulate.ts';

const PARAMS = { holders: 600, venues: 40, days: 3, seed: 7 };
const ctx: SimulateContext = {
  now: new Date('2026-11-23T08:00:00Z'),
  timeZone: 'Asia/Shanghai',
  region: 'CN-LX',
  idHashKey: Buffer.alloc(32, 3),
  passwordHash: 'not-a-real-hash',
  rulesetVersion: 'test',
};

/** A digest of everything the simulation wrote, to compare two runs. */
async function fingerprintOf(ts: TestStore): Promise<{ scans: number; holders: number; declarations: number; digest: string }> {
  const db = ts.store.db;
  const scans = await db.selectFrom('scans').select(['event_id', 'venue_id', 'holder_id', 'scanned_at', 'verdict_colour']).orderBy('event_id').execute();
  const holders = await db.selectFrom('holders').select(['id', 'name', 'phone', 'region']).orderBy('id').execute();
  const decl = await db.selectFrom('declarations').select(['id', 'holder_id', 'declared_at']).orderBy('id').execute();
  const digest = crypto.createHash('sha256').update(JSON.stringify([scans, holders, decl])).digest('hex');
  return { scans: scans.length, holders: holders.length, declarations: decl.length, digest };
}

describe.each(DIALECTS)('the city simulator on %s', (dialect) => {
  let a: TestStore;
  let b: TestStore;
  beforeAll(async () => {
    a = await createTestStore(dialect);
    b = await createTestStore(dialect);
  });
  afterAll(async () => {
    await a.drop();
    await b.drop();
  });

  it('builds a reproducible city; an interrupted run resumes to the same city; a finished run adds nothing', async () => {
    const progress: SimulateProgress[] = [];
    const s = await simulateCity(a.store.db, PARAMS, ctx, (p) => progress.push(p));
    const full = await fingerprintOf(a);
    expect(full.holders).toBe(600);
    expect(full.scans).toBe(s.scansWritten);
    // about two scans per holder and day, all in the three days before today (Shanghai time)
    expect(s.scansWritten).toBeGreaterThan(600 * 3);
    expect(s.scansWritten).toBeLessThan(600 * 3 * 5);
    const range = await a.store.db.selectFrom('scans').select((e) => [e.fn.min('scanned_at').as('lo'), e.fn.max('scanned_at').as('hi')]).executeTakeFirstOrThrow();
    expect(Number(range.lo)).toBeGreaterThanOrEqual(Date.parse('2026-11-20T00:00:00+08:00'));
    expect(Number(range.hi)).toBeLessThan(Date.parse('2026-11-23T00:00:00+08:00'));
    expect(s.indexCases).toBeGreaterThanOrEqual(3);
    expect(s.infected).toBeGreaterThanOrEqual(s.indexCases);
    expect(progress.at(-1)).toMatchObject({ phase: 'write', done: s.units, total: s.units });
    const ledger = await a.store.db.selectFrom('scan_event_ids').select((e) => e.fn.countAll().as('n')).executeTakeFirstOrThrow();
    expect(Number(ledger.n)).toBe(full.scans);

    // the same parameters into another store, stopped after a few units (as a crash would)
    class Stop extends Error {}
    await expect(
      simulateCity(b.store.db, PARAMS, ctx, (p) => {
        if (p.phase === 'write' && p.done === 3) throw new Stop();
      }),
    ).rejects.toThrow(Stop);
    const partial = await b.store.db.selectFrom('job_checkpoints').selectAll().executeTakeFirstOrThrow();
    expect(Number(partial.done)).toBe(3);
    const resumed = await simulateCity(b.store.db, PARAMS, ctx);
    expect(resumed.resumedFrom).toBe(3);
    expect(await fingerprintOf(b)).toEqual(full);

    // a finished simulation run again writes nothing
    const again = await simulateCity(a.store.db, PARAMS, ctx);
    expect(again.scansWritten).toBe(0);
    expect(await fingerprintOf(a)).toEqual(full);
  });

  it('refuses other parameters on a store that holds a simulation, and parameters out of range', async () => {
    await expect(simulateCity(a.store.db, { ...PARAMS, seed: 8 }, ctx)).rejects.toThrow(/other parameters/);
    await expect(simulateCity(a.store.db, { ...PARAMS, days: 21 }, ctx)).rejects.toThrow(SimulateError);
    await expect(simulateCity(a.store.db, { ...PARAMS, holders: 0 }, ctx)).rejects.toThrow(SimulateError);
  });
});
