// The checkpoint's offline store: the cached trust list and revocation list (verified before use),
// and the queue of scans waiting to be synced, in IndexedDB. Sync posts the queue to
// /api/checkpoint/scans/batch; the server stores each event id once, so a retry after a lost
// answer cannot store a scan twice, and a queued scan leaves the queue only once the server has
// answered for it.
import type { BatchScanResult, ScanBody } from '../../src/contracts/api.ts';
import { ApiError, get, post } from '../shared/api.ts';
import {
  offlineVerdict,
  verifyRevocationListJws,
  verifyTrustListJws,
  type BrowserTrust,
  type OfflineVerdict,
} from '../shared/offline-verify.ts';

const DB_NAME = 'healthcode-scanner';
const QUEUE = 'queue';
const LISTS = 'lists';

export interface QueuedScan {
  body: ScanBody;
  queuedAt: number;
  /** the verdict shown on the device when it was scanned */
  verdict: OfflineVerdict;
}

export interface CachedLists {
  trustJws: string;
  trustIssuedAt: string;
  trustExpiresAt: string;
  revocationJws: string | null;
  revocationIssuedAt: string | null;
  revocationExpiresAt: string | null;
  fetchedAt: number;
}

function req<T>(r: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error);
  });
}

let dbPromise: Promise<IDBDatabase> | null = null;
function openDb(): Promise<IDBDatabase> {
  dbPromise ??= new Promise((resolve, reject) => {
    const r = indexedDB.open(DB_NAME, 1);
    r.onupgradeneeded = () => {
      r.result.createObjectStore(QUEUE, { keyPath: 'body.eventId' });
      r.result.createObjectStore(LISTS);
    };
    r.onsuccess = () => resolve(r.result);
    r.onerror = () => reject(r.error);
  });
  return dbPromise;
}

async function store(name: string, mode: IDBTransactionMode): Promise<IDBObjectStore> {
  return (await openDb()).transaction(name, mode).objectStore(name);
}

// ------------------------------------------------------------------------------- queue

export async function enqueue(scan: QueuedScan): Promise<void> {
  const s = await store(QUEUE, 'readwrite');
  await req(s.put(scan));
  await new Promise<void>((resolve, reject) => {
    s.transaction.oncomplete = () => resolve();
    s.transaction.onerror = () => reject(s.transaction.error);
  });
  notify();
}

export async function queued(): Promise<QueuedScan[]> {
  return req((await store(QUEUE, 'readonly')).getAll() as IDBRequest<QueuedScan[]>);
}

export async function queueCount(): Promise<number> {
  return req((await store(QUEUE, 'readonly')).count());
}

async function dequeue(eventIds: string[]): Promise<void> {
  if (eventIds.length === 0) return;
  const s = await store(QUEUE, 'readwrite');
  for (const id of eventIds) s.delete(id);
  await new Promise<void>((resolve, reject) => {
    s.transaction.oncomplete = () => resolve();
    s.transaction.onerror = () => reject(s.transaction.error);
  });
}

// ------------------------------------------------------------------------------- lists

export async function cachedLists(): Promise<CachedLists | null> {
  return ((await req((await store(LISTS, 'readonly')).get('lists'))) as CachedLists | undefined) ?? null;
}

/** The trust (keys + revoked ids) from the cached lists, each verified again; null when there is none. */
export async function cachedTrust(now = new Date()): Promise<BrowserTrust | null> {
  const lists = await cachedLists();
  if (!lists) return null;
  const { trust } = await verifyTrustListJws(lists.trustJws, now);
  let revoked = new Set<string>();
  if (lists.revocationJws) revoked = new Set((await verifyRevocationListJws(lists.revocationJws, trust)).revoked);
  return { keys: trust, revoked };
}

