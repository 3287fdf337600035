import type { Kysely } from 'kysely';
import type { StaffView } from '../../contracts/api.ts';
import type { Database, StaffAccountTable } from '../../db/schema.ts';
import { DomainError } from '../../errors.ts';
import { verifyPassword } from '../auth/passwords.ts';
import { presentVenue, venuesOfStaff } from '../venues/repository.ts';
import { findStaffById, findStaffByUsername } from './repository.ts';

export const STAFF_ROLES = ['checkpoint_operator', 'venue_manager', 'official', 'operator'] as const;
export type StaffRole = (typeof STAFF_ROLES)[number];

export interface Staff {
  id: string;
  username: string;
  displayName: string;
  role: StaffRole;
}

function rowToStaff(row: StaffAccountTable): Staff {
  return { id: row.id, username: row.username, displayName: row.display_name, role: row.role as StaffRole };
}

export async function authenticateStaff(db: Kysely<Database>, username: string, password: string): Promise<Staff> {
  const row = await findStaffByUsername(db, username);
  const ok = await verifyPassword(row?.password_hash, password);
  if (!row || !ok) throw new DomainError('bad_credentials', 'username or password is wrong');
  return rowToStaff(row);
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
