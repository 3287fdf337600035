// Dependants: children or elderly relatives without a phone, registered by a guardian with the
// dependant's own ID document. A dependant is a holder like any other (same rules, same codes) whose
// record has no phone or password; one or more guardians act for them. Claiming someone who already
// has a guardian makes a pending request that the existing guardian or an official decides. An adult
// dependant takes over their own account with a one-time code from a guardian, which ends the
// guardianships. Every guardian action is audited (the routes do it, naming the dependant).
import crypto from 'node:crypto';
import type { Kysely } from 'kysely';
import { isCalendarDate } from '../../core/time/zones.ts';
import { isUniqueViolation } from '../../db/errors.ts';
import type { Database, GuardianshipTable } from '../../db/schema.ts';
import { DomainError } from '../../errors.ts';
import type { Random } from '../../support/clock.ts';
import { hashPassword } from '../auth/passwords.ts';
import { maskName } from '../../core/holders/mask.ts';
import { birthYear, idHash, normaliseIdNumber, rowToHolder, type Holder } from '../holders/model.ts';
import { findHolderById, findHolderByIdHash, findHolderByPhone, insertHolder } from '../holders/repository.ts';

const HOUR = 3_600_000;
export const TAKEOVER_CODE_HOURS = 72;
export const ADULT_AGE = 18;
/** Stored as a dependant's password hash: argon2 cannot match it, so nobody logs in as them. */
const NO_PASSWORD = '!dependant-no-password';

export interface DependantInput {
  name: string;
  idNumber: string;
  dateOfBirth: string;
  region: string;
  relationship: string;
  timeZone?: string;
}

export interface GuardianCtx {
  now: Date;
  random: Random;
  idHashKey: Buffer;
}

export function isDependantPhone(phone: string): boolean {
  return phone.startsWith('dependant:');
}

function checkBirthDate(dob: string, now: Date): void {
  if (!isCalendarDate(dob)) throw new DomainError('invalid_date', `dateOfBirth ${JSON.stringify(dob)} is not a calendar date`);
  if (dob > now.toISOString().slice(0, 10) || dob < '1900-01-01') throw new DomainError('invalid_date', `dateOfBirth ${dob} is outside 1900-01-01 .. today`);
}

/** Full years on `now` (UTC calendar). */
export function ageOn(dateOfBirth: string, now: Date): number {
  const today = now.toISOString().slice(0, 10);
  const years = Number(today.slice(0, 4)) - Number(dateOfBirth.slice(0, 4));
  return today.slice(5) >= dateOfBirth.slice(5) ? years : years - 1;
}

async function activeGuardians(db: Kysely<Database>, dependantId: string): Promise<GuardianshipTable[]> {
  return db.selectFrom('guardianships').selectAll().where('dependant_id', '=', dependantId).where('status', '=', 'active').execute();
}

async function isDependant(db: Kysely<Database>, holderId: string): Promise<boolean> {
  const row = await db.selectFrom('dependants').select(['holder_id', 'taken_over_at']).where('holder_id', '=', holderId).executeTakeFirst();
  return row !== undefined && row.taken_over_at === null;
}

/** The dependant this guardian may act for; anything else (no such holder included) is not_a_guardian. */
export async function dependantOf(db: Kysely<Database>, guardianId: string, dependantId: string): Promise<{ holder: Holder; relationship: string }> {
  const g = await db
    .selectFrom('guardianships')
    .select(['relationship'])
    .where('guardian_id', '=', guardianId)
    .where('dependant_id', '=', dependantId)
    .where('status', '=', 'active')
    .executeTakeFirst();
  if (!g) throw new DomainError('not_a_guardian', 'you are not a guardian of this person');
  const row = await findHolderById(db, dependantId);
  if (!row) throw new DomainError('not_a_guardian', 'you are not a guardian of this person');
  return { holder: rowToHolder(row), relationship: g.relationship };
}

/**
 * Registers a dependant with their own ID document and makes the caller their guardian. Someone
 * already registered as another guardian's dependant, or with their own account, is refused with
 * the way forward; nothing is written then.
 */
