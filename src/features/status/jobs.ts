// Time-driven work, safe to run twice and from more than one instance: due transitions (a
// period ends, a check-in lapses, a routine re-evaluation) and applying a ruleset that has
// come into force. Both are resumable: progress is in the store, not in memory.
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { reassessMany, type AssessContext, type Outcome } from '../assessments/service.ts';
import { APPLIED_RULESET, getJobState, RULESET_CURSOR, setJobState } from './state.ts';

export interface JobReport {
  assessed: number;
  recorded: number;
  colourChanges: number;
}

function tally(report: JobReport, outcomes: Outcome[]): void {
  report.assessed += outcomes.length;
  for (const o of outcomes) {
    if (o.recorded) report.recorded++;
    if (o.recorded && o.previousColour !== o.colour) report.colourChanges++;
  }
}

/** Re-assesses every holder whose status says time alone may have changed it. */
export async function runDueTransitions(db: Kysely<Database>, ctx: AssessContext, batchSize = 500): Promise<JobReport> {
  const report: JobReport = { assessed: 0, recorded: 0, colourChanges: 0 };
  const now = ctx.now.getTime();
  for (;;) {
    const due = await db
      .selectFrom('holder_status')
      .innerJoin('holders', 'holders.id', 'holder_status.holder_id')
      .select(['holders.id', 'holders.time_zone', 'holders.date_of_birth'])
      .where('holder_status.valid_until', '<=', now)
      .orderBy('holder_status.valid_until')
      .limit(batchSize)
      .execute();
    if (due.length === 0) return report;
    const outcomes = await reassessMany(
      db,
      due.map((h) => ({ id: h.id, timeZone: h.time_zone, dateOfBirth: h.date_of_birth })),
      ctx,
      { kind: 'time' },
    );
    tally(report, outcomes);
  }
}

/**
 * When the ruleset in force is not the one last applied, re-assesses every holder under it (in
 * holder-id order, remembering where it got to), each change recorded with the rule change as
 * its cause. Returns null when there is nothing to apply.
 */
export async function applyRulesetInForce(
  db: Kysely<Database>,
  ctx: AssessContext,
  opts: { batchSize?: number; onProgress?: (done: number) => void } = {},
): Promise<(JobReport & { version: string }) | null> {
  const version = ctx.rules.inForce(ctx.now).version;
  if ((await getJobState(db, APPLIED_RULESET)) === version) return null;
  const report = { version, assessed: 0, recorded: 0, colourChanges: 0 };
  const saved = await getJobState(db, RULESET_CURSOR);
  let after = '';
  if (saved) {
    const c = JSON.parse(saved) as { version: string; after: string };
    if (c.version === version) after = c.after;
  }
  const batchSize = opts.batchSize ?? 1000;
  for (;;) {
    const batch = await db
      .selectFrom('holders')
      .select(['id', 'time_zone', 'date_of_birth'])
      .where('id', '>', after)
      .orderBy('id')
      .limit(batchSize)
      .execute();
    if (batch.length === 0) break;
    const outcomes = await reassessMany(
      db,
      batch.map((h) => ({ id: h.id, timeZone: h.time_zone, dateOfBirth: h.date_of_birth })),
      ctx,
      { kind: 'rule_change', ref: version },
    );
    tally(report, outcomes);
    after = batch[batch.length - 1]!.id;
    await setJobState(db, RULESET_CURSOR, JSON.stringify({ version, after }), ctx.now.getTime());
    opts.onProgress?.(report.assessed);
  }
  await setJobState(db, APPLIED_RULESET, version, ctx.now.getTime());
  await db.deleteFrom('jobs_state').where('name', '=', RULESET_CURSOR).execute();
  return report;
}
