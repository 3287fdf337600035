import type { Kysely } from 'kysely';
import type { Database, HolderTable } from '../../db/schema.ts';

export async function insertHolder(db: Kysely<Database>, row: HolderTable): Promise<void> {
  await db.insertInto('holders').values(row).execute();
}

export function findHolderById(db: Kysely<Database>, id: string): Promise<HolderTable | undefined> {
  return db.selectFrom('holders').selectAll().where('id', '=', id).executeTakeFirst();
}

export function findHolderByPhone(db: Kysely<Database>, phone: string): Promise<HolderTable | undefined> {
  return db.selectFrom('holders').selectAll().where('phone', '=', phone).executeTakeFirst();
}

export function findHolderByIdHash(db: Kysely<Database>, idHash: string): Promise<HolderTable | undefined> {
  return db.selectFrom('holders').selectAll().where('id_hash', '=', idHash).executeTakeFirst();
}
