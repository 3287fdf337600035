import type { Kysely } from 'kysely';
import type { AssessmentTable, Database, HolderStatusTable, StatusEventTable } from '../../db/schema.ts';

export async function insertAssessment(db: Kysely<Database>, row: AssessmentTable): Promise<void> {
  await db.insertInto('assessments').values(row).execute();
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

export async function upsertStatus(db: Kysely<Database>, row: HolderStatusTable): Promise<void> {
  await db
    .insertInto('holder_status')
    .values(row)
    .onConflict((oc) =>
      oc.column('holder_id').doUpdateSet({
        colour: row.colour,
        colour_since: row.colour_since,
        assessment_id: row.assessment_id,
        assessment_version: row.assessment_version,
        ruleset_version: row.ruleset_version,
        reason_key: row.reason_key,
        valid_until: row.valid_until,
        updated_at: row.updated_at,
      }),
    )
    .execute();
}

/** An unchanged outcome: only when to look again, and the ruleset version it was confirmed under. */
export async function touchStatus(db: Kysely<Database>, holderId: string, v: { validUntil: number; rulesetVersion: string }, now: number): Promise<void> {
  await db
    .updateTable('holder_status')
    .set({ valid_until: v.validUntil, ruleset_version: v.rulesetVersion, updated_at: now })
    .where('holder_id', '=', holderId)
    .execute();
}

export async function insertStatusEvent(db: Kysely<Database>, row: StatusEventTable): Promise<void> {
  await db.insertInto('status_events').values(row).execute();
}

export function listStatusEvents(db: Kysely<Database>, holderId: string, limit: number): Promise<StatusEventTable[]> {
  return db.selectFrom('status_events').selectAll().where('holder_id', '=', holderId).orderBy('assessment_version', 'desc').limit(limit).execute();
}
