// /readyz: an instance is ready only when its store would take a scan now. Checked in order:
//   1. the store answers (select 1);
//   2. it accepts a write: a probe row inserted into the event-id ledger inside a transaction
//      that is then rolled back (no data, no fsync) — a read-only database or a PostgreSQL
//      standby refuses the insert itself;
//   3. SQLite: it has room to grow (free disk, or max_page_count) — a write that would need a
//      new page fails only at commit, so room is checked directly;
//   4. no scan transaction failed for lack of space, read-only or unavailability in the last
//      30 seconds (PostgreSQL's disk full, 53100, is only seen this way).
// The answer is cached for a second, so a load balancer's probes cost one check.
import type { Kysely } from 'kysely';
import type { Store } from '../../db/connect.ts';
import { storeFailureKind, type StoreFailureKind } from '../../db/errors.ts';
import type { Database } from '../../db/schema.ts';
import type { ErrorCode } from '../../errors.ts';
import type { ScanWriter } from '../scans/writer.ts';

/** SQLite must be able to grow by this much for the instance to take traffic. */
export const MIN_FREE_BYTES = 64 * 1024 * 1024;
const RECENT_FAILURE_MS = 30_000;
const CACHE_MS = 1000;

export type Readiness = { ready: true } | { ready: false; code: ErrorCode; message: string };

const CODE: Record<StoreFailureKind, ErrorCode> = { full: 'store_full', read_only: 'store_read_only', unavailable: 'store_unavailable' };
const MESSAGE: Record<StoreFailureKind, string> = {
  full: 'the database is out of space: scans cannot be stored',
  read_only: 'the database is read-only: scans cannot be stored',
  unavailable: 'the data store does not answer',
};

export function notReady(kind: StoreFailureKind, detail?: string): Readiness {
  return { ready: false, code: CODE[kind], message: detail ? `${MESSAGE[kind]} (${detail})` : MESSAGE[kind] };
}

class Rollback extends Error {}

async function writeProbe(db: Kysely<Database>): Promise<void> {
  try {
    await db.transaction().execute(async (trx) => {
      await trx
        .insertInto('scan_event_ids')
        .values({ event_id: 'readiness-probe', scanned_at: 0 })
        .onConflict((oc) => oc.column('event_id').doNothing())
        .execute();
      throw new Rollback();
    });
  } catch (e) {
    if (!(e instanceof Rollback)) throw e;
  }
}

async function check(store: Store, writer: ScanWriter, minFreeBytes: number): Promise<Readiness> {
  try {
    await store.ping();
    await writeProbe(store.db);
  } catch (e) {
    const kind = storeFailureKind(e) ?? 'unavailable';
    return notReady(kind, (e as { code?: string }).code ?? (e as Error).message);
  }
  if (store.capacity) {
    const { freeBytes } = store.capacity();
    if (freeBytes < minFreeBytes) return notReady('full', `${Math.floor(freeBytes / 1024)} KiB left, ${Math.floor(minFreeBytes / 1048576)} MiB needed`);
  }
  const f = writer.lastFailure;
  if (f && Date.now() - f.at < RECENT_FAILURE_MS) return notReady(f.kind, 'the last scan transaction failed');
  return { ready: true };
}

export class ReadinessCheck {
  private last: { at: number; result: Promise<Readiness> } | null = null;

  constructor(
    private readonly store: Store,
    private readonly writer: ScanWriter,
    private readonly minFreeBytes = MIN_FREE_BYTES,
  ) {}

  run(): Promise<Readiness> {
    const now = Date.now();
    if (!this.last || now - this.last.at >= CACHE_MS) this.last = { at: now, result: check(this.store, this.writer, this.minFreeBytes) };
    return this.last.result;
  }
}