export async function registerDependant(db: Kysely<Database>, guardian: Holder, input: DependantInput, ctx: GuardianCtx): Promise<{ holder: Holder; guardianshipId: string }> {
  checkBirthDate(input.dateOfBirth, ctx.now);
  const hash = idHash(input.idNumber, ctx.idHashKey);
  const existing = await findHolderByIdHash(db, hash);
  if (existing) {
    if (existing.id === guardian.id) throw new DomainError('invalid_request', 'this is your own ID document');
    if (!(await isDependant(db, existing.id))) {
      throw new DomainError('holder_has_own_account', 'this person has their own account; they manage their own code');
    }
    const guardians = await activeGuardians(db, existing.id);
    if (guardians.some((g) => g.guardian_id === guardian.id)) throw new DomainError('already_registered', 'you are already a guardian of this person');
    throw new DomainError(
      'dependant_already_linked',
      'this person is already registered by another guardian. Ask to be added: POST /api/holder/dependants/requests with the same ID number and date of birth; ' +
        'the existing guardian approves it in their app, or a health official confirms it.',
    );
  }
  const id = ctx.random.uuid();
  const row = {
    id,
    name: input.name.trim(),
    id_hash: hash,
    id_last4: normaliseIdNumber(input.idNumber).slice(-4),
    date_of_birth: input.dateOfBirth,
    phone: `dependant:${id}`,
    region: input.region,
    time_zone: input.timeZone ?? guardian.timeZone,
    password_hash: NO_PASSWORD,
    created_at: ctx.now.getTime(),
  };
  const guardianshipId = ctx.random.uuid();
  try {
    await db.transaction().execute(async (trx) => {
      await insertHolder(trx, row);
      await trx.insertInto('dependants').values({ holder_id: id, registered_by: guardian.id, registered_at: ctx.now.getTime(), taken_over_at: null }).execute();
      await trx
        .insertInto('guardianships')
        .values({
          id: guardianshipId,
          guardian_id: guardian.id,
          dependant_id: id,
          relationship: input.relationship,
          status: 'active',
          requested_at: ctx.now.getTime(),
          decided_by_kind: 'system',
          decided_by: null,
          decided_at: ctx.now.getTime(),
          ended_at: null,
        })
        .execute();
    });
  } catch (e) {
    if (isUniqueViolation(e)) throw new DomainError('dependant_already_linked', 'this ID document was registered a moment ago by someone else; ask to be added as a guardian');
    throw e;
  }
  return { holder: rowToHolder(row), guardianshipId };
}

export interface DependantSummary {
  id: string;
  name: string;
  maskedName: string;
  birthYear: number;
  dateOfBirth: string;
  idLast4: string;
  region: string;
  timeZone: string;
  relationship: string;
  guardians: number;
  adult: boolean;
}

export function presentDependant(h: Holder, relationship: string, guardians: number, now: Date): DependantSummary {
  return {
    id: h.id,
    name: h.name,
    maskedName: maskName(h.name),
    birthYear: birthYear(h),
    dateOfBirth: h.dateOfBirth,
    idLast4: h.idLast4,
    region: h.region,
    timeZone: h.timeZone,
    relationship,
    guardians,
    adult: ageOn(h.dateOfBirth, now) >= ADULT_AGE,
  };
}

export async function listDependants(db: Kysely<Database>, guardianId: string): Promise<{ holder: Holder; relationship: string; guardians: number }[]> {
  const links = await db.selectFrom('guardianships').select(['dependant_id', 'relationship']).where('guardian_id', '=', guardianId).where('status', '=', 'active').execute();
  const out: { holder: Holder; relationship: string; guardians: number }[] = [];
  for (const l of links) {
    const row = await findHolderById(db, l.dependant_id);
    if (!row) continue;
    const n = await db.selectFrom('guardianships').select((eb) => eb.fn.countAll<number>().as('n')).where('dependant_id', '=', l.dependant_id).where('status', '=', 'active').executeTakeFirst();
    out.push({ holder: rowToHolder(row), relationship: l.relationship, guardians: Number(n?.n ?? 0) });
  }
  return out.sort((a, b) => a.holder.name.localeCompare(b.holder.name));
}

// ---------------------------------------------------------------- requests to be added as a guardian

export interface GuardianRequestView {
  id: string;
  dependantId: string;
  dependantMaskedName: string;
  requesterMaskedName: string;
  relationship: string;
  status: GuardianshipTable['status'];
  requestedAt: string;
}

