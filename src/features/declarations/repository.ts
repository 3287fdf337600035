import type { Kysely } from 'kysely';
import type { Database, DeclarationTable } from '../../db/schema.ts';

export async function insertDeclaration(db: Kysely<Database>, row: DeclarationTable): Promise<void> {
  await db.insertInto('declarations').values(row).execute();
}

export function listDeclarations(db: Kysely<Database>, holderId: string, since: number): Promise<DeclarationTable[]> {
  return db
    .selectFrom('declarations')
    .selectAll()
    .where('holder_id', '=', holderId)
    .where('declared_at', '>=', since)
    .orderBy('declared_at', 'desc')
    .execute();
}
