// The audit log's hash chain, pure: each entry's hash is SHA-256 over the canonical JSON of the
// entry (every field, its sequence number and the previous entry's hash). Changing, deleting or
// reordering an entry breaks the chain at that entry; dropping the newest entries is caught
// against a published head.
import crypto from 'node:crypto';

export const GENESIS_HASH = '0'.repeat(64);

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** JSON with object keys sorted at every level and no whitespace: one text per value. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError('canonical JSON has no NaN or Infinity');
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (typeof value === 'object') {
    const obj = value as Record<string, unknown>;
    const keys = Object.keys(obj).filter((k) => obj[k] !== undefined).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(',')}}`;
  }
  throw new TypeError(`canonical JSON cannot hold a ${typeof value}`);
}

/** The fields an entry's hash covers (the stored row, less its own hash). */
export interface ChainEntry {
  seq: number;
  at: number;
  actorKind: string;
  actorId: string | null;
  actorRole: string;
  action: string;
  subjectKind: string | null;
  subjectId: string | null;
  reason: string | null;
  /** canonical JSON text of the detail object */
  detail: string;
  prevHash: string;
}

export function entryHash(e: ChainEntry): string {
  return crypto.createHash('sha256').update(canonicalJson(e)).digest('hex');
}

export type ChainProblem = 'missing_entry' | 'previous_hash_mismatch' | 'hash_mismatch' | 'head_mismatch';

export interface ChainBreak {
  /** the first entry that does not verify (for a missing entry: the one after the gap) */
  seq: number;
  problem: ChainProblem;
  message: string;
}

/**
 * Checks entries given in seq order, continuing from (afterSeq, afterHash). Returns the first break,
 * or null.
 */
export function verifyEntries(entries: Iterable<ChainEntry & { hash: string }>, afterSeq = 0, afterHash = GENESIS_HASH): ChainBreak | null {
  let seq = afterSeq;
  let prev = afterHash;
  for (const e of entries) {
    if (e.seq !== seq + 1) {
      return {
        seq: e.seq,
        problem: 'missing_entry',
        message: e.seq > seq + 1 ? `entries ${seq + 1}..${e.seq - 1} are missing before entry ${e.seq}` : `entry ${e.seq} is out of order after ${seq}`,
      };
    }
    if (e.prevHash !== prev) return { seq: e.seq, problem: 'previous_hash_mismatch', message: `entry ${e.seq} does not follow entry ${seq}: its previous hash differs` };
    const { hash, ...fields } = e;
    if (entryHash(fields) !== hash) return { seq: e.seq, problem: 'hash_mismatch', message: `entry ${e.seq} was altered: its content does not match its hash` };
    seq = e.seq;
    prev = hash;
  }
  return null;
}
