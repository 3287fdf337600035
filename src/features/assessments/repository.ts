import type { Kysely } from 'kysely';
import type { AssessmentTable, Database } from '../../db/schema.ts';

export async function insertAssessment(db: Kysely<Database>, row: AssessmentTable): Promise<void> {
  await db.insertInto('assessments').values(row).execute();
}

export function latestAssessment(db: Kysely<Database>, holderId: string): Promise<AssessmentTable | undefined> {
  return db
    .selectFrom('assessments')
    .selectAll()
    .where('holder_id', '=', holderId)
    .orderBy('version', 'desc')
    .limit(1)
    .executeTakeFirst();
}
