// Group commit: scans arriving together are written in one transaction, and each request is
// acknowledged only after that transaction has committed (durably: SQLite synchronous=FULL,
// PostgreSQL's default synchronous_commit). One fsync then serves many acknowledgements.
import type { Kysely } from 'kysely';
import type { Database, ScanTable } from '../../db/schema.ts';

export type WriteOutcome = { status: 'stored'; row: ScanTable } | { status: 'duplicate'; row: ScanTable };

interface Pending {
  row: ScanTable;
  resolve: (o: WriteOutcome) => void;
  reject: (e: unknown) => void;
}

/** Rows per INSERT statement (within SQLite's and PostgreSQL's bound-parameter limits). */
const CHUNK = 1000;

export async function insertScans(db: Kysely<Database>, rows: ScanTable[]): Promise<WriteOutcome[]> {
  return db.transaction().execute(async (trx) => {
    const inserted = new Set<string>();
    for (let i = 0; i < rows.length; i += CHUNK) {
      const chunk = rows.slice(i, i + CHUNK);
      const ids = await trx
        .insertInto('scans')
        .values(chunk)
        .onConflict((oc) => oc.column('event_id').doNothing())
        .returning('event_id')
        .execute();
      for (const r of ids) inserted.add(r.event_id);
    }
    const missing = rows.filter((r) => !inserted.has(r.event_id)).map((r) => r.event_id);
    const existing = new Map<string, ScanTable>();
    for (let i = 0; i < missing.length; i += CHUNK) {
      const found = await trx.selectFrom('scans').selectAll().where('event_id', 'in', missing.slice(i, i + CHUNK)).execute();
      for (const f of found) existing.set(f.event_id, f);
    }
    const claimed = new Set<string>();
    return rows.map((row): WriteOutcome => {
      // the first row with an id that was inserted is "stored"; any repeat of it is a duplicate
      if (inserted.has(row.event_id) && !claimed.has(row.event_id)) {
        claimed.add(row.event_id);
        return { status: 'stored', row };
      }
      const prior = existing.get(row.event_id) ?? rows.find((r) => r.event_id === row.event_id)!;
      return { status: 'duplicate', row: prior };
    });
  });
}

export class ScanWriter {
  private queue: Pending[] = [];
  private flushing: Promise<void> | null = null;
  private closed = false;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly maxBatch = 2000,
  ) {}

  write(row: ScanTable): Promise<WriteOutcome> {
    if (this.closed) return Promise.reject(new Error('scan writer is closed'));
    return new Promise((resolve, reject) => {
      this.queue.push({ row, resolve, reject });
      if (!this.flushing) this.flushing = this.drain();
    });
  }

  private async drain(): Promise<void> {
    // let the requests that arrived in this turn of the event loop join the batch
    await new Promise((r) => setImmediate(r));
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, this.maxBatch);
      try {
        const outcomes = await insertScans(this.db, batch.map((p) => p.row));
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