async function presentRequest(db: Kysely<Database>, g: GuardianshipTable): Promise<GuardianRequestView> {
  const [dep, req] = await Promise.all([findHolderById(db, g.dependant_id), findHolderById(db, g.guardian_id)]);
  return {
    id: g.id,
    dependantId: g.dependant_id,
    dependantMaskedName: dep ? maskName(dep.name) : '',
    requesterMaskedName: req ? maskName(req.name) : '',
    relationship: g.relationship,
    status: g.status,
    requestedAt: new Date(Number(g.requested_at)).toISOString(),
  };
}

/** A holder asks to be added as a guardian of an existing dependant (ID number and date of birth must both match). */
export async function requestGuardianship(
  db: Kysely<Database>,
  requester: Holder,
  input: { idNumber: string; dateOfBirth: string; relationship: string },
  ctx: GuardianCtx,
): Promise<GuardianRequestView> {
  const row = await findHolderByIdHash(db, idHash(input.idNumber, ctx.idHashKey));
  if (!row || row.date_of_birth !== input.dateOfBirth || !(await isDependant(db, row.id))) {
    throw new DomainError('unknown_holder', 'no dependant is registered with this ID number and date of birth');
  }
  const mine = await db
    .selectFrom('guardianships')
    .select(['status'])
    .where('guardian_id', '=', requester.id)
    .where('dependant_id', '=', row.id)
    .where('status', 'in', ['active', 'pending'])
    .executeTakeFirst();
  if (mine?.status === 'active') throw new DomainError('already_registered', 'you are already a guardian of this person');
  if (mine?.status === 'pending') throw new DomainError('guardian_request_exists', 'your request is already waiting for the existing guardian or an official');
  const g: GuardianshipTable = {
    id: ctx.random.uuid(),
    guardian_id: requester.id,
    dependant_id: row.id,
    relationship: input.relationship,
    status: 'pending',
    requested_at: ctx.now.getTime(),
    decided_by_kind: null,
    decided_by: null,
    decided_at: null,
    ended_at: null,
  };
  await db.insertInto('guardianships').values(g).execute();
  return presentRequest(db, g);
}

/** Pending requests about the dependants this guardian acts for. */
export async function incomingRequests(db: Kysely<Database>, guardianId: string): Promise<GuardianRequestView[]> {
  const mine = db.selectFrom('guardianships').select('dependant_id').where('guardian_id', '=', guardianId).where('status', '=', 'active');
  const rows = await db.selectFrom('guardianships').selectAll().where('status', '=', 'pending').where('dependant_id', 'in', mine).orderBy('requested_at').execute();
  return Promise.all(rows.map((r) => presentRequest(db, r)));
}

export async function pendingRequests(db: Kysely<Database>, limit: number): Promise<GuardianRequestView[]> {
  const rows = await db.selectFrom('guardianships').selectAll().where('status', '=', 'pending').orderBy('requested_at').limit(limit).execute();
  return Promise.all(rows.map((r) => presentRequest(db, r)));
}

/**
 * Decides a pending request: by an active guardian of the dependant (decider.kind 'holder') or an
 * official ('staff'). Returns the request as decided.
 */
export async function decideRequest(
  db: Kysely<Database>,
  requestId: string,
  decision: 'approve' | 'reject',
  decider: { kind: 'holder' | 'staff'; id: string },
  now: Date,
): Promise<GuardianRequestView> {
  const g = await db.selectFrom('guardianships').selectAll().where('id', '=', requestId).executeTakeFirst();
  if (decider.kind === 'holder') {
    // a guardian sees only requests about their own dependants
    if (!g) throw new DomainError('not_found', 'no such request');
    await dependantOf(db, decider.id, g.dependant_id);
  }
  if (!g) throw new DomainError('not_found', 'no such request');
  if (g.status !== 'pending') throw new DomainError('request_not_pending', `this request is already ${g.status}`);
  const status = decision === 'approve' ? 'active' : 'rejected';
  const r = await db
    .updateTable('guardianships')
    .set({ status, decided_by_kind: decider.kind, decided_by: decider.id, decided_at: now.getTime() })
    .where('id', '=', g.id)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  if (Number(r.numUpdatedRows) !== 1) throw new DomainError('request_not_pending', 'this request was decided a moment ago');
  return presentRequest(db, { ...g, status, decided_by_kind: decider.kind, decided_by: decider.id, decided_at: now.getTime() });
}

