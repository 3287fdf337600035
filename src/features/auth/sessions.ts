// Cookie sessions: a random token in an HttpOnly cookie, its SHA-256 in the sessions table.
import crypto from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { Random } from '../../support/clock.ts';

export type SubjectKind = 'holder' | 'staff';

export const COOKIE = { holder: 'hc_holder', staff: 'hc_staff' } as const satisfies Record<SubjectKind, string>;

/** The SHA-256 of a session token: what the store keeps, and what the look-up cache keys by. */
export function tokenDigest(token: string): string {
  return crypto.createHash('sha256').update(token).digest('hex');
}

export async function createSession(
  db: Kysely<Database>,
  kind: SubjectKind,
  subjectId: string,
  now: Date,
  hours: number,
  random: Random,
): Promise<{ token: string; expiresAt: Date }> {
  const token = random.bytes(32).toString('base64url');
  const expiresAt = new Date(now.getTime() + hours * 3_600_000);
  await db
    .insertInto('sessions')
    .values({ token_hash: tokenDigest(token), subject_kind: kind, subject_id: subjectId, created_at: now.getTime(), expires_at: expiresAt.getTime() })
    .execute();
  return { token, expiresAt };
}

/** The session a token names, expired or not (the caller compares expiresAt with its clock). */
export async function findSession(db: Kysely<Database>, kind: SubjectKind, token: string): Promise<{ subjectId: string; expiresAt: number } | null> {
  const row = await db
    .selectFrom('sessions')
    .select(['subject_id', 'expires_at'])
    .where('token_hash', '=', tokenDigest(token))
    .where('subject_kind', '=', kind)
    .executeTakeFirst();
  return row ? { subjectId: row.subject_id, expiresAt: Number(row.expires_at) } : null;
}


export async function deleteSession(db: Kysely<Database>, token: string): Promise<void> {
  await db.deleteFrom('sessions').where('token_hash', '=', tokenDigest(token)).execute();
}
