// "The data model has no field unrelated to health to target people by": the holder's own
// attributes are a closed, reviewed list, and no column anywhere is named for a non-health
// attribute. Adding one makes this test fail, so it has to be argued for in review.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestStore, type TestStore } from '../../../test/support/db.ts';

/** What a holder is, to the system: identity for log-in and the code, and where (region, zone) for the rules. */
const HOLDER_COLUMNS = ['created_at', 'date_of_birth', 'id', 'id_hash', 'id_last4', 'name', 'password_hash', 'phone', 'region', 'time_zone'];

/** Words (whole parts of a snake_case name) for attributes a health-code system has no business with. */
const NON_HEALTH = new Set(
  'bank banks deposit deposits depositor debt debts loan loans credit salary income employer occupation petition petitions petitioner protest protests complaint complaints religion faith ethnic ethnicity race nationality political politics party union criminal police sexual marital blacklist watchlist'.split(' '),
);
const words = (name: string) => name.toLowerCase().split(/[^a-z0-9]+/);

describe('the data model', () => {
  let ts: TestStore;
  beforeAll(async () => {
    ts = await createTestStore('sqlite');
  });
  afterAll(async () => {
    await ts.drop();
  });

  it('holds no column named for an attribute unrelated to health', async () => {
    const tables = await ts.store.db.introspection.getTables();
    const offending = tables.flatMap((t) => [t.name, ...t.columns.map((c) => `${t.name}.${c.name}`)]).filter((n) => words(n).some((w) => NON_HEALTH.has(w)));
    expect(offending).toEqual([]);
    // the check itself bites
    expect(words('holders.bank_deposit').some((w) => NON_HEALTH.has(w))).toBe(true);
    expect(words('trace_runs.id').some((w) => NON_HEALTH.has(w))).toBe(false);
  });

  it('describes a holder by the reviewed list of attributes only', async () => {
    const holders = (await ts.store.db.introspection.getTables()).find((t) => t.name === 'holders')!;
    expect(holders.columns.map((c) => c.name).sort()).toEqual(HOLDER_COLUMNS);
  });
});
