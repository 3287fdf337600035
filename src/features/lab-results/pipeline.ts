// What follows a stored result: a verified positive PCR confirms a case (unless one covers it
// already), and a confirmed case is traced (both configurable).
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { isDomainError } from '../../errors.ts';
import type { Random } from '../../support/clock.ts';
import { confirmCase } from '../cases/service.ts';
import type { RuleBook } from '../rules/book.ts';
import { traceCase, type TraceResult } from '../tracing/service.ts';

export interface FollowUp {
  casesConfirmed: string[];
  traces: { caseId: string; closeContacts: number; secondaryContacts: number; newExposures: number }[];
}

export async function followUpResults(
  db: Kysely<Database>,
  labIds: readonly string[],
  ctx: { now: Date; random: Random; rules: RuleBook; actor: string; autoConfirm: boolean; autoTrace: boolean },
): Promise<FollowUp> {
  const out: FollowUp = { casesConfirmed: [], traces: [] };
  if (!ctx.autoConfirm || labIds.length === 0) return out;
  const positives = await db
    .selectFrom('lab_results')
    .select('id')
    .where('id', 'in', [...labIds])
    .where('kind', '=', 'pcr')
    .where('result', '=', 'positive')
    .where('verified', '=', 1)
    .execute();
  for (const p of positives) {
    try {
      const c = await confirmCase(db, { labResultId: p.id, confirmedBy: ctx.actor }, ctx);
      out.casesConfirmed.push(c.id);
      if (ctx.autoTrace) {
        const t: TraceResult = await traceCase(db, c.id, { ...ctx, runBy: ctx.actor });
        out.traces.push({
          caseId: c.id,
          closeContacts: t.contacts.filter((x) => x.kind === 'close').length,
          secondaryContacts: t.contacts.filter((x) => x.kind === 'secondary').length,
          newExposures: t.newExposures,
        });
      }
    } catch (e) {
      // a second positive during an existing case is part of that case
      if (isDomainError(e) && e.code === 'case_exists') continue;
      throw e;
    }
  }
  return out;
}
