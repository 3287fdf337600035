// Small named values the jobs keep in the store (progress, what has been applied).
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';

export async function getJobState(db: Kysely<Database>, name: string): Promise<string | undefined> {
  return (await db.selectFrom('jobs_state').select('value').where('name', '=', name).executeTakeFirst())?.value;
}

export async function setJobState(db: Kysely<Database>, name: string, value: string, now: number): Promise<void> {
  await db
    .insertInto('jobs_state')
    .values({ name, value, updated_at: now })
    .onConflict((oc) => oc.column('name').doUpdateSet({ value, updated_at: now }))
    .execute();
}

/** The ruleset version every holder has been re-assessed under (set when that job completes). */
export const APPLIED_RULESET = 'rules.applied_version';
export const RULESET_CURSOR = 'rules.apply_cursor';
