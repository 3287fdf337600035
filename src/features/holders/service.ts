import type { Kysely } from 'kysely';
import type { LoginBody, RegisterBody } from '../../contracts/api.ts';
import { isCalendarDate } from '../../core/time/zones.ts';
import { isUniqueViolation } from '../../db/errors.ts';
import type { Database } from '../../db/schema.ts';
import { DomainError } from '../../errors.ts';
import type { Random } from '../../support/clock.ts';
import { hashPassword, verifyPassword } from '../auth/passwords.ts';
import { idHash, normaliseIdNumber, rowToHolder, type Holder } from './model.ts';
import { findHolderById, findHolderByIdHash, findHolderByPhone, insertHolder } from './repository.ts';

function validTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

export interface RegisterContext {
  now: Date;
  random: Random;
  idHashKey: Buffer;
  defaultTimeZone: string;
  /** a hash computed once for many rows (the demo city); otherwise the password is hashed here */
  passwordHash?: string;
}

export async function registerHolder(db: Kysely<Database>, input: RegisterBody, ctx: RegisterContext): Promise<Holder> {
  if (!isCalendarDate(input.dateOfBirth)) {
    throw new DomainError('invalid_date', `dateOfBirth ${JSON.stringify(input.dateOfBirth)} is not a calendar date`);
  }
  if (input.dateOfBirth > ctx.now.toISOString().slice(0, 10) || input.dateOfBirth < '1900-01-01') {
    throw new DomainError('invalid_date', `dateOfBirth ${input.dateOfBirth} is outside 1900-01-01 .. today`);
  }
  const timeZone = input.timeZone ?? ctx.defaultTimeZone;
  if (!validTimeZone(timeZone)) throw new DomainError('invalid_request', `unknown time zone ${JSON.stringify(timeZone)}`);
  const hash = idHash(input.idNumber, ctx.idHashKey);
  if (await findHolderByPhone(db, input.phone)) throw new DomainError('already_registered', 'this phone number is already registered');
  if (await findHolderByIdHash(db, hash)) throw new DomainError('already_registered', 'this ID document is already registered');
  const row = {
    id: ctx.random.uuid(),
    name: input.name.trim(),
    id_hash: hash,
    id_last4: normaliseIdNumber(input.idNumber).slice(-4),
    date_of_birth: input.dateOfBirth,
    phone: input.phone,
    region: input.region,
    time_zone: timeZone,
    password_hash: ctx.passwordHash ?? (await hashPassword(input.password)),
    created_at: ctx.now.getTime(),
  };
  try {
    await insertHolder(db, row);
  } catch (e) {
    // a concurrent registration with the same phone or ID won the race
    if (isUniqueViolation(e)) throw new DomainError('already_registered', 'this phone number or ID document is already registered');
    throw e;
  }
  return rowToHolder(row);
}

export async function authenticateHolder(db: Kysely<Database>, input: LoginBody): Promise<Holder> {
  const row = await findHolderByPhone(db, input.phone);
  const ok = await verifyPassword(row?.password_hash, input.password);
  if (!row || !ok) throw new DomainError('bad_credentials', 'phone number or password is wrong');
  return rowToHolder(row);
}

export async function getHolder(db: Kysely<Database>, id: string): Promise<Holder> {
  const row = await findHolderById(db, id);
  if (!row) throw new DomainError('unauthenticated', 'the session no longer matches a holder; log in again');
  return rowToHolder(row);
}
