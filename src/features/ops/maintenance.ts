// The scan maintenance job: make sure tomorrow's partitions exist before tomorrow, and purge
// scans past retention. PostgreSQL: creates the day partitions from the oldest retained day
// to `daysAhead` days ahead, and drops whole expired partitions (no DELETE, no vacuum debt).
// SQLite: deletes the expired rows. Both: the event-id ledger loses the same days.
// Idempotent; every server instance runs it at start and hourly, `healthcode maintain` on demand.
import type { Kysely } from 'kysely';
import { DAY_MS, dayOf, dropScanPartitionsBefore, ensureScanPartitions, isPostgres, listScanPartitions } from '../../db/partitions.ts';
import type { Database } from '../../db/schema.ts';

export interface MaintenanceOptions {
  now: Date;
  retentionDays: number;
  /** partitions to keep ready ahead of today */
  daysAhead?: number;
}

export interface MaintenanceReport {
  /** scans before this instant (a UTC midnight) are gone */
  purgedBefore: string;
  partitionsCreated: string[];
  partitionsDropped: string[];
  /** rows deleted from scans (SQLite) */
  scansDeleted: number;
  /** rows deleted from the event-id ledger */
  ledgerDeleted: number;
  /** day partitions present after the run (PostgreSQL) */
  partitions: number;
}

export async function runScanMaintenance(db: Kysely<Database>, opts: MaintenanceOptions): Promise<MaintenanceReport> {
  // whole UTC days entirely older than the retention period go; a day partly inside stays
  const firstKeptDay = dayOf(opts.now.getTime() - opts.retentionDays * DAY_MS);
  const cutoff = firstKeptDay * DAY_MS;
  const today = dayOf(opts.now.getTime());
  const partitionsCreated = await ensureScanPartitions(db, firstKeptDay, today + (opts.daysAhead ?? 7));
  const partitionsDropped = await dropScanPartitionsBefore(db, firstKeptDay);
  let scansDeleted = 0;
  if (!isPostgres(db)) {
    const r = await db.deleteFrom('scans').where('scanned_at', '<', cutoff).executeTakeFirst();
    scansDeleted = Number(r.numDeletedRows);
  }
  const l = await db.deleteFrom('scan_event_ids').where('scanned_at', '<', cutoff).executeTakeFirst();
  return {
    purgedBefore: new Date(cutoff).toISOString(),
    partitionsCreated,
    partitionsDropped,
    scansDeleted,
    ledgerDeleted: Number(l.numDeletedRows),
    partitions: (await listScanPartitions(db)).length,
  };
}

/** Runs the job now and every `everyMs` (default hourly) until stopped; failures are logged and retried next time. */
export function startScanMaintenance(
  db: Kysely<Database>,
  opts: { now: () => Date; retentionDays: number; log: { info(o: object, m: string): void; error(o: object, m: string): void }; everyMs?: number },
): { stop(): Promise<void> } {
  let running: Promise<void> = Promise.resolve();
  const tick = () => {
    running = running.then(async () => {
      try {
        const r = await runScanMaintenance(db, { now: opts.now(), retentionDays: opts.retentionDays });
        opts.log.info({ maintenance: r }, 'scan maintenance done');
      } catch (err) {
        opts.log.error({ err }, 'scan maintenance failed; retrying at the next run');
      }
    });
  };
  tick();
  const timer = setInterval(tick, opts.everyMs ?? 3_600_000);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
