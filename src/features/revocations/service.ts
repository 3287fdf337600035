// Explicit revocations: code ids that must no longer pass whatever their colour (a reprinted paper
// code revokes the one before it). routes.ts publishes them in the signed list at
// GET /api/public/revocations, beside the live codes whose colour is out of date. An id stays
// listed until the code it names would have expired anyway.
import type { Kysely } from 'kysely';
import type { CodeRevocationTable, Database } from '../../db/schema.ts';

export interface Revocation {
  codeId: string;
  reason: string;
  revokedAt: Date;
}

export async function revokeCode(
  db: Kysely<Database>,
  input: { codeId: string; holderId: string; reason: string; codeExpiresAt: number },
  now: Date,
): Promise<void> {
  const row: CodeRevocationTable = {
    code_id: input.codeId,
    holder_id: input.holderId,
    reason: input.reason,
    revoked_at: now.getTime(),
    code_expires_at: input.codeExpiresAt,
  };
  await db.insertInto('code_revocations').values(row).onConflict((oc) => oc.column('code_id').doNothing()).execute();
}

/** The revocations among these code ids (one query per 1000 ids); the caller compares revokedAt with the scan time. */
export async function revocationsOf(db: Kysely<Database>, codeIds: readonly string[]): Promise<Map<string, Revocation>> {
  const out = new Map<string, Revocation>();
  const ids = [...new Set(codeIds)];
  for (let i = 0; i < ids.length; i += 1000) {
    const rows = await db
      .selectFrom('code_revocations')
      .select(['code_id', 'reason', 'revoked_at'])
      .where('code_id', 'in', ids.slice(i, i + 1000))
      .execute();
    for (const r of rows) out.set(r.code_id, { codeId: r.code_id, reason: r.reason, revokedAt: new Date(Number(r.revoked_at)) });
  }
  return out;
}

/** The revoked ids of codes that have not expired yet, oldest revocation first. */
export async function currentRevocations(db: Kysely<Database>, now: Date): Promise<string[]> {
  const rows = await db
    .selectFrom('code_revocations')
    .select('code_id')
    .where('code_expires_at', '>=', now.getTime())
    .where('revoked_at', '<=', now.getTime())
    .orderBy('revoked_at')
    .orderBy('code_id')
    .execute();
  return rows.map((r) => r.code_id);
}