// ---------------------------------------------------------------- take-over by an adult dependant

function codeHash(code: string): string {
  return crypto.createHash('sha256').update(code.replace(/[\s-]/g, '').toUpperCase()).digest('hex');
}

/** A one-time code a guardian gives an adult dependant so they can take over their account. */
export async function createTakeoverCode(db: Kysely<Database>, guardianId: string, dependant: Holder, ctx: GuardianCtx): Promise<{ code: string; expiresAt: string }> {
  if (ageOn(dependant.dateOfBirth, ctx.now) < ADULT_AGE) throw new DomainError('not_an_adult', `only a dependant aged ${ADULT_AGE} or over can take over their own account`);
  // 12 characters of Crockford-like base32: 60 bits
  const alphabet = 'ABCDEFGHJKMNPQRSTVWXYZ23456789';
  const bytes = ctx.random.bytes(12);
  const code = Array.from(bytes, (b) => alphabet[b % alphabet.length]).join('');
  const expiresAt = ctx.now.getTime() + TAKEOVER_CODE_HOURS * HOUR;
  await db.insertInto('takeover_codes').values({ code_hash: codeHash(code), dependant_id: dependant.id, created_by: guardianId, created_at: ctx.now.getTime(), expires_at: expiresAt, used_at: null }).execute();
  return { code: `${code.slice(0, 4)}-${code.slice(4, 8)}-${code.slice(8)}`, expiresAt: new Date(expiresAt).toISOString() };
}

/** The dependant takes over: their own phone and password; the guardianships end. One transaction. */
export async function takeOver(
  db: Kysely<Database>,
  input: { code: string; idNumber: string; phone: string; password: string },
  ctx: GuardianCtx,
): Promise<Holder> {
  const hash = codeHash(input.code);
  const code = await db.selectFrom('takeover_codes').selectAll().where('code_hash', '=', hash).executeTakeFirst();
  const invalid = () => new DomainError('takeover_code_invalid', 'the take-over code is wrong, used or expired, or does not match this ID document; ask your guardian for a new one');
  if (!code || code.used_at !== null || Number(code.expires_at) < ctx.now.getTime()) throw invalid();
  const row = await findHolderById(db, code.dependant_id);
  if (!row || row.id_hash !== idHash(input.idNumber, ctx.idHashKey) || !(await isDependant(db, row.id))) throw invalid();
  if (ageOn(row.date_of_birth, ctx.now) < ADULT_AGE) throw new DomainError('not_an_adult', `only a dependant aged ${ADULT_AGE} or over can take over their own account`);
  if (await findHolderByPhone(db, input.phone)) throw new DomainError('already_registered', 'this phone number is already registered');
  const passwordHash = await hashPassword(input.password);
  const t = ctx.now.getTime();
  try {
    await db.transaction().execute(async (trx) => {
      const used = await trx.updateTable('takeover_codes').set({ used_at: t }).where('code_hash', '=', hash).where('used_at', 'is', null).executeTakeFirst();
      if (Number(used.numUpdatedRows) !== 1) throw invalid();
      await trx.updateTable('holders').set({ phone: input.phone, password_hash: passwordHash }).where('id', '=', row.id).execute();
      await trx.updateTable('dependants').set({ taken_over_at: t }).where('holder_id', '=', row.id).execute();
      await trx.updateTable('guardianships').set({ status: 'ended', ended_at: t }).where('dependant_id', '=', row.id).where('status', '=', 'active').execute();
      await trx
        .updateTable('guardianships')
        .set({ status: 'rejected', decided_by_kind: 'system', decided_at: t })
        .where('dependant_id', '=', row.id)
        .where('status', '=', 'pending')
        .execute();
    });
  } catch (e) {
    if (isUniqueViolation(e)) throw new DomainError('already_registered', 'this phone number is already registered');
    throw e;
  }
  return rowToHolder({ ...row, phone: input.phone, password_hash: passwordHash });
}