/** Fetches both lists, verifies them, and caches them. Throws when offline or when a list does not verify. */
export async function refreshLists(): Promise<CachedLists> {
  const now = new Date();
  const tl = await get<{ jws: string }>('/api/public/trust-list');
  const { doc, trust } = await verifyTrustListJws(tl.jws, now);
  let revocation: { jws: string; issuedAt: string; expiresAt: string } | null = null;
  try {
    const rl = await get<{ jws: string }>('/api/public/revocations');
    const d = await verifyRevocationListJws(rl.jws, trust);
    revocation = { jws: rl.jws, issuedAt: d.issuedAt, expiresAt: d.expiresAt };
  } catch (err) {
    // a server without a revocation list: keep the one we had (its age is shown)
    if (!(err instanceof ApiError && err.status === 404)) throw err;
  }
  const prev = await cachedLists();
  const lists: CachedLists = {
    trustJws: tl.jws,
    trustIssuedAt: doc.issuedAt,
    trustExpiresAt: doc.expiresAt,
    revocationJws: revocation?.jws ?? prev?.revocationJws ?? null,
    revocationIssuedAt: revocation?.issuedAt ?? prev?.revocationIssuedAt ?? null,
    revocationExpiresAt: revocation?.expiresAt ?? prev?.revocationExpiresAt ?? null,
    fetchedAt: now.getTime(),
  };
  const s = await store(LISTS, 'readwrite');
  await req(s.put(lists, 'lists'));
  notify();
  return lists;
}

/** Which cached list is past its expiry (the configured limit the server signs into it). */
export function staleness(lists: CachedLists | null, now: number): { trust: boolean; revocation: boolean; missing: boolean } {
  if (!lists) return { trust: true, revocation: true, missing: true };
  return {
    trust: now > Date.parse(lists.trustExpiresAt),
    revocation: lists.revocationExpiresAt === null || now > Date.parse(lists.revocationExpiresAt),
    missing: false,
  };
}

/** Verifies on this device; without any cached trust list nothing can be verified, so nothing passes. */
export async function verifyOnDevice(code: string, now: Date): Promise<OfflineVerdict> {
  let trust: BrowserTrust | null = null;
  try {
    trust = await cachedTrust(now);
  } catch {
    trust = null;
  }
  if (!trust) {
    return { ok: false, pass: false, error: 'no_trust_list', colour: null, maskedName: null, birthYear: null, validUntil: null, region: null, rulesetVersion: null };
  }
  return offlineVerdict(code, trust, now);
}

// ------------------------------------------------------------------------------- sync

export interface SyncReport {
  sent: number;
  stored: number;
  duplicate: number;
  /** refused by the server for a reason other than being already recorded (e.g. older than retention) */
  refused: { eventId: string; code: string; message: string }[];
}

const BATCH = 500;
let syncing: Promise<SyncReport> | null = null;

/** Sends the queue; one sync at a time per page. Throws ApiError when the server cannot be reached (the queue stays). */
export function syncQueue(): Promise<SyncReport> {
  syncing ??= (async () => {
    const report: SyncReport = { sent: 0, stored: 0, duplicate: 0, refused: [] };
    try {
      const all = await queued();
      all.sort((a, b) => a.queuedAt - b.queuedAt);
      for (let i = 0; i < all.length; i += BATCH) {
        const chunk = all.slice(i, i + BATCH);
        const res = await post<BatchScanResult>('/api/checkpoint/scans/batch', { events: chunk.map((q) => q.body) });
        const done: string[] = [];
        for (const r of res.results) {
          const q = chunk[r.index];
          if (!q) continue;
          report.sent++;
          if (r.status === 'stored') report.stored++;
          else if (r.status === 'duplicate') report.duplicate++;
          // the same id already stored by an online attempt whose answer was lost: recorded once
          else if (r.error?.code === 'event_id_reused') report.duplicate++;
          else report.refused.push({ eventId: q.body.eventId, code: r.error?.code ?? 'rejected', message: r.error?.message ?? '' });
          done.push(q.body.eventId);
        }
        await dequeue(done);
        notify();
      }
      return report;
    } finally {
      syncing = null;
    }
  })();
  return syncing;
}

// ------------------------------------------------------------------------------- change notifications

const listeners = new Set<() => void>();
export function onChange(f: () => void): () => void {
  listeners.add(f);
  return () => listeners.delete(f);
}
function notify() {
  for (const f of listeners) f();
}

// ------------------------------------------------------------------------------- last session (offline reload)

const SESSION_KEY = 'hc.scanner.session';

export function rememberSession(v: unknown): void {
  try {
    localStorage.setItem(SESSION_KEY, JSON.stringify(v));
  } catch {
    // storage unavailable
  }
}

export function rememberedSession<T>(): T | null {
  try {
    const v = localStorage.getItem(SESSION_KEY);
    return v ? (JSON.parse(v) as T) : null;
  } catch {
    return null;
  }
}

export function forgetSession(): void {
  try {
    localStorage.removeItem(SESSION_KEY);
  } catch {
    // ignore
  }
}
