// Confirmed cases. A case rests on a verified positive PCR result (the rules make its holder
// red from that result); its infectious window runs from the ruleset's days before onset or
// sample (whichever is earlier) to isolation, i.e. the confirmation.
import type { Kysely } from 'kysely';
import type { CaseTable, Database } from '../../db/schema.ts';
import { DomainError } from '../../errors.ts';
import type { Random } from '../../support/clock.ts';
import type { RuleBook } from '../rules/book.ts';

const DAY = 86_400_000;

export interface CaseView {
  id: string;
  holderId: string;
  labResultId: string;
  onsetAt: string | null;
  sampledAt: string;
  confirmedAt: string;
  infectiousFrom: string;
  infectiousTo: string;
}

export function presentCase(c: CaseTable): CaseView {
  return {
    id: c.id,
    holderId: c.holder_id,
    labResultId: c.lab_result_id,
    onsetAt: c.onset_at === null ? null : new Date(c.onset_at).toISOString(),
    sampledAt: new Date(c.sampled_at).toISOString(),
    confirmedAt: new Date(c.confirmed_at).toISOString(),
    infectiousFrom: new Date(c.infectious_from).toISOString(),
    infectiousTo: new Date(c.infectious_to).toISOString(),
  };
}

export async function confirmCase(
  db: Kysely<Database>,
  input: { labResultId: string; onsetAt?: Date | null; confirmedBy: string },
  ctx: { now: Date; random: Random; rules: RuleBook },
): Promise<CaseTable> {
  const lab = await db.selectFrom('lab_results').selectAll().where('id', '=', input.labResultId).executeTakeFirst();
  if (!lab) throw new DomainError('not_found', `no lab result has id ${JSON.stringify(input.labResultId)}`);
  if (lab.kind !== 'pcr' || lab.result !== 'positive' || lab.verified !== 1) {
    throw new DomainError('not_a_case', 'a case is confirmed by a verified positive PCR result; this result is not one (antigen results are recorded and shown, but never confirm a case)');
  }
  const onset = input.onsetAt ?? null;
  if (onset && onset.getTime() > ctx.now.getTime()) throw new DomainError('invalid_date', `onset ${onset.toISOString()} is in the future`);
  const days = ctx.rules.inForce(ctx.now).parameters.infectiousDaysBefore;
  const from = Math.min(lab.sampled_at, onset?.getTime() ?? lab.sampled_at) - days * DAY;
  const to = ctx.now.getTime();
  const overlapping = await db
    .selectFrom('cases')
    .select('id')
    .where('holder_id', '=', lab.holder_id)
    .where('infectious_from', '<', to)
    .where('infectious_to', '>', from)
    .executeTakeFirst();
  if (overlapping) throw new DomainError('case_exists', `this holder already has case ${overlapping.id} covering that time`);
  const row: CaseTable = {
    id: ctx.random.uuid(),
    holder_id: lab.holder_id,
    lab_result_id: lab.id,
    onset_at: onset?.getTime() ?? null,
    sampled_at: lab.sampled_at,
    confirmed_at: to,
    infectious_from: from,
    infectious_to: to,
    confirmed_by: input.confirmedBy,
  };
  try {
    await db.insertInto('cases').values(row).execute();
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === '23505' || code?.startsWith('SQLITE_CONSTRAINT')) throw new DomainError('case_exists', `lab result ${lab.id} already confirmed a case`);
    throw e;
  }
  return row;
}

export async function getCase(db: Kysely<Database>, id: string): Promise<CaseTable> {
  const c = await db.selectFrom('cases').selectAll().where('id', '=', id).executeTakeFirst();
  if (!c) throw new DomainError('not_found', `no case has id ${JSON.stringify(id)}`);
  return c;
}
