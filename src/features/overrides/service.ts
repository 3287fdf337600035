// Two-person overrides: an official proposes (a health reason from the closed list, a written
// note, a colour that reason allows, an end at most 14 days away); a different supervisor
// approves or rejects. Approval re-assesses the holder (cause: the override); the rules engine
// applies it until it ends, then the scheduler's due transition takes it away. Every step is
// audited; proposing checks the abuse alarms (alarms.ts).
import type { Kysely } from 'kysely';
import type { Database, OverrideTable } from '../../db/schema.ts';
import { DomainError } from '../../errors.ts';
import { reassess, type AssessContext } from '../assessments/service.ts';
import { audit, type Actor } from '../audit/service.ts';
import { getHolder } from '../holders/service.ts';
import type { Staff } from '../staff/service.ts';
import { inTransaction } from '../security/transaction.ts';
import { checkOverrideAlarms } from './alarms.ts';
import { MAX_OVERRIDE_DAYS, OVERRIDE_REASONS, type OverrideReasonCode } from './model.ts';

export interface ProposeInput {
  holderId: string;
  colour: 'green' | 'yellow' | 'red';
  reasonCode: OverrideReasonCode;
  note: string;
  until: Date;
  appealId?: string | null;
}

export interface OverrideContext extends AssessContext {
  alarmPerHour: number;
  batchAlarm: number;
}

function staffActor(s: Staff): Actor {
  return { kind: 'staff', id: s.id, role: s.role };
}

export async function findOverride(db: Kysely<Database>, id: string): Promise<OverrideTable> {
  const row = await db.selectFrom('overrides').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw new DomainError('not_found', `no override ${JSON.stringify(id)}`);
  return row;
}

/** Checks what does not need the store; throws a DomainError naming the problem. */
export function validateProposal(input: ProposeInput, now: Date): void {
  const reason = OVERRIDE_REASONS[input.reasonCode];
  if (!(reason.colours as readonly string[]).includes(input.colour)) {
    throw new DomainError('override_colour_not_allowed', `reason ${input.reasonCode} cannot justify ${input.colour}; it allows ${reason.colours.join(', ')}`);
  }
  const t = input.until.getTime();
  if (!(t > now.getTime())) throw new DomainError('invalid_date', `until ${input.until.toISOString()} is not in the future`);
  if (t > now.getTime() + MAX_OVERRIDE_DAYS * 86_400_000) {
    throw new DomainError('override_too_long', `an override lasts at most ${MAX_OVERRIDE_DAYS} days; until ${input.until.toISOString()} is later`);
  }
}

export async function proposeOverride(db: Kysely<Database>, proposer: Staff, input: ProposeInput, ctx: OverrideContext): Promise<OverrideTable> {
  validateProposal(input, ctx.now);
  await getHolder(db, input.holderId).catch(() => {
    throw new DomainError('not_found', `no holder ${JSON.stringify(input.holderId)}`);
  });
  if (input.appealId) {
    const appeal = await db.selectFrom('appeals').select(['holder_id']).where('id', '=', input.appealId).executeTakeFirst();
    if (!appeal || appeal.holder_id !== input.holderId) throw new DomainError('not_found', `no appeal ${JSON.stringify(input.appealId)} of this holder`);
  }
  const row: OverrideTable = {
    id: ctx.random.uuid(),
    holder_id: input.holderId,
    colour: input.colour,
    reason_code: input.reasonCode,
    note: input.note,
    until: input.until.getTime(),
    status: 'proposed',
    proposed_by: proposer.id,
    proposed_at: ctx.now.getTime(),
    approved_by: null,
    decided_by: null,
    decided_at: null,
    decision_note: null,
    appeal_id: input.appealId ?? null,
    flags: '[]',
  };
  return inTransaction(db, async (trx) => {
    await trx.insertInto('overrides').values(row).execute();
    const flags = await checkOverrideAlarms(trx, row, ctx);
    if (flags.length) await trx.updateTable('overrides').set({ flags: JSON.stringify(flags) }).where('id', '=', row.id).execute();
    await audit(trx, {
      at: ctx.now,
      actor: staffActor(proposer),
      action: 'override.propose',
      subject: { kind: 'holder', id: row.holder_id },
      reason: `${row.reason_code}: ${row.note}`,
      detail: { overrideId: row.id, colour: row.colour, until: new Date(row.until).toISOString(), appealId: row.appeal_id, flags },
    });
    return { ...row, flags: JSON.stringify(flags) };
  });
}

