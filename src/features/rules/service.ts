// Publishing a ruleset: validated, announced ahead (≥ the notice of the rules in force, unless an
// emergency, which is flagged publicly), previewed with a dry run over every holder.
import type { Kysely } from 'kysely';
import { evaluate } from '../../core/rules/evaluate.ts';
import { parseRuleset, RulesetError, type Ruleset } from '../../core/rules/ruleset.ts';
import { COLOURS, type Colour } from '../../core/rules/types.ts';
import type { Database } from '../../db/schema.ts';
import { isUniqueViolation } from '../../db/errors.ts';
import { DomainError } from '../../errors.ts';
import { gatherFactsBulk } from '../assessments/facts.ts';
import type { RuleBook } from './book.ts';
import { insertRuleset } from './repository.ts';

export interface DryRunReport {
  candidate: string;
  current: string;
  at: string;
  holders: number;
  unchanged: number;
  /** "green→yellow": count, for every pair that occurs */
  changes: Record<string, number>;
}

/** How every holder's colour would change if `candidate` were in force at `at`, with today's facts. */
export async function dryRun(
  db: Kysely<Database>,
  book: RuleBook,
  candidate: Ruleset,
  at: Date,
  opts: { batchSize?: number; onProgress?: (done: number) => void } = {},
): Promise<DryRunReport> {
  const current = book.inForce(at);
  const report: DryRunReport = { candidate: candidate.version, current: current.version, at: at.toISOString(), holders: 0, unchanged: 0, changes: {} };
  let after = '';
  for (;;) {
    const batch = await db.selectFrom('holders').select(['id', 'time_zone', 'date_of_birth']).where('id', '>', after).orderBy('id').limit(opts.batchSize ?? 1000).execute();
    if (batch.length === 0) break;
    const holders = batch.map((h) => ({ id: h.id, timeZone: h.time_zone, dateOfBirth: h.date_of_birth }));
    const [factsNow, factsNew] = await Promise.all([gatherFactsBulk(db, holders, current, at), gatherFactsBulk(db, holders, candidate, at)]);
    for (const h of holders) {
      const before = evaluate(factsNow.get(h.id)!, current, at).colour;
      const after_ = evaluate(factsNew.get(h.id)!, candidate, at).colour;
      report.holders++;
      if (before === after_) report.unchanged++;
      else report.changes[`${before}→${after_}`] = (report.changes[`${before}→${after_}`] ?? 0) + 1;
    }
    after = batch[batch.length - 1]!.id;
    opts.onProgress?.(report.holders);
  }
  return report;
}

export function formatDryRun(r: DryRunReport): string {
  const lines = [`dry run: ruleset ${r.candidate} instead of ${r.current}, as of ${r.at}`, `  holders assessed: ${r.holders}`, `  unchanged: ${r.unchanged}`];
  const order = (c: string) => COLOURS.indexOf(c as Colour);
  const pairs = Object.entries(r.changes).sort(([a], [b]) => {
    const [a1, a2] = a.split('→') as [string, string];
    const [b1, b2] = b.split('→') as [string, string];
    return order(a1) - order(b1) || order(a2) - order(b2);
  });
  lines.push(pairs.length === 0 ? '  no holder would change colour' : `  would change colour: ${pairs.reduce((n, [, v]) => n + v, 0)}`);
  for (const [pair, n] of pairs) lines.push(`    ${pair}: ${n}`);
  return lines.join('\n');
}

export interface PublishInput {
  document: unknown;
  effective: Date;
  emergency: boolean;
  publishedBy: string;
}

/** Validates and stores a ruleset; it takes effect at `effective` (the scheduler applies it). */
export async function publishRuleset(db: Kysely<Database>, book: RuleBook, input: PublishInput, now: Date): Promise<Ruleset> {
  if (typeof input.document !== 'object' || input.document === null || Array.isArray(input.document)) {
    throw new RulesetError(null, '(document)', 'a ruleset is a JSON object');
  }
  const ruleset = parseRuleset({ ...input.document, effectiveFrom: input.effective.toISOString() });
  if (book.has(ruleset.version)) throw new DomainError('ruleset_version_exists', `ruleset version ${ruleset.version} is already published`);
  const noticeHours = book.inForce(now).parameters.ruleNoticeHours;
  const earliest = now.getTime() + noticeHours * 3_600_000;
  if (!input.emergency && input.effective.getTime() < earliest) {
    throw new DomainError(
      'insufficient_notice',
      `a ruleset takes effect at least ${noticeHours} h after it is published: effective ${input.effective.toISOString()} is before ${new Date(earliest).toISOString()}; publish later or mark it an emergency (flagged publicly)`,
    );
  }
  if (input.effective.getTime() < now.getTime() - 60_000) {
    throw new DomainError('invalid_date', `effective time ${input.effective.toISOString()} is in the past`);
  }
  try {
    await insertRuleset(db, {
      version: ruleset.version,
      document: JSON.stringify(ruleset.document),
      effective_from: input.effective.getTime(),
      published_at: now.getTime(),
      emergency: input.emergency && input.effective.getTime() < earliest ? 1 : 0,
      published_by: input.publishedBy,
    });
  } catch (e) {
    if (isUniqueViolation(e)) throw new DomainError('ruleset_version_exists', `ruleset version ${ruleset.version} is already published`);
    throw e;
  }
  return ruleset;
}
