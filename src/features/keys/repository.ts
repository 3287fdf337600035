// Signing keys and server secrets at rest.
import type { Kysely } from 'kysely';
import type { Database, SigningKeyTable } from '../../db/schema.ts';

export function listSigningKeys(db: Kysely<Database>): Promise<SigningKeyTable[]> {
  return db.selectFrom('signing_keys').selectAll().orderBy('created_at').execute();
}

export async function insertSigningKey(db: Kysely<Database>, row: SigningKeyTable): Promise<void> {
  await db.transaction().execute(async (trx) => {
    if (row.active) await trx.updateTable('signing_keys').set({ active: 0, retired_at: row.created_at }).where('active', '=', 1).execute();
    await trx.insertInto('signing_keys').values(row).execute();
  });
}

export async function getSecret(db: Kysely<Database>, name: string): Promise<string | undefined> {
  const row = await db.selectFrom('server_secrets').select('value').where('name', '=', name).executeTakeFirst();
  return row?.value;
}

export async function insertSecretIfAbsent(db: Kysely<Database>, name: string, value: string, now: number): Promise<void> {
  await db.insertInto('server_secrets').values({ name, value, created_at: now }).onConflict((oc) => oc.column('name').doNothing()).execute();
}
