// Group commit: scans arriving together are written in one transaction, and each request is
// acknowledged only after that transaction has committed (durably: SQLite synchronous=FULL,
// PostgreSQL's default synchronous_commit). One fsync then serves many acknowledgements.
//
// The audit entry of each acknowledged scan is appended in the same transaction as the scan, so
// a group costs one durable commit (one fsync), not one for the scans and one for the audit log.
//
// Exactly once per event id: the id is first claimed in the unpartitioned ledger
// scan_event_ids (ON CONFLICT DO NOTHING), and only claimed ids are inserted into scans, in
// the same transaction. So an id is stored once whatever day its scan falls on, also on
// PostgreSQL where scans is partitioned by day.
import type { Kysely } from 'kysely';
import { dayOf, ensureScanPartitions, isMissingPartition } from '../../db/partitions.ts';
import type { Database, ScanTable } from '../../db/schema.ts';
import { storeFailureKind, type StoreFailureKind } from '../../db/errors.ts';
import { appendAudit, type AuditInput } from '../audit/service.ts';

export type WriteOutcome =
  | { status: 'stored'; row: ScanTable }
  | { status: 'duplicate'; row: ScanTable }
  /** the id is in the ledger but its scan was purged by retention (ledger and scans purge by whole days) */
  | { status: 'purged'; row: null };

/** What the writer reports, for /metrics; all optional. */
export interface WriterObserver {
  batch?(rows: number, seconds: number): void;
  outcome?(status: WriteOutcome['status'], row: ScanTable | null): void;
  failure?(kind: StoreFailureKind | 'other'): void;
}

/** The audit entry for a written scan, given its outcome (null: none). */
export type AuditFor = (outcome: WriteOutcome) => AuditInput | null;
/** The audit entries for a written batch, given its outcomes. */
export type AuditForBatch = (outcomes: WriteOutcome[]) => AuditInput[];

interface Pending {
  row: ScanTable;
  audit?: AuditFor;
  resolve: (o: WriteOutcome) => void;
  reject: (e: unknown) => void;
}

/** Rows per INSERT statement (within SQLite's and PostgreSQL's bound-parameter limits). */
const CHUNK = 1000;

/**
 * Writes scans in one transaction: each claimed in the ledger, then stored; repeats answered
 * from the store. `audit` names the audit entries to append in the same transaction (last: on
 * PostgreSQL the audit append lock is then held only until the commit).
 */
export async function insertScans(db: Kysely<Database>, rows: ScanTable[], audit?: AuditForBatch): Promise<WriteOutcome[]> {
  return db.transaction().execute(async (trx) => {
    const outcomes = await insertScansIn(trx, rows);
    if (audit) await appendAudit(trx, audit(outcomes));
    return outcomes;
  });
}

/** The same inside a transaction the caller holds (bulk loaders commit their progress with it). */
export async function insertScansIn(trx: Kysely<Database>, rows: ScanTable[]): Promise<WriteOutcome[]> {
  const claimed = new Set<string>();
  for (let i = 0; i < rows.length; i += CHUNK) {
    const chunk = rows.slice(i, i + CHUNK);
    const ids = await trx
      .insertInto('scan_event_ids')
      .values(chunk.map((r) => ({ event_id: r.event_id, scanned_at: r.scanned_at })))
      .onConflict((oc) => oc.column('event_id').doNothing())
      .returning('event_id')
      .execute();
    for (const r of ids) claimed.add(r.event_id);
  }
  // the first row with a claimed id is stored; any repeat of it in this batch is a duplicate
  const first = new Map<string, ScanTable>();
  for (const r of rows) if (claimed.has(r.event_id) && !first.has(r.event_id)) first.set(r.event_id, r);
  const fresh = [...first.values()];
  for (let i = 0; i < fresh.length; i += CHUNK) {
    await trx.insertInto('scans').values(fresh.slice(i, i + CHUNK)).execute();
  }
  const missing = [...new Set(rows.filter((r) => !claimed.has(r.event_id)).map((r) => r.event_id))];
  const existing = new Map<string, ScanTable>();
  for (let i = 0; i < missing.length; i += CHUNK) {
    const found = await trx
      .selectFrom('scan_event_ids')
      .innerJoin('scans', (j) => j.onRef('scans.event_id', '=', 'scan_event_ids.event_id').onRef('scans.scanned_at', '=', 'scan_event_ids.scanned_at'))
      .selectAll('scans')
      .where('scan_event_ids.event_id', 'in', missing.slice(i, i + CHUNK))
      .execute();
    for (const f of found) existing.set(f.event_id, f);
  }
  return rows.map((row): WriteOutcome => {
    if (first.get(row.event_id) === row) return { status: 'stored', row };
    const prior = existing.get(row.event_id) ?? first.get(row.event_id);
    return prior ? { status: 'duplicate', row: prior } : { status: 'purged', row: null };
  });
}

