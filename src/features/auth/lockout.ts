// Log-in lockout: after `maxFailures` wrong passwords (or second factors) for one account within
// `windowMinutes`, the account refuses log-ins for `lockMinutes`, with a message saying until when.
// Counted per account (not per address), so spreading guesses over many addresses does not help;
// the per-address rate limit on the log-in routes covers the other direction.
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import { DomainError } from '../../errors.ts';

export interface LockoutPolicy {
  maxFailures: number;
  windowMinutes: number;
  lockMinutes: number;
}

export class AccountLockedError extends DomainError {
  constructor(readonly until: Date) {
    super('account_locked', `too many failed log-ins: this account is locked until ${until.toISOString()}; try again after that`);
  }
}

export async function assertNotLocked(db: Kysely<Database>, key: string, now: Date): Promise<void> {
  const row = await db.selectFrom('login_failures').select('locked_until').where('key', '=', key).executeTakeFirst();
  if (row?.locked_until && Number(row.locked_until) > now.getTime()) throw new AccountLockedError(new Date(Number(row.locked_until)));
}

/** Counts a failure; returns the lock's end when this failure locks the account. */
export async function recordFailure(db: Kysely<Database>, key: string, now: Date, policy: LockoutPolicy): Promise<Date | null> {
  const t = now.getTime();
  return db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom('login_failures').selectAll().where('key', '=', key).executeTakeFirst();
    const fresh = !row || Number(row.window_start) + policy.windowMinutes * 60_000 <= t || (row.locked_until !== null && Number(row.locked_until) <= t);
    const failures = fresh ? 1 : row.failures + 1;
    const lockedUntil = failures >= policy.maxFailures ? t + policy.lockMinutes * 60_000 : null;
    const values = { key, failures: lockedUntil ? 0 : failures, window_start: fresh ? t : Number(row.window_start), locked_until: lockedUntil };
    await trx
      .insertInto('login_failures')
      .values(values)
      .onConflict((oc) => oc.column('key').doUpdateSet({ failures: values.failures, window_start: values.window_start, locked_until: values.locked_until }))
      .execute();
    return lockedUntil ? new Date(lockedUntil) : null;
  });
}

export async function clearFailures(db: Kysely<Database>, key: string): Promise<void> {
  await db.deleteFrom('login_failures').where('key', '=', key).execute();
}

/**
 * Runs a credential check under the lockout: refuses while locked, counts a bad_credentials
 * failure (answering account_locked when it is the one that locks), clears the count on success.
 */
export async function withLockout<T>(db: Kysely<Database>, key: string, now: Date, policy: LockoutPolicy, check: () => Promise<T>): Promise<T> {
  await assertNotLocked(db, key, now);
  try {
    const result = await check();
    await clearFailures(db, key);
    return result;
  } catch (e) {
    if (e instanceof DomainError && e.code === 'bad_credentials') {
      const until = await recordFailure(db, key, now, policy);
      if (until) throw new AccountLockedError(until);
    }
    throw e;
  }
}
