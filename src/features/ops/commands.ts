// The operator's commands: maintain, backup, restore (and simulate). Registered on the CLI by
// cli.ts; each opens the store from the configuration and closes it.
import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import { loadConfig } from '../../config.ts';
import { openStore } from '../../db/connect.ts';
import { migrateToLatest } from '../../db/migrate.ts';
import { systemClock } from '../../support/clock.ts';
import { RETENTION_DAYS } from '../scans/service.ts';
import { backupStore, BackupError, restoreStore } from './backup.ts';
import { runScanMaintenance } from './maintenance.ts';

function wholeNumber(name: string, min: number, max: number) {
  return (v: string): number => {
    if (!/^\d+$/.test(v) || Number(v) < min || Number(v) > max) throw new InvalidArgumentError(`${name} must be a whole number from ${min} to ${max}, got ${JSON.stringify(v)}`);
    return Number(v);
  };
}

/** Refusals (a backup that exists, a non-empty restore target) exit 2 with the reason. */
async function refusable(action: () => Promise<void>): Promise<void> {
  try {
    await action();
  } catch (e) {
    if (!(e instanceof BackupError)) throw e;
    console.error(`healthcode: ${e.message}`);
    process.exitCode = 2;
  }
}

async function withStore<T>(fn: (store: ReturnType<typeof openStore>, databaseUrl: string) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const store = openStore(config.databaseUrl, { poolMax: 4 });
  try {
    await migrateToLatest(store.db);
    return await fn(store, config.databaseUrl);
  } finally {
    await store.close();
  }
}

export function registerOpsCommands(program: Command): void {
  program
    .command('maintain')
    .description('scan maintenance: create the coming days\' partitions (PostgreSQL) and purge scans past retention (what the server runs hourly)')
    .option('--retention-days <n>', 'days of scans to keep', wholeNumber('--retention-days', 1, 3650), RETENTION_DAYS)
    .option('--days-ahead <n>', 'partitions to keep ready ahead of today', wholeNumber('--days-ahead', 1, 365), 7)
    .action(async (opts: { retentionDays: number; daysAhead: number }) => {
      await withStore(async (store) => {
        const r = await runScanMaintenance(store.db, { now: systemClock.now(), retentionDays: opts.retentionDays, daysAhead: opts.daysAhead });
        console.log(JSON.stringify(r));
      });
    });

  program
    .command('backup')
    .description('back up the store to a new file: SQLite online backup, or pg_dump (custom format) for PostgreSQL')
    .argument('<file>', 'the backup file to create')
    .action(async (file: string) => {
      await refusable(() =>
        withStore(async (store, url) => {
          const r = await backupStore(store, url, file);
          console.log(`backup written to ${file} (${r.bytes} bytes)`);
        }),
      );
    });

  program
    .command('restore')
    .description('restore a backup into the configured store (must be empty unless --force; stop the server first)')
    .argument('<file>', 'a file made by healthcode backup')
    .option('--force', 'replace a store that already has data')
    .action(async (file: string, opts: { force?: boolean }) => {
      await refusable(async () => {
        const url = loadConfig().databaseUrl;
        const r = await restoreStore(url, file, { force: opts.force === true });
        // bring the restored store up to this version's schema
        const store = openStore(url, { poolMax: 2 });
        try {
          const applied = await migrateToLatest(store.db);
          console.log(`restored ${r.kind} backup ${file}${applied.length ? `; then applied ${applied.join(', ')}` : ''}`);
        } finally {
          await store.close();
        }
      });
    });
}
