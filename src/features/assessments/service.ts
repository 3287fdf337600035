// Assessing holders: gather facts → the pure rules → record the assessment (the facts it read,
// the reasons it gave, the ruleset version), keep the holder's status row current, and write a
// history event with its cause whenever the colour changes. Nothing changes a colour silently.
import crypto from 'node:crypto';
import type { Kysely } from 'kysely';
import type { AssessmentView } from '../../contracts/api.ts';
import { evaluate } from '../../core/rules/evaluate.ts';
import type { Assessment, Facts, Reason } from '../../core/rules/types.ts';
import { isUniqueViolation } from '../../db/errors.ts';
import type { AssessmentTable, Database, HolderStatusTable, InboxMessageTable, OutboxTable, StatusEventTable } from '../../db/schema.ts';
import { colourChangeMessage } from '../notifications/messages.ts';
import type { Random } from '../../support/clock.ts';
import type { Holder } from '../holders/model.ts';
import type { RuleBook } from '../rules/book.ts';
import { APPLIED_RULESET, getJobState } from '../status/state.ts';
import { gatherFactsBulk } from './facts.ts';
import { findAssessment, insertAssessments, insertStatusEvents, statusOf, upsertStatuses } from './repository.ts';

export const CAUSE_KINDS = [
  'registration',
  'declaration',
  'check_in',
  'lab_result',
  'trace_result',
  'risk_area',
  'time',
  'rule_change',
  'override',
  'discharge',
] as const;
export type CauseKind = (typeof CAUSE_KINDS)[number];

export interface ChangeCause {
  kind: CauseKind;
  /** the fact, ruleset version or decision behind it */
  ref?: string | null;
}

export interface AssessContext {
  rules: RuleBook;
  now: Date;
  random: Random;
  /** outbox channels a colour change is also delivered on (default: sms) */
  channels?: readonly string[];
}

export interface StoredAssessment {
  id: string;
  holderId: string;
  version: number;
  colour: AssessmentTable['colour'];
  reasons: Reason[];
  rulesetVersion: string;
  assessedAt: Date;
  validUntil: Date;
}

function rowToAssessment(row: AssessmentTable): StoredAssessment {
  return {
    id: row.id,
    holderId: row.holder_id,
    version: row.version,
    colour: row.colour,
    reasons: JSON.parse(row.reasons) as Reason[],
    rulesetVersion: row.ruleset_version,
    assessedAt: new Date(row.assessed_at),
    validUntil: new Date(row.valid_until),
  };
}

export function presentAssessment(a: StoredAssessment): AssessmentView {
  return {
    id: a.id,
    colour: a.colour,
    reasons: a.reasons,
    rulesetVersion: a.rulesetVersion,
    assessedAt: a.assessedAt.toISOString(),
    validUntil: a.validUntil.toISOString(),
  };
}

/**
 * What an assessment says, as a key: equal keys mean nothing a holder could see has changed.
 * The ruleset version is left out on purpose: a rule change that changes nothing for a holder
 * marks their status as confirmed under the new version without recording a copy.
 */
function contentKey(a: Assessment): string {
  return crypto.createHash('sha256').update(JSON.stringify([a.colour, a.reasons])).digest('hex');
}

export interface Outcome {
  holderId: string;
  assessmentId: string;
  colour: AssessmentTable['colour'];
  previousColour: AssessmentTable['colour'] | null;
  /** a new assessment was recorded */
  recorded: boolean;
  /** when time alone may change it (kept on the status row; an unchanged outcome only moves this) */
  validUntil: number;
  /** the row written, when recorded */
  row?: AssessmentTable;
}

interface Plan {
  holderId: string;
  facts: Facts;
  assessment: Assessment;
  key: string;
  status: HolderStatusTable | undefined;
  /** a new assessment will be recorded (the outcome differs from the status) */
  recordable: boolean;
}

/** Rows per multi-row statement (within both stores' bound-parameter limits). */
const CHUNK = 500;

/**
 * Writes the outcome of a batch of plans in a few multi-row statements: new assessments, status
 * rows (changed, or only moved on), and history events for changed colours.
 */
