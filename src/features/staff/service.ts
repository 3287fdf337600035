import type { Kysely } from 'kysely';
import type { StaffView } from '../../contracts/api.ts';
import { matchTotp } from '../../core/auth/totp.ts';
import type { Database } from '../../db/schema.ts';
import { DomainError } from '../../errors.ts';
import { verifyPassword } from '../auth/passwords.ts';
import { STAFF_ROLES, TOTP_ROLES, type StaffRole } from '../security/roles.ts';
import { presentVenue, venuesOfStaff } from '../venues/repository.ts';
import { findStaffById, findStaffByUsername, type StaffAccountRow } from './repository.ts';

export { STAFF_ROLES, type StaffRole };

export interface Staff {
  id: string;
  username: string;
  displayName: string;
  role: StaffRole;
}

export function rowToStaff(row: StaffAccountRow): Staff {
  return { id: row.id, username: row.username, displayName: row.display_name, role: row.role as StaffRole };
}

/**
 * Checks the password and, for roles that decide about people (officials, supervisors,
 * operators), the TOTP code; a code is accepted once. An account of such a role without an
 * enrolled secret cannot log in (`healthcode staff add` enrols one).
 */
export async function authenticateStaff(db: Kysely<Database>, username: string, password: string, totpCode: string | undefined, now: Date): Promise<Staff> {
  const row = await findStaffByUsername(db, username);
  const ok = await verifyPassword(row?.password_hash, password);
  if (!row || !ok) throw new DomainError('bad_credentials', 'username or password is wrong');
  const staff = rowToStaff(row);
  if (TOTP_ROLES.includes(staff.role)) {
    if (!row.totp_secret) throw new DomainError('totp_not_enrolled', `a ${staff.role} needs a second factor, and none is enrolled for this account; ask an operator`);
    if (!totpCode) throw new DomainError('totp_required', 'enter the 6-digit code from your authenticator app');
    const step = matchTotp(row.totp_secret, totpCode, now, row.totp_last_step === null ? null : Number(row.totp_last_step));
    if (step === null) throw new DomainError('bad_credentials', 'the authenticator code is wrong or already used');
    // accept each code once, also against a concurrent log-in with the same code
    const r = await db
      .updateTable('staff_accounts')
      .set({ totp_last_step: step })
      .where('id', '=', row.id)
      .where((eb) => eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', step)]))
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) !== 1) throw new DomainError('bad_credentials', 'the authenticator code is wrong or already used');
  }
  return staff;
}

export async function getStaff(db: Kysely<Database>, id: string): Promise<Staff> {
  const row = await findStaffById(db, id);
  if (!row) throw new DomainError('unauthenticated', 'the session no longer matches an account; log in again');
  return rowToStaff(row);
}

export async function presentStaff(db: Kysely<Database>, s: Staff): Promise<StaffView> {
  const venues = await venuesOfStaff(db, s.id);
  return { id: s.id, username: s.username, displayName: s.displayName, role: s.role, venues: venues.map(presentVenue) };
}