/** A supervisor's approval: never the proposer; the holder is re-assessed at once. */
export async function approveOverride(db: Kysely<Database>, approver: Staff, id: string, note: string | null, ctx: AssessContext): Promise<OverrideTable> {
  const row = await findOverride(db, id);
  if (row.proposed_by === approver.id) throw new DomainError('self_approval', 'an override must be approved by someone other than the official who proposed it');
  if (row.status !== 'proposed') throw new DomainError('override_not_pending', `override ${id} is ${row.status}, not awaiting approval`);
  if (Number(row.until) <= ctx.now.getTime()) throw new DomainError('override_not_pending', `override ${id} ended at ${new Date(Number(row.until)).toISOString()} before it was approved`);
  const t = ctx.now.getTime();
  const approved = await db.transaction().execute(async (trx) => {
    const r = await trx
      .updateTable('overrides')
      .set({ status: 'approved', approved_by: approver.id, decided_by: approver.id, decided_at: t, decision_note: note })
      .where('id', '=', id)
      .where('status', '=', 'proposed')
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) !== 1) throw new DomainError('override_not_pending', `override ${id} was decided meanwhile`);
    // due now: should the immediate re-assessment below fail, the scheduler applies the override
    await trx.updateTable('holder_status').set({ valid_until: t }).where('holder_id', '=', row.holder_id).execute();
    await audit(trx, {
      at: ctx.now,
      actor: staffActor(approver),
      action: 'override.approve',
      subject: { kind: 'holder', id: row.holder_id },
      reason: note,
      detail: { overrideId: id, colour: row.colour, reasonCode: row.reason_code, until: new Date(Number(row.until)).toISOString(), proposedBy: row.proposed_by },
    });
    return { ...row, status: 'approved' as const, approved_by: approver.id, decided_by: approver.id, decided_at: t, decision_note: note };
  });
  const holder = await getHolder(db, row.holder_id);
  await reassess(db, holder, ctx, { kind: 'override', ref: id });
  return approved;
}

export async function rejectOverride(db: Kysely<Database>, supervisor: Staff, id: string, note: string, ctx: { now: Date }): Promise<OverrideTable> {
  const row = await findOverride(db, id);
  if (row.proposed_by === supervisor.id) throw new DomainError('self_approval', 'the official who proposed an override cannot decide it');
  if (row.status !== 'proposed') throw new DomainError('override_not_pending', `override ${id} is ${row.status}, not awaiting a decision`);
  const t = ctx.now.getTime();
  return db.transaction().execute(async (trx) => {
    const r = await trx
      .updateTable('overrides')
      .set({ status: 'rejected', decided_by: supervisor.id, decided_at: t, decision_note: note })
      .where('id', '=', id)
      .where('status', '=', 'proposed')
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) !== 1) throw new DomainError('override_not_pending', `override ${id} was decided meanwhile`);
    await audit(trx, {
      at: ctx.now,
      actor: staffActor(supervisor),
      action: 'override.reject',
      subject: { kind: 'holder', id: row.holder_id },
      reason: note,
      detail: { overrideId: id },
    });
    return { ...row, status: 'rejected' as const, decided_by: supervisor.id, decided_at: t, decision_note: note };
  });
}

/** Marks approved or pending overrides past their end as expired (the colour already follows the engine). */
export async function markExpiredOverrides(db: Kysely<Database>, now: Date): Promise<number> {
  const r = await db
    .updateTable('overrides')
    .set({ status: 'expired' })
    .where('status', 'in', ['approved', 'proposed'])
    .where('until', '<=', now.getTime())
    .executeTakeFirst();
  return Number(r.numUpdatedRows);
}

export function overridesOfHolder(db: Kysely<Database>, holderId: string): Promise<OverrideTable[]> {
  return db.selectFrom('overrides').selectAll().where('holder_id', '=', holderId).orderBy('proposed_at', 'desc').execute();
}

export function listOverrides(db: Kysely<Database>, opts: { status?: OverrideTable['status']; limit: number }): Promise<OverrideTable[]> {
  let q = db.selectFrom('overrides').selectAll().orderBy('proposed_at', 'desc').limit(opts.limit);
  if (opts.status) q = q.where('status', '=', opts.status);
  return q.execute();
}
