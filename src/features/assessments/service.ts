// Gathers a holder's facts, runs the pure rules, and records the assessment with the facts it
// read and the reasons it gave.
import type { Kysely } from 'kysely';
import type { AssessmentView } from '../../contracts/api.ts';
import { evaluate } from '../../core/rules/evaluate.ts';
import type { Ruleset } from '../../core/rules/ruleset.ts';
import type { Assessment, Facts, Reason } from '../../core/rules/types.ts';
import { isUniqueViolation } from '../../db/errors.ts';
import { DAY_MS } from '../../core/time/zones.ts';
import type { AssessmentTable, Database } from '../../db/schema.ts';
import type { Random } from '../../support/clock.ts';
import { recentDeclarations } from '../declarations/service.ts';
import type { Holder } from '../holders/model.ts';
import { riskAreasSince } from '../risk-areas/repository.ts';
import { insertAssessment, latestAssessment } from './repository.ts';

export interface StoredAssessment {
  id: string;
  holderId: string;
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
    reasons: a.reasons.map(({ ruleId, colour, text, since, facts }) => ({ ruleId, colour, text, since, facts })),
    rulesetVersion: a.rulesetVersion,
    assessedAt: a.assessedAt.toISOString(),
    validUntil: a.validUntil.toISOString(),
  };
}

export async function gatherFacts(db: Kysely<Database>, holder: Holder, ruleset: Ruleset, now: Date): Promise<Facts> {
  const p = ruleset.parameters;
  // a declaration can matter for as long as its longest consequence: a stay up to the lookback
  // window before it, plus the yellow period after the stay
  const horizon = new Date(now.getTime() - (p.highRiskLookbackDays + p.yellowDays + 1) * DAY_MS);
  const [declarations, riskAreas] = await Promise.all([
    recentDeclarations(db, holder.id, horizon),
    riskAreasSince(db, new Date(horizon.getTime() - p.highRiskLookbackDays * DAY_MS)),
  ]);
  return { holder: { id: holder.id, timeZone: holder.timeZone }, declarations, riskAreas };
}

export async function assessHolder(
  db: Kysely<Database>,
  holder: Holder,
  ctx: { ruleset: Ruleset; now: Date; random: Random },
): Promise<StoredAssessment> {
  const facts = await gatherFacts(db, holder, ctx.ruleset, ctx.now);
  const a = evaluate(facts, ctx.ruleset, ctx.now);
  for (let attempt = 1; ; attempt++) {
    const previous = await latestAssessment(db, holder.id);
    const row = assessmentRow(holder, a, facts, (previous?.version ?? 0) + 1, ctx.random);
    try {
      await insertAssessment(db, row);
      return rowToAssessment(row);
    } catch (e) {
      // another request assessed the same holder at the same moment: take the next version
      if (!isUniqueViolation(e) || attempt >= 5) throw e;
    }
  }
}

function assessmentRow(holder: Holder, a: Assessment, facts: Facts, version: number, random: Random): AssessmentTable {
  return {
    id: random.uuid(),
    holder_id: holder.id,
    version,
    colour: a.colour,
    reasons: JSON.stringify(a.reasons),
    facts: JSON.stringify(facts),
    ruleset_version: a.rulesetVersion,
    assessed_at: a.assessedAt.getTime(),
    valid_until: a.validUntil.getTime(),
  };
}

/** The assessment in force now: the latest one, re-assessed when it has run out. */
export async function currentAssessment(
  db: Kysely<Database>,
  holder: Holder,
  ctx: { ruleset: Ruleset; now: Date; random: Random },
): Promise<StoredAssessment> {
  const row = await latestAssessment(db, holder.id);
  if (row && row.valid_until > ctx.now.getTime() && row.ruleset_version === ctx.ruleset.version) return rowToAssessment(row);
  return assessHolder(db, holder, ctx);
}