export class ScanWriter {
  private queue: Pending[] = [];
  private flushing: Promise<void> | null = null;
  private closed = false;
  private inFlight = 0;
  /** the last store failure (full, read-only, unavailable) and when; cleared by a successful write */
  lastFailure: { kind: StoreFailureKind; at: number } | null = null;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly maxBatch = 2000,
    private readonly observer: WriterObserver = {},
  ) {}

  /** Scans waiting for the next transaction (a queue depth for /metrics). */
  get queued(): number {
    return this.queue.length;
  }

  /** Scans in the transaction being written. */
  get writing(): number {
    return this.inFlight;
  }

  /** Queues a scan for the next group commit; `audit` gives its audit entry, written in the same transaction. */
  write(row: ScanTable, audit?: AuditFor): Promise<WriteOutcome> {
    if (this.closed) return Promise.reject(new Error('scan writer is closed'));
    return new Promise((resolve, reject) => {
      this.queue.push({ row, audit, resolve, reject });
      if (!this.flushing) this.flushing = this.drain();
    });
  }

  /**
   * A batch of a checkpoint's offline scans, written in one transaction of its own: all of
   * it is stored, or (on a store failure) none of it.
   */
  async writeBatch(rows: ScanTable[], audit?: AuditForBatch): Promise<WriteOutcome[]> {
    if (this.closed) throw new Error('scan writer is closed');
    return this.commit(rows, audit);
  }

  private async commit(rows: ScanTable[], audit?: AuditForBatch): Promise<WriteOutcome[]> {
    const started = performance.now();
    this.inFlight += rows.length;
    try {
      let outcomes: WriteOutcome[];
      try {
        outcomes = await insertScans(this.db, rows, audit);
      } catch (e) {
        // PostgreSQL: a scan for a day whose partition the maintenance job has not created yet
        if (!isMissingPartition(e)) throw e;
        const days = rows.map((r) => dayOf(r.scanned_at));
        await ensureScanPartitions(this.db, Math.min(...days), Math.max(...days));
        outcomes = await insertScans(this.db, rows, audit);
      }
      this.lastFailure = null;
      this.observer.batch?.(rows.length, (performance.now() - started) / 1000);
      for (const o of outcomes) this.observer.outcome?.(o.status, o.row);
      return outcomes;
    } catch (e) {
      const kind = storeFailureKind(e);
      if (kind) this.lastFailure = { kind, at: Date.now() };
      this.observer.failure?.(kind ?? 'other');
      throw e;
    } finally {
      this.inFlight -= rows.length;
    }
  }

  private async drain(): Promise<void> {
    // let the requests that arrived in this turn of the event loop join the batch
    await new Promise((r) => setImmediate(r));
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, this.maxBatch);
      try {
        const audits = batch.some((p) => p.audit)
          ? (outcomes: WriteOutcome[]) => batch.flatMap((p, i) => p.audit?.(outcomes[i]!) ?? [])
          : undefined;
        const outcomes = await this.commit(batch.map((p) => p.row), audits);
        batch.forEach((p, i) => p.resolve(outcomes[i]!));
      } catch (e) {
        for (const p of batch) p.reject(e);
      }
    }
    this.flushing = null;
  }

  /** Waits for everything queued to be written (graceful shutdown). */
  async close(): Promise<void> {
    this.closed = true;
    while (this.flushing) await this.flushing;
  }
}
