// Code verification off the event loop. An ES256 verification costs ~60 µs of CPU, the largest
// single cost of a scan; a pool of worker threads, each holding the trust store, takes it off
// the thread that serves HTTP and commits to the store. The codes that one turn of the event loop
// brings in are sent in one message per worker (a 1,000-event batch is split across them), so
// the message overhead is paid per turn, not per code.
//
// A worker that dies takes nothing with it: the codes it held are verified on the main thread
// and a new worker is started for the next turn. With no workers (tests, one-core machines) the
// codes are verified in-line, the same way.
import crypto from 'node:crypto';
import { Worker } from 'node:worker_threads';
import { decodeHealthCode, isTokenError, type HealthCodeClaims, type TokenErrorCode, type TrustedKey, type TrustStore } from '../../core/token/index.ts';

export type DecodeResult = { ok: true; claims: HealthCodeClaims } | { ok: false; code: TokenErrorCode; message: string };

export interface DecodeItem {
  text: string;
  /** the moment the code is judged at */
  at: Date;
}

export interface CodeVerifier {
  decode(items: readonly DecodeItem[]): Promise<DecodeResult[]>;
  /** Stops the workers (pending codes are still answered). */
  close(): Promise<void>;
  /** codes answered by the workers, and on this thread (no pool, or a worker lost) */
  readonly counts: { workers: number; here: number };
}

/** The key as it crosses to a worker (KeyObjects are sent as SPKI DER). */
export interface WireKey {
  kid: string;
  spki: Uint8Array;
  alg?: TrustedKey['alg'];
  region?: string;
  validFrom?: number;
  validUntil?: number;
}

export function toWireKeys(keys: readonly TrustedKey[]): WireKey[] {
  return keys.map((k) => ({
    kid: k.kid,
    spki: new Uint8Array(k.publicKey.export({ type: 'spki', format: 'der' })),
    ...(k.alg ? { alg: k.alg } : {}),
    ...(k.region ? { region: k.region } : {}),
    ...(k.validFrom ? { validFrom: k.validFrom.getTime() } : {}),
    ...(k.validUntil ? { validUntil: k.validUntil.getTime() } : {}),
  }));
}

export function fromWireKeys(keys: readonly WireKey[]): TrustedKey[] {
  return keys.map((k) => ({
    kid: k.kid,
    publicKey: crypto.createPublicKey({ key: Buffer.from(k.spki), format: 'der', type: 'spki' }),
    ...(k.alg ? { alg: k.alg } : {}),
    ...(k.region ? { region: k.region } : {}),
    ...(k.validFrom !== undefined ? { validFrom: new Date(k.validFrom) } : {}),
    ...(k.validUntil !== undefined ? { validUntil: new Date(k.validUntil) } : {}),
  }));
}

/** Decodes one code; a TokenError is an answer, anything else is a fault and is thrown. */
export function decodeOne(text: string, trust: TrustStore, at: Date): DecodeResult {
  try {
    return { ok: true, claims: decodeHealthCode(text, trust, at) };
  } catch (e) {
    if (!isTokenError(e)) throw e;
    return { ok: false, code: e.code, message: e.message };
  }
}

/** Verification on the calling thread. */
export function inlineVerifier(trust: TrustStore): CodeVerifier {
  const counts = { workers: 0, here: 0 };
  return {
    decode: async (items) => {
      counts.here += items.length;
      return items.map((i) => decodeOne(i.text, trust, i.at));
    },
    close: async () => undefined,
    counts,
  };
}

/** One decode() call: its codes, their answers as they come in, and how many are still out. */
interface Job {
  items: readonly DecodeItem[];
  out: DecodeResult[];
  remaining: number;
  resolve: (r: DecodeResult[]) => void;
  reject: (e: unknown) => void;
}

/** A slice of one turn's codes sent to one worker: parts of jobs (first item, count), in order. */
interface Shipment {
  parts: { job: Job; from: number; count: number }[];
  id: number;
}

/** Worker replies: the results of one shipment, or the message of a fault it hit. */
export type WorkerReply = { id: number; results: DecodeResult[] } | { id: number; fault: string };

const WORKER_ENTRY = new URL('./verifier-worker.ts', import.meta.url).href;
/** Codes per message when a turn's codes are split across workers. */
const MIN_SHARE = 64;

class WorkerSlot {
  worker: Worker | null = null;
  readonly inFlight = new Map<number, Shipment>();
  constructor(
    private readonly keys: WireKey[],
    private readonly onLost: (s: Shipment) => void,
    private readonly answered: (n: number) => void,
  ) {}