async function writePlans(trx: Kysely<Database>, plans: Plan[], cause: ChangeCause, ctx: AssessContext): Promise<Outcome[]> {
  const now = ctx.now.getTime();
  const unknownVersion = plans.filter((p) => !p.status && p.recordable).map((p) => p.holderId);
  const versions = new Map<string, number>();
  for (let i = 0; i < unknownVersion.length; i += CHUNK) {
    const rows = await trx
      .selectFrom('assessments')
      .select(['holder_id', (eb) => eb.fn.max('version').as('v')])
      .where('holder_id', 'in', unknownVersion.slice(i, i + CHUNK))
      .groupBy('holder_id')
      .execute();
    for (const r of rows) versions.set(r.holder_id, Number(r.v));
  }
  const assessments: AssessmentTable[] = [];
  const statuses: HolderStatusTable[] = [];
  const events: StatusEventTable[] = [];
  const inbox: InboxMessageTable[] = [];
  const outbox: OutboxTable[] = [];
  const outcomes: Outcome[] = [];
  for (const p of plans) {
    const { status, assessment: a } = p;
    if (status && status.reason_key === p.key) {
      // nothing a holder could see has changed: move the re-check time only when it has passed or
      // must come sooner (a re-check that comes early is harmless, and writing nothing keeps a
      // re-assessment of everyone after a rule change to the holders it actually changes)
      if (status.valid_until <= now || a.validUntil.getTime() < status.valid_until) {
        statuses.push({ ...status, valid_until: a.validUntil.getTime(), ruleset_version: a.rulesetVersion, updated_at: now });
      }
      const validUntil = status.valid_until <= now || a.validUntil.getTime() < status.valid_until ? a.validUntil.getTime() : status.valid_until;
      outcomes.push({ holderId: p.holderId, assessmentId: status.assessment_id, colour: status.colour, previousColour: status.colour, recorded: false, validUntil });
      continue;
    }
    const row: AssessmentTable = {
      id: ctx.random.uuid(),
      holder_id: p.holderId,
      version: (status?.assessment_version ?? versions.get(p.holderId) ?? 0) + 1,
      colour: a.colour,
      reasons: JSON.stringify(a.reasons),
      facts: JSON.stringify(p.facts),
      ruleset_version: a.rulesetVersion,
      assessed_at: a.assessedAt.getTime(),
      valid_until: a.validUntil.getTime(),
    };
    assessments.push(row);
    const colourChanged = !status || status.colour !== a.colour;
    statuses.push({
      holder_id: p.holderId,
      colour: a.colour,
      colour_since: colourChanged ? now : status.colour_since,
      assessment_id: row.id,
      assessment_version: row.version,
      ruleset_version: a.rulesetVersion,
      reason_key: p.key,
      valid_until: row.valid_until,
      updated_at: now,
    });
    if (colourChanged) {
      const eventId = ctx.random.uuid();
      // the holder hears of every change, with its reasons (not of their first colour at registration)
      if (status) {
        const m = colourChangeMessage({ holderId: p.holderId, to: a.colour, reasons: a.reasons, eventId, at: now }, ctx.channels ?? ['sms'], ctx.random);
        inbox.push(m.inbox);
        outbox.push(...m.outbox);
      }
      events.push({
        id: eventId,
        holder_id: p.holderId,
        at: now,
        from_colour: status?.colour ?? null,
        to_colour: a.colour,
        cause_kind: cause.kind,
        cause_ref: cause.ref ?? null,
        ruleset_version: a.rulesetVersion,
        assessment_id: row.id,
        assessment_version: row.version,
        reasons: row.reasons,
      });
    }
    outcomes.push({ holderId: p.holderId, assessmentId: row.id, colour: a.colour, previousColour: status?.colour ?? null, recorded: true, row, validUntil: row.valid_until });
  }
  for (let i = 0; i < assessments.length; i += CHUNK) await insertAssessments(trx, assessments.slice(i, i + CHUNK));
  for (let i = 0; i < statuses.length; i += CHUNK) await upsertStatuses(trx, statuses.slice(i, i + CHUNK));
  for (let i = 0; i < events.length; i += CHUNK) await insertStatusEvents(trx, events.slice(i, i + CHUNK));
  for (let i = 0; i < inbox.length; i += CHUNK) await trx.insertInto('inbox_messages').values(inbox.slice(i, i + CHUNK)).execute();
  for (let i = 0; i < outbox.length; i += CHUNK) await trx.insertInto('outbox').values(outbox.slice(i, i + CHUNK)).execute();
  return outcomes;
}

