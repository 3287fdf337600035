import type { Insertable, Kysely, Selectable } from 'kysely';
import type { Database, StaffAccountTable } from '../../db/schema.ts';

export type StaffAccountRow = Selectable<StaffAccountTable>;

export function findStaffByUsername(db: Kysely<Database>, username: string): Promise<StaffAccountRow | undefined> {
  return db.selectFrom('staff_accounts').selectAll().where('username', '=', username).executeTakeFirst();
}

export function findStaffById(db: Kysely<Database>, id: string): Promise<StaffAccountRow | undefined> {
  return db.selectFrom('staff_accounts').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function insertStaff(db: Kysely<Database>, row: Insertable<StaffAccountTable>, venueIds: string[] = []): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await trx.insertInto('staff_accounts').values(row).execute();
    if (venueIds.length > 0) {
      await trx.insertInto('staff_venues').values(venueIds.map((venue_id) => ({ staff_id: row.id, venue_id }))).execute();
    }
  });
}
