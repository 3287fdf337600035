// Migrations are code, listed here in order; the same list runs on SQLite and PostgreSQL.
import { Migrator, type Migration, type MigrationResultSet } from 'kysely';
import type { Kysely } from 'kysely';
import type { Database } from './schema.ts';
import * as m0001 from './migrations/0001_foundation.ts';
import * as m0002 from './migrations/0002_rules_lifecycle.ts';
import * as m0003 from './migrations/0003_scan_partitions.ts';
import * as m0004 from './migrations/0004_tracing.ts';
import * as m0005 from './migrations/0005_due_process.ts';
import * as m0008 from './migrations/0008_nobody_left_out.ts';

const migrations: Record<string, Migration> = {
  '0001_foundation': m0001,
  '0002_rules_lifecycle': m0002,
  '0003_scan_partitions': m0003,
  '0004_tracing': m0004,
  '0005_due_process': m0005,
  '0008_nobody_left_out': m0008,
};

export class MigrationError extends Error {
  constructor(readonly migration: string | undefined, cause: unknown) {
    super(`migration ${migration ?? '(unknown)'} failed: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'MigrationError';
  }
}

export async function migrateToLatest(db: Kysely<Database>): Promise<string[]> {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
  const result: MigrationResultSet = await migrator.migrateToLatest();
  if (result.error) {
    const failed = result.results?.find((r) => r.status === 'Error');
    throw new MigrationError(failed?.migrationName, result.error);
  }
  return (result.results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}