async function plan(
  db: Kysely<Database>,
  holders: readonly Pick<Holder, 'id' | 'timeZone' | 'dateOfBirth'>[],
  ctx: AssessContext,
): Promise<Plan[]> {
  const ruleset = ctx.rules.inForce(ctx.now);
  const [facts, statuses] = await Promise.all([gatherFactsBulk(db, holders, ruleset, ctx.now), statusOf(db, holders.map((h) => h.id))]);
  const byHolder = new Map(statuses.map((s) => [s.holder_id, s]));
  return holders.map((h) => {
    const f = facts.get(h.id)!;
    const a = evaluate(f, ruleset, ctx.now);
    const key = contentKey(a);
    const status = byHolder.get(h.id);
    return { holderId: h.id, facts: f, assessment: a, key, status, recordable: !status || status.reason_key !== key };
  });
}

/**
 * Re-assesses a batch of holders in one transaction. Safe to repeat: an unchanged outcome
 * records nothing new. A concurrent re-assessment of the same holder makes the batch retry
 * holder by holder.
 */
export async function reassessMany(
  db: Kysely<Database>,
  holders: readonly Pick<Holder, 'id' | 'timeZone' | 'dateOfBirth'>[],
  ctx: AssessContext,
  cause: ChangeCause,
): Promise<Outcome[]> {
  const plans = await plan(db, holders, ctx);
  try {
    return await db.transaction().execute((trx) => writePlans(trx, plans, cause, ctx));
  } catch (e) {
    if (!isUniqueViolation(e) || holders.length === 0) throw e;
  }
  const out: Outcome[] = [];
  for (const h of holders) out.push(await reassessOne(db, h, ctx, cause));
  return out;
}

async function reassessOne(
  db: Kysely<Database>,
  holder: Pick<Holder, 'id' | 'timeZone' | 'dateOfBirth'>,
  ctx: AssessContext,
  cause: ChangeCause,
): Promise<Outcome> {
  for (let attempt = 1; ; attempt++) {
    const [p] = await plan(db, [holder], ctx);
    try {
      const [o] = await db.transaction().execute((trx) => writePlans(trx, [p!], cause, ctx));
      return o!;
    } catch (e) {
      if (!isUniqueViolation(e) || attempt >= 5) throw e;
    }
  }
}

/** Re-assesses one holder because of `cause`, and returns the assessment in force. */
export async function reassess(db: Kysely<Database>, holder: Holder, ctx: AssessContext, cause: ChangeCause): Promise<StoredAssessment> {
  const o = await reassessOne(db, holder, ctx, cause);
  if (o.row) return rowToAssessment(o.row);
  const row = await findAssessment(db, o.assessmentId);
  if (!row) throw new Error(`assessment ${o.assessmentId} of holder ${holder.id} is missing`);
  // the recorded assessment still says everything; only when to look again has moved
  return { ...rowToAssessment(row), validUntil: new Date(o.validUntil) };
}

/** The assessment in force now: the recorded one while it is valid under the ruleset in force. */
export async function currentAssessment(db: Kysely<Database>, holder: Holder, ctx: AssessContext): Promise<StoredAssessment> {
  const [[status], applied] = await Promise.all([statusOf(db, [holder.id]), getJobState(db, APPLIED_RULESET)]);
  const ruleset = ctx.rules.inForce(ctx.now);
  // current under the rules in force: assessed under them, or confirmed when everyone was re-assessed under them
  const underRules = status !== undefined && (status.ruleset_version === ruleset.version || applied === ruleset.version);
  if (status && status.valid_until > ctx.now.getTime() && underRules) {
    const row = await findAssessment(db, status.assessment_id);
    if (row) return { ...rowToAssessment(row), validUntil: new Date(status.valid_until) };
  }
  const cause: ChangeCause = status && !underRules ? { kind: 'rule_change', ref: ruleset.version } : { kind: 'time' };
  return reassess(db, holder, ctx, cause);
}
