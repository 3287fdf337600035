import type { Kysely } from 'kysely';
import type { VenueView } from '../../contracts/api.ts';
import type { Database, VenueTable } from '../../db/schema.ts';

export function presentVenue(row: VenueTable): VenueView {
  return { id: row.id, name: row.name, kind: row.kind as VenueView['kind'], region: row.region, address: row.address };
}

export function findVenue(db: Kysely<Database>, id: string): Promise<VenueTable | undefined> {
  return db.selectFrom('venues').selectAll().where('id', '=', id).executeTakeFirst();
}

export async function insertVenue(db: Kysely<Database>, row: VenueTable): Promise<void> {
  await db.insertInto('venues').values(row).execute();
}

export function venuesOfStaff(db: Kysely<Database>, staffId: string): Promise<VenueTable[]> {
  return db
    .selectFrom('staff_venues')
    .innerJoin('venues', 'venues.id', 'staff_venues.venue_id')
    .selectAll('venues')
    .where('staff_venues.staff_id', '=', staffId)
    .orderBy('venues.name')
    .execute();
}

export async function isStaffOfVenue(db: Kysely<Database>, staffId: string, venueId: string): Promise<boolean> {
  const row = await db
    .selectFrom('staff_venues')
    .select('venue_id')
    .where('staff_id', '=', staffId)
    .where('venue_id', '=', venueId)
    .executeTakeFirst();
  return row !== undefined;
}
