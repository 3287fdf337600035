// Officials' reads of holders' personal data, recorded in the audit log with the stated reason,
// and the holder's view of them: who (role and a stable pseudonym), when, what, and why.
// Every staff route that returns a holder's personal data calls auditHolderRead before answering.
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { DomainError } from '../../errors.ts';
import { appendAudit } from '../audit/service.ts';
import { staffPseudonym } from '../security/pseudonym.ts';
import type { Staff } from '../staff/service.ts';

export async function auditHolderRead(
  db: Kysely<Database>,
  staff: Staff,
  holderIds: readonly string[],
  read: { action: string; reason: string; now: Date; detail?: Record<string, unknown> },
): Promise<void> {
  if (read.reason.trim().length < 5) throw new DomainError('reason_required', 'state why you read this holder\'s data (at least a few words)');
  const unique = [...new Set(holderIds)];
  await appendAudit(
    db,
    unique.map((id) => ({
      at: read.now,
      actor: { kind: 'staff' as const, id: staff.id, role: staff.role },
      action: read.action,
      subject: { kind: 'holder', id },
      reason: read.reason,
      detail: read.detail ?? {},
    })),
  );
}

export interface AccessLogEntry {
  at: string;
  role: string;
  official: string;
  action: string;
  reason: string | null;
}

/** What staff did with a holder's record, newest first. */
export async function accessLogOf(db: Kysely<Database>, holderId: string, pseudonymKey: Buffer, limit = 500): Promise<AccessLogEntry[]> {
  const rows = await db
    .selectFrom('audit_log')
    .select(['at', 'actor_id', 'actor_role', 'action', 'reason'])
    .where('subject_kind', '=', 'holder')
    .where('subject_id', '=', holderId)
    .where('actor_kind', '=', 'staff')
    .orderBy('seq', 'desc')
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    at: new Date(Number(r.at)).toISOString(),
    role: r.actor_role,
    official: staffPseudonym(pseudonymKey, r.actor_id ?? ''),
    action: r.action,
    reason: r.reason,
  }));
}
