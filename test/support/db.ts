// The stores every storage test runs against: SQLite always, PostgreSQL when
// HEALTHCODE_TEST_PG_URL names a server (CI always sets it; there its absence is an error).
import crypto from 'node:crypto';
import pg from 'pg';
import { openStore, type Dialect, type Store } from '../../src/db/connect.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { dayOf, ensureScanPartitions, listScanPartitions } from '../../src/db/partitions.ts';
import { sql } from 'kysely';

/** The tests' controlled "now" (test/support/app.ts starts its clock here). */
export const T0 = '2026-11-23T08:00:00.000Z';
/** Days around T0 that a PostgreSQL test store has scan partitions for (tests write scans in them directly). */
export const TEST_PARTITION_DAYS = { before: 30, after: 10 } as const;

const PG_ADMIN_URL = process.env.HEALTHCODE_TEST_PG_URL;
if (!PG_ADMIN_URL && process.env.CI === 'true') {
  throw new Error('CI=true but HEALTHCODE_TEST_PG_URL is not set: the PostgreSQL half of the suite would be skipped');
}

export const DIALECTS: Dialect[] = PG_ADMIN_URL ? ['sqlite', 'postgres'] : ['sqlite'];

/**
 * The scan suites run on every store with codes verified in-line and no look-up cache, and once
 * more as the server runs by default: a pool of 2 worker threads and look-ups remembered for 2 s.
 */
export const SCAN_VARIANTS: { name: string; dialect: Dialect; verifyWorkers: number; authCacheMs: number }[] = [
  ...DIALECTS.map((dialect) => ({ name: dialect, dialect, verifyWorkers: 0, authCacheMs: 0 })),
  { name: 'sqlite, codes verified by 2 worker threads, look-ups cached', dialect: 'sqlite', verifyWorkers: 2, authCacheMs: 2000 },
];

export interface TestStore {
  store: Store;
  /** closes the store and drops its database */
  drop(): Promise<void>;
}

/** A fresh, migrated, empty store: an in-memory SQLite database or a new PostgreSQL database. */
export async function createTestStore(dialect: Dialect): Promise<TestStore> {
  if (dialect === 'sqlite') {
    const store = openStore('sqlite::memory:');
    await migrateToLatest(store.db);
    return { store, drop: () => store.close() };
  }
  if (!PG_ADMIN_URL) throw new Error('HEALTHCODE_TEST_PG_URL is not set');
  const name = `hc_test_${crypto.randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: PG_ADMIN_URL });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(PG_ADMIN_URL);
  url.pathname = `/${name}`;
  const store = openStore(url.toString());
  await migrateToLatest(store.db);
  await partitionAroundT0(store);
  return {
    store,
    async drop() {
      await store.close();
      const c = new pg.Client({ connectionString: PG_ADMIN_URL });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

/** The URL of a fresh empty PostgreSQL database (for tests that run the CLI against it). */
export function pgAdminUrl(): string | undefined {
  return PG_ADMIN_URL;
}

/**
 * The migration makes scan partitions around the real date; a test store has them around the
 * tests' clock instead, so the tests do not depend on the day they run (the store is empty).
 */
async function partitionAroundT0(store: Store): Promise<void> {
  for (const p of await listScanPartitions(store.db)) await sql`drop table ${sql.table(p.name)}`.execute(store.db);
  const t0 = dayOf(Date.parse(T0));
  await ensureScanPartitions(store.db, t0 - TEST_PARTITION_DAYS.before, t0 + TEST_PARTITION_DAYS.after);
}
