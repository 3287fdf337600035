// The stores every storage test runs against: SQLite always, PostgreSQL when
// HEALTHCODE_TEST_PG_URL names a server (CI always sets it; there its absence is an error).
import crypto from 'node:crypto';
import pg from 'pg';
import { openStore, type Dialect, type Store } from '../../src/db/connect.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';

const PG_ADMIN_URL = process.env.HEALTHCODE_TEST_PG_URL;
if (!PG_ADMIN_URL && process.env.CI === 'true') {
  throw new Error('CI=true but HEALTHCODE_TEST_PG_URL is not set: the PostgreSQL half of the suite would be skipped');
}

export const DIALECTS: Dialect[] = PG_ADMIN_URL ? ['sqlite', 'postgres'] : ['sqlite'];

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
