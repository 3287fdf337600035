// Staff accounts of every role for tests, logged in through the real route (TOTP included).
import crypto from 'node:crypto';
import { base32Encode, STEP_SECONDS, totp } from '../../src/core/auth/totp.ts';
import { hashPassword } from '../../src/features/auth/passwords.ts';
import { TOTP_ROLES, type StaffRole } from '../../src/features/security/roles.ts';
import { insertStaff } from '../../src/features/staff/repository.ts';
import { cookieOf, VENUE_ID, type TestApp } from './app.ts';

export const STAFF_PASSWORD = 'staff-password-1';
let hash: Promise<string> | undefined;

export interface TestStaff {
  id: string;
  username: string;
  role: StaffRole;
  totpSecret: string | null;
  cookie: string;
}

/** Creates an account (with a TOTP secret for the roles that need one) and logs it in. */
export async function staffMember(t: TestApp, role: StaffRole, name = `${role}-${crypto.randomBytes(3).toString('hex')}`): Promise<TestStaff> {
  hash ??= hashPassword(STAFF_PASSWORD);
  const totpSecret = TOTP_ROLES.includes(role) ? base32Encode(crypto.randomBytes(20)) : null;
  const id = `staff-${name}`;
  await insertStaff(
    t.deps.store.db,
    { id, username: name, display_name: name, role, password_hash: await hash, created_at: t.clock.now().getTime(), totp_secret: totpSecret },
    role === 'checkpoint_operator' || role === 'venue_manager' ? [VENUE_ID] : [],
  );
  return { id, username: name, role, totpSecret, cookie: await loginStaff(t, name, totpSecret) };
}

let used = new Map<string, number>();

/** Logs in through POST /api/staff/login; a code is accepted once, so a second log-in in the same step moves the clock on. */
export async function loginStaff(t: TestApp, username: string, totpSecret: string | null): Promise<string> {
  let code: string | undefined;
  if (totpSecret) {
    const step = Math.floor(t.clock.now().getTime() / 1000 / STEP_SECONDS);
    if ((used.get(username) ?? -1) >= step) t.clock.advance(STEP_SECONDS * 1000);
    used.set(username, Math.floor(t.clock.now().getTime() / 1000 / STEP_SECONDS));
    code = totp(totpSecret, t.clock.now());
  }
  const res = await t.app.inject({ method: 'POST', url: '/api/staff/login', payload: { username, password: STAFF_PASSWORD, ...(code ? { totp: code } : {}) } });
  return cookieOf(res, 'hc_staff');
}

export function resetTotpMemory(): void {
  used = new Map();
}
