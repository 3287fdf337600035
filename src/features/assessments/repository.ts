import type { Kysely } from 'kysely';
import type { AssessmentTable, Database, HolderStatusTable, StatusEventTable } from '../../db/schema.ts';

export async function insertAssessments(db: Kysely<Database>, rows: AssessmentTable[]): Promise<void> {
  if (rows.length > 0) await db.insertInto('assessments').values(rows).execute();
}

export function latestAssessment(db: Kysely<Database>, holderId: string): Promise<AssessmentTable | undefined> {
  return db.selectFrom('assessments').selectAll().where('holder_id', '=', holderId).orderBy('version', 'desc').limit(1).executeTakeFirst();
}

export function findAssessment(db: Kysely<Database>, id: string): Promise<AssessmentTable | undefined> {
  return db.selectFrom('assessments').selectAll().where('id', '=', id).executeTakeFirst();
}

export function statusOf(db: Kysely<Database>, holderIds: string[]): Promise<HolderStatusTable[]> {
  if (holderIds.length === 0) return Promise.resolve([]);
  return db.selectFrom('holder_status').selectAll().where('holder_id', 'in', holderIds).execute();
}

/** Inserts or replaces status rows (one statement for many holders). */
export async function upsertStatuses(db: Kysely<Database>, rows: HolderStatusTable[]): Promise<void> {
  if (rows.length === 0) return;
  await db
    .insertInto('holder_status')
    .values(rows)
    .onConflict((oc) =>
      oc.column('holder_id').doUpdateSet((eb) => ({
        colour: eb.ref('excluded.colour'),
        colour_since: eb.ref('excluded.colour_since'),
        assessment_id: eb.ref('excluded.assessment_id'),
        assessment_version: eb.ref('excluded.assessment_version'),
        ruleset_version: eb.ref('excluded.ruleset_version'),
        reason_key: eb.ref('excluded.reason_key'),
        valid_until: eb.ref('excluded.valid_until'),
        updated_at: eb.ref('excluded.updated_at'),
      })),
    )
    .execute();
}

export async function insertStatusEvents(db: Kysely<Database>, rows: StatusEventTable[]): Promise<void> {
  if (rows.length > 0) await db.insertInto('status_events').values(rows).execute();
}

export function listStatusEvents(db: Kysely<Database>, holderId: string, limit: number): Promise<StatusEventTable[]> {
  return db.selectFrom('status_events').selectAll().where('holder_id', '=', holderId).orderBy('assessment_version', 'desc').limit(limit).execute();
}
