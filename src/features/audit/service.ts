// The audit log: append-only and hash-chained (src/core/audit/chain.ts). Every write and every
// official's read of a holder's personal data goes through `audit` (or, for high-volume writes
// answered per request, through an AuditBatcher that appends a tick's entries in one transaction).
//
// Appends are race-free: on PostgreSQL a transaction-scoped advisory lock serialises appenders
// (call `audit` last in a transaction: the lock is held until it commits); on SQLite the write
// lock does. seq is the primary key, so an appender that read a stale head fails on the unique
// key instead of forking the chain, and retries.
import { sql, type Kysely } from 'kysely';
import { canonicalJson, entryHash, GENESIS_HASH, verifyEntries, type ChainBreak, type ChainEntry } from '../../core/audit/chain.ts';
import { isUniqueViolation } from '../../db/errors.ts';
import { isPostgres } from '../../db/partitions.ts';
import type { AuditLogTable, Database } from '../../db/schema.ts';

/** Any 64-bit number; only the audit log takes this advisory lock. */
const APPEND_LOCK = 7_316_202_207;

export interface Actor {
  kind: AuditLogTable['actor_kind'];
  id: string | null;
  /** the role the actor acted in ('holder', 'official', …, 'system', 'anonymous') */
  role: string;
}

export const SYSTEM: Actor = { kind: 'system', id: null, role: 'system' };
export const ANONYMOUS: Actor = { kind: 'anonymous', id: null, role: 'anonymous' };

export interface AuditInput {
  at: Date;
  actor: Actor;
  /** what was done, e.g. 'holder.read', 'override.approve', 'POST /api/holder/declarations' */
  action: string;
  subject?: { kind: string; id: string } | null;
  /** the stated reason (required for officials' reads of holder data) */
  reason?: string | null;
  detail?: Record<string, unknown>;
}

export interface AuditRecord {
  seq: number;
  at: Date;
  actor: Actor;
  action: string;
  subject: { kind: string; id: string } | null;
  reason: string | null;
  detail: Record<string, unknown>;
  prevHash: string;
  hash: string;
}

export function rowToChainEntry(r: AuditLogTable): ChainEntry & { hash: string } {
  return {
    seq: Number(r.seq),
    at: Number(r.at),
    actorKind: r.actor_kind,
    actorId: r.actor_id,
    actorRole: r.actor_role,
    action: r.action,
    subjectKind: r.subject_kind,
    subjectId: r.subject_id,
    reason: r.reason,
    detail: r.detail,
    prevHash: r.prev_hash,
    hash: r.hash,
  };
}

export function rowToAuditRecord(r: AuditLogTable): AuditRecord {
  return {
    seq: Number(r.seq),
    at: new Date(Number(r.at)),
    actor: { kind: r.actor_kind, id: r.actor_id, role: r.actor_role },
    action: r.action,
    subject: r.subject_kind && r.subject_id ? { kind: r.subject_kind, id: r.subject_id } : null,
    reason: r.reason,
    detail: JSON.parse(r.detail) as Record<string, unknown>,
    prevHash: r.prev_hash,
    hash: r.hash,
  };
}

async function appendIn(trx: Kysely<Database>, inputs: readonly AuditInput[]): Promise<AuditLogTable[]> {
  if (isPostgres(trx)) await sql`select pg_advisory_xact_lock(${APPEND_LOCK})`.execute(trx);
  const head = await trx.selectFrom('audit_log').select(['seq', 'hash']).orderBy('seq', 'desc').limit(1).executeTakeFirst();
  let seq = head ? Number(head.seq) : 0;
  let prev = head?.hash ?? GENESIS_HASH;
  const rows: AuditLogTable[] = [];
  for (const i of inputs) {
    seq++;
    const entry: ChainEntry = {
      seq,
      at: i.at.getTime(),
      actorKind: i.actor.kind,
      actorId: i.actor.id,
      actorRole: i.actor.role,
      action: i.action,
      subjectKind: i.subject?.kind ?? null,
      subjectId: i.subject?.id ?? null,
      reason: i.reason ?? null,
      detail: canonicalJson(i.detail ?? {}),
      prevHash: prev,
    };
    const hash = entryHash(entry);
    rows.push({
      seq,
      at: entry.at,
      actor_kind: i.actor.kind,
      actor_id: entry.actorId,
      actor_role: entry.actorRole,
      action: entry.action,
      subject_kind: entry.subjectKind,
      subject_id: entry.subjectId,
      reason: entry.reason,
      detail: entry.detail,
      prev_hash: prev,
      hash,
    });
    prev = hash;
  }
  for (let k = 0; k < rows.length; k += 500) await trx.insertInto('audit_log').values(rows.slice(k, k + 500)).execute();
  return rows;
}

/** Appends entries in order. Inside a transaction they commit (or roll back) with it. */
export async function appendAudit(db: Kysely<Database>, inputs: readonly AuditInput[]): Promise<AuditRecord[]> {
  if (inputs.length === 0) return [];
  if (db.isTransaction) return (await appendIn(db, inputs)).map(rowToAuditRecord);
  for (let attempt = 1; ; attempt++) {
    try {
      return (await db.transaction().execute((trx) => appendIn(trx, inputs))).map(rowToAuditRecord);
    } catch (e) {
      // another process extended the chain between our read of the head and our insert
      const busy = (e as { code?: string }).code === 'SQLITE_BUSY_SNAPSHOT' || (e as { code?: string }).code === 'SQLITE_BUSY';
      if ((!isUniqueViolation(e) && !busy) || attempt >= 20) throw e;
    }
  }
}

