import type { Kysely } from 'kysely';
import type { Database, RulesetTable } from '../../db/schema.ts';

export function listRulesets(db: Kysely<Database>): Promise<RulesetTable[]> {
  return db.selectFrom('rulesets').selectAll().orderBy('effective_from').orderBy('published_at').execute();
}

export async function insertRuleset(db: Kysely<Database>, row: RulesetTable): Promise<void> {
  await db.insertInto('rulesets').values(row).execute();
}
