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
import cliProgress from 'cli-progress';
import { cryptoRandom } from '../../support/clock.ts';
import { hashPassword } from '../auth/passwords.ts';
import { DEMO_PASSWORD } from '../demo/seed.ts';
import { ensureIdHashKey } from '../keys/service.ts';
import { loadRuleBook } from '../rules/book.ts';
import { simulateCity, SimulateError, tuneForBulkLoad } from '../simulate/simulate.ts';

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
    if (!(e instanceof BackupError) && !(e instanceof SimulateError)) throw e;
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
    .command('simulate')
    .description('build a synthetic city: venues, holders, their daily movement as scans, an outbreak (reproducible by --seed; resumable: run it again to continue)')
    .option('--holders <n>', 'holders', wholeNumber('--holders', 1, 10_000_000), 10_000)
    .option('--venues <n>', 'venues and checkpoints', wholeNumber('--venues', 10, 1_000_000), 500)
    .option('--days <n>', 'days of movement, ending yesterday', wholeNumber('--days', 1, RETENTION_DAYS - 1), 14)
    .option('--seed <n>', 'random seed', wholeNumber('--seed', 0, 2 ** 31), 1)
    .action(async (opts: { holders: number; venues: number; days: number; seed: number }) => {
      const config = loadConfig();
      await refusable(() =>
        withStore(async (store) => {
          const now = systemClock.now();
          await tuneForBulkLoad(store.db);
          const ctx = {
            now,
            timeZone: config.defaultTimeZone,
            region: config.region,
            idHashKey: await ensureIdHashKey(store.db, cryptoRandom, now),
            passwordHash: await hashPassword(DEMO_PASSWORD),
            rulesetVersion: (await loadRuleBook(store.db, now)).inForce(now).version,
          };
          const started = Date.now();
          let phase = '';
          const bar = new cliProgress.SingleBar(
            { format: '{phase} [{bar}] {percentage}% | {value}/{total} | {scans} scans | {rate} scans/s | ETA {eta_formatted}', etaBuffer: 20, noTTYOutput: true, notTTYSchedule: 15_000 },
            cliProgress.Presets.shades_classic,
          );
          const s = await simulateCity(store.db, opts, ctx, (p) => {
            if (p.phase !== phase) {
              if (phase) bar.stop();
              phase = p.phase;
              bar.start(p.total, 0, { phase: p.phase === 'outbreak' ? 'outbreak (days)' : 'writing (units)', scans: 0, rate: 0 });
            }
            const secs = (Date.now() - started) / 1000;
            bar.update(p.done, { scans: p.scans, rate: Math.round(p.scans / Math.max(secs, 0.001)) });
          });
          bar.stop();
          const secs = (Date.now() - started) / 1000;
          console.log(
            `${s.holders} holders, ${s.venues} venues, ${s.days} days: ${s.scansWritten} scans written in ${secs.toFixed(1)} s ` +
              `(${Math.round(s.scansWritten / secs)} scans/s)${s.resumedFrom ? `, resumed at unit ${s.resumedFrom} of ${s.units}` : ''}; ` +
              `outbreak: ${s.indexCases} index cases, ${s.infected} infected, ${s.declarations} declared symptoms`,
          );
        }),
      );
    });

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