export async function audit(db: Kysely<Database>, input: AuditInput): Promise<AuditRecord> {
  const [r] = await appendAudit(db, [input]);
  return r!;
}

/**
 * Group commit for the audit log: the entries of one event-loop turn are appended in one
 * transaction, and each caller is answered after it commits.
 */
export class AuditBatcher {
  private queue: { input: AuditInput; resolve: () => void; reject: (e: unknown) => void }[] = [];
  private running: Promise<void> = Promise.resolve();
  private scheduled = false;

  constructor(private readonly db: Kysely<Database>) {}

  append(input: AuditInput): Promise<void> {
    return new Promise((resolve, reject) => {
      this.queue.push({ input, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => {
          this.scheduled = false;
          this.running = this.running.then(() => this.flush());
        });
      }
    });
  }

  private async flush(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, 2000);
      try {
        await appendAudit(this.db, batch.map((b) => b.input));
        for (const b of batch) b.resolve();
      } catch (e) {
        for (const b of batch) b.reject(e);
      }
    }
  }

  async close(): Promise<void> {
    await this.running;
    if (this.queue.length > 0) await this.flush();
  }
}

export interface AuditHead {
  seq: number;
  hash: string;
}

export async function auditHead(db: Kysely<Database>): Promise<AuditHead> {
  const head = await db.selectFrom('audit_log').select(['seq', 'hash']).orderBy('seq', 'desc').limit(1).executeTakeFirst();
  return head ? { seq: Number(head.seq), hash: head.hash } : { seq: 0, hash: GENESIS_HASH };
}

export interface VerifyReport {
  ok: boolean;
  entries: number;
  head: AuditHead;
  /** published daily heads checked against the log */
  publishedHeadsChecked: number;
  break: ChainBreak | null;
}

/** Recomputes the whole chain (in pages) and checks every published head against it. */
export async function verifyAuditLog(db: Kysely<Database>, pageSize = 5000): Promise<VerifyReport> {
  let lastSeq = 0;
  let lastHash = GENESIS_HASH;
  let entries = 0;
  const hashes = new Map<number, string>();
  const heads = await db.selectFrom('audit_heads').selectAll().orderBy('seq').execute();
  const wanted = new Set(heads.map((h) => Number(h.seq)));
  let cursor = -1;
  for (;;) {
    const rows = await db.selectFrom('audit_log').selectAll().where('seq', '>', cursor).orderBy('seq').limit(pageSize).execute();
    if (rows.length === 0) break;
    const chain = rows.map(rowToChainEntry);
    const broken = verifyEntries(chain, lastSeq, lastHash);
    if (broken) return { ok: false, entries: entries + chain.filter((c) => c.seq < broken.seq).length, head: { seq: lastSeq, hash: lastHash }, publishedHeadsChecked: 0, break: broken };
    for (const c of chain) if (wanted.has(c.seq)) hashes.set(c.seq, c.hash);
    entries += chain.length;
    const last = chain[chain.length - 1]!;
    lastSeq = last.seq;
    lastHash = last.hash;
    cursor = last.seq;
  }
  for (const h of heads) {
    const seq = Number(h.seq);
    if (seq === 0) continue;
    const found = hashes.get(seq);
    if (found !== h.hash) {
      return {
        ok: false,
        entries,
        head: { seq: lastSeq, hash: lastHash },
        publishedHeadsChecked: 0,
        break: {
          seq,
          problem: 'head_mismatch',
          message: found === undefined ? `entry ${seq}, published as the head on ${h.day}, is missing: the log was cut short` : `entry ${seq} differs from the head published on ${h.day}`,
        },
      };
    }
  }
  return { ok: true, entries, head: { seq: lastSeq, hash: lastHash }, publishedHeadsChecked: heads.length, break: null };
}

/** Publishes today's head (UTC day) once; later calls the same day change nothing. */
export async function publishAuditHead(db: Kysely<Database>, now: Date): Promise<{ day: string; seq: number; hash: string; published: boolean }> {
  const day = now.toISOString().slice(0, 10);
  const existing = await db.selectFrom('audit_heads').selectAll().where('day', '=', day).executeTakeFirst();
  if (existing) return { day, seq: Number(existing.seq), hash: existing.hash, published: false };
  const head = await auditHead(db);
  await db
    .insertInto('audit_heads')
    .values({ day, seq: head.seq, hash: head.hash, published_at: now.getTime() })
    .onConflict((oc) => oc.column('day').doNothing())
    .execute();
  return { day, ...head, published: true };
}

export async function publishedHeads(db: Kysely<Database>, limit: number): Promise<{ day: string; seq: number; hash: string; publishedAt: string }[]> {
  const rows = await db.selectFrom('audit_heads').selectAll().orderBy('day', 'desc').limit(limit).execute();
  return rows.map((r) => ({ day: r.day, seq: Number(r.seq), hash: r.hash, publishedAt: new Date(Number(r.published_at)).toISOString() }));
}