  send(s: Shipment): void {
    const w = this.worker ?? this.start();
    this.inFlight.set(s.id, s);
    w.postMessage({ id: s.id, items: s.parts.flatMap((p) => p.job.items.slice(p.from, p.from + p.count).map((i) => ({ text: i.text, at: i.at.getTime() }))) });
  }

  private start(): Worker {
    // the sources are TypeScript: the worker registers tsx's loader before importing its entry
    const w = new Worker(`import('tsx/esm/api').then((m) => { m.register(); return import(${JSON.stringify(WORKER_ENTRY)}); })`, {
      eval: true,
      workerData: { keys: this.keys },
    });
    w.unref();
    w.on('message', (m: WorkerReply) => {
      const s = this.inFlight.get(m.id);
      if (!s) return;
      this.inFlight.delete(m.id);
      if ('fault' in m) {
        for (const p of s.parts) p.job.reject(new Error(`code verification failed: ${m.fault}`));
        return;
      }
      let k = 0;
      for (const p of s.parts) for (let i = 0; i < p.count; i++) p.job.out[p.from + i] = m.results[k++]!;
      this.answered(k);
      for (const p of s.parts) finishPart(p);
    });
    const lost = () => {
      if (this.worker !== w) return;
      this.worker = null;
      const pending = [...this.inFlight.values()];
      this.inFlight.clear();
      for (const s of pending) this.onLost(s);
    };
    w.on('error', lost);
    w.on('exit', lost);
    this.worker = w;
    return w;
  }

  async stop(): Promise<void> {
    const w = this.worker;
    this.worker = null;
    const pending = [...this.inFlight.values()];
    this.inFlight.clear();
    for (const s of pending) this.onLost(s);
    if (w) await w.terminate();
  }
}

/** A part's answers are in; the job resolves when all of its parts' are. */
function finishPart(p: Shipment['parts'][number]): void {
  p.job.remaining -= p.count;
  if (p.job.remaining === 0) p.job.resolve(p.job.out);
}

/** A pool of `size` worker threads (started on first use). */
export function workerVerifier(trusted: readonly TrustedKey[], trust: TrustStore, size: number): CodeVerifier {
  if (size < 1) return inlineVerifier(trust);
  const keys = toWireKeys(trusted);
  let queue: Job[] = [];
  let scheduled = false;
  let closed = false;
  let nextId = 1;
  let rr = 0;
  const counts = { workers: 0, here: 0 };
  const here = (items: readonly DecodeItem[]) => {
    counts.here += items.length;
    return items.map((i) => decodeOne(i.text, trust, i.at));
  };
  // a worker lost with codes in hand: those codes are verified here, now
  const onLost = (s: Shipment) => {
    for (const p of s.parts) {
      counts.here += p.count;
      try {
        for (let i = p.from; i < p.from + p.count; i++) p.job.out[i] = decodeOne(p.job.items[i]!.text, trust, p.job.items[i]!.at);
        finishPart(p);
      } catch (e) {
        p.job.reject(e);
      }
    }
  };
  const slots = Array.from({ length: size }, () => new WorkerSlot(keys, onLost, (n) => (counts.workers += n)));

  const flush = () => {
    scheduled = false;
    const jobs = queue;
    queue = [];
    const total = jobs.reduce((n, j) => n + j.items.length, 0);
    if (total === 0) return;
    // split the turn's codes into at most `size` shipments of at least MIN_SHARE codes
    const shipments = Math.max(1, Math.min(size, Math.floor(total / MIN_SHARE)));
    const per = Math.ceil(total / shipments);
    let current: Shipment = { parts: [], id: nextId++ };
    let room = per;
    const ship = () => {
      if (current.parts.length === 0) return;
      slots[rr++ % size]!.send(current);
      current = { parts: [], id: nextId++ };
      room = per;
    };
    for (const job of jobs) {
      let from = 0;
      while (from < job.items.length) {
        const count = Math.min(room, job.items.length - from);
        current.parts.push({ job, from, count });
        from += count;
        room -= count;
        if (room === 0) ship();
      }
    }
    ship();
  };

  return {
    decode(items) {
      if (items.length === 0) return Promise.resolve([]);
      if (closed) return Promise.resolve(here(items));
      return new Promise((resolve, reject) => {
        queue.push({ items, out: new Array(items.length), remaining: items.length, resolve, reject });
        if (!scheduled) {
          scheduled = true;
          setImmediate(flush);
        }
      });
    },
    async close() {
      closed = true;
      if (scheduled) flush();
      await Promise.all(slots.map((s) => s.stop()));
    },
    counts,
  };
}
