import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_RULESET } from '../../core/rules/default.ts';
import { generateSigningKey } from '../../core/token/index.ts';
import { ManualClock, cryptoRandom } from '../../support/clock.ts';
import { createTestStore, DIALECTS, type TestStore } from '../../../test/support/db.ts';
import { keyRingFrom } from '../keys/service.ts';
import { RuleBook } from '../rules/book.ts';
import { seedDemo } from './seed.ts';

describe.each(DIALECTS)('demo city on %s', (dialect) => {
  let ts: TestStore;
  beforeAll(async () => {
    ts = await createTestStore(dialect);
  });
  afterAll(async () => {
    await ts.drop();
  });

  it('seeds holders, venues, accounts and a day of scans through the ingest path, and a re-run adds nothing', async () => {
    const clock = new ManualClock('2026-11-23T08:00:00Z');
    const ctx = {
      now: clock.now(),
      random: cryptoRandom,
      keys: keyRingFrom(generateSigningKey(), 'CN-LX'),
      rules: RuleBook.of(DEFAULT_RULESET),
      idHashKey: Buffer.alloc(32, 1),
      timeZone: 'Asia/Shanghai',
      liveCodeMinutes: 5,
    };
    const progress: number[] = [];
    const first = await seedDemo(ts.store.db, { holders: 30, seed: 7, scansPerHolder: 2, onProgress: (d) => progress.push(d) }, ctx);
    expect(first.holdersCreated).toBe(30);
    expect(first.venues).toBe(19);
    expect(first.scansStored).toBeGreaterThanOrEqual(30);
    expect(progress.at(-1)).toBe(30);
    const db = ts.store.db;
    const scans = await db.selectFrom('scans').select(['holder_id', 'verdict_ok', 'scanned_at']).execute();
    expect(scans).toHaveLength(first.scansStored);
    expect(scans.every((s) => s.verdict_ok === 1 && s.holder_id !== null)).toBe(true);
    // all scans fall on the previous day in the city's time zone
    expect(scans.every((s) => s.scanned_at >= Date.parse('2026-11-22T00:00:00+08:00') && s.scanned_at < Date.parse('2026-11-23T00:00:00+08:00'))).toBe(true);
    const staff = await db.selectFrom('staff_accounts').select('username').orderBy('username').execute();
    expect(staff.map((s) => s.username)).toEqual(['auditor1', 'checkpoint1', 'official1', 'supervisor1', 'venue1']);

    const again = await seedDemo(ts.store.db, { holders: 30, seed: 7, scansPerHolder: 2 }, ctx);
    expect(again).toMatchObject({ holdersCreated: 0, scansStored: 0, scansDuplicate: first.scansStored });
    const count = await db.selectFrom('scans').select((e) => e.fn.countAll().as('n')).executeTakeFirstOrThrow();
    expect(Number(count.n)).toBe(first.scansStored);
  });
});
