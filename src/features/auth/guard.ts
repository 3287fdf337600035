// Who is calling: the holder and staff sessions (HttpOnly, SameSite=Strict cookies), resolved
// once per request by the role guard (src/features/security/plugin.ts) against the roles the
// route allows. Handlers read the caller with holderOf / staffOf / principalOf.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppDeps } from '../../deps.ts';
import { DomainError } from '../../errors.ts';
import { getHolder } from '../holders/service.ts';
import type { Holder } from '../holders/model.ts';
import { HOLDER_ROLES, isStaffRole, type Role, type StaffRole } from '../security/roles.ts';
import { findStaffById } from '../staff/repository.ts';
import { rowToStaff, type Staff } from '../staff/service.ts';
import type { Actor } from '../audit/service.ts';
import { COOKIE, createSession, deleteSession, findSession, type SubjectKind } from './sessions.ts';
import { LookupCache } from './lookup-cache.ts';

export type Principal =
  | { kind: 'anonymous'; role: 'anonymous' }
  | { kind: 'holder'; role: 'holder' | 'guardian'; holder: Holder }
  | { kind: 'staff'; role: StaffRole; staff: Staff };

declare module 'fastify' {
  interface FastifyRequest {
    principal?: Principal;
    holder?: Holder;
    staff?: Staff;
  }
}

async function sessionSubject(deps: AppDeps, req: FastifyRequest, kind: SubjectKind): Promise<string | null> {
  const token = req.cookies[COOKIE[kind]];
  if (!token) return null;
  const now = deps.clock.now();
  const cache = deps.lookups?.sessions;
  const key = cache ? LookupCache.sessionKey(kind, token) : '';
  const known = cache?.get(key);
  if (known) return known.expiresAt > now.getTime() ? known.subjectId : null;
  const found = await findSession(deps.store.db, kind, token);
  if (!found || found.expiresAt <= now.getTime()) return null;
  cache?.set(key, found);
  return found.subjectId;
}

/** The staff account of a session (remembered briefly: a checkpoint sends many scans a minute). */
async function staffById(deps: AppDeps, id: string): Promise<Staff | null> {
  const known = deps.lookups?.staff.get(id);
  if (known) return known;
  const row = await findStaffById(deps.store.db, id);
  if (!row) return null;
  const staff = rowToStaff(row);
  deps.lookups?.staff.set(id, staff);
  return staff;
}

/**
 * Finds a caller the route allows, or throws: 401 when no session matches, 403 when a session
 * exists but its role is not allowed. A browser may hold both a holder and a staff cookie; the one
 * the route allows is used.
 */
export async function authorise(deps: AppDeps, req: FastifyRequest, roles: readonly Role[]): Promise<Principal> {
  if (roles.includes('anonymous')) return { kind: 'anonymous', role: 'anonymous' };
  let seen: string | null = null;
  const wantsHolder = HOLDER_ROLES.some((r) => roles.includes(r));
  const wantsStaff = roles.some(isStaffRole);
  // the holder session is tried first only when the route is for holders
  if (wantsHolder) {
    const id = await sessionSubject(deps, req, 'holder');
    if (id) {
      const holder = await getHolder(deps.store.db, id).catch(() => null);
      if (holder) {
        // until dependants exist (issue 9) a holder enters a guardian route as a holder acting for themself;
        // such a route must check the guardianship of the dependant it names
        return { kind: 'holder', role: roles.includes('holder') ? 'holder' : 'guardian', holder };
      }
    }
  } else if (req.cookies[COOKIE.holder] && (await sessionSubject(deps, req, 'holder'))) {
    seen = 'holder';
  }
  const staffId = await sessionSubject(deps, req, 'staff');
  if (staffId) {
    const staff = await staffById(deps, staffId);
    if (staff) {
      if (wantsStaff && roles.includes(staff.role)) return { kind: 'staff', role: staff.role, staff };
      seen = staff.role;
    }
  }
  if (seen) throw new DomainError('forbidden', `a ${seen} may not do this`);
  throw new DomainError('unauthenticated', 'log in first (or the session has expired)');
}

export async function startSession(deps: AppDeps, reply: FastifyReply, kind: SubjectKind, subjectId: string): Promise<void> {
  const { token, expiresAt } = await createSession(deps.store.db, kind, subjectId, deps.clock.now(), deps.config.sessionHours, deps.random);
  reply.setCookie(COOKIE[kind], token, {
    path: '/',
    httpOnly: true,
    sameSite: 'strict',
    secure: deps.config.cookieSecure,
    expires: expiresAt,
  });
}

export async function endSession(deps: AppDeps, req: FastifyRequest, reply: FastifyReply, kind: SubjectKind): Promise<void> {
  const token = req.cookies[COOKIE[kind]];
  if (token) {
    deps.lookups?.sessions.delete(LookupCache.sessionKey(kind, token));
    await deleteSession(deps.store.db, token);
  }
  reply.clearCookie(COOKIE[kind], { path: '/' });
}

/** The authenticated holder; only on routes that allow holders. */
export function holderOf(req: FastifyRequest): Holder {
  if (!req.holder) throw new DomainError('unauthenticated', 'log in first');
  return req.holder;
}

export function staffOf(req: FastifyRequest): Staff {
  if (!req.staff) throw new DomainError('unauthenticated', 'log in first');
  return req.staff;
}

export function principalOf(req: FastifyRequest): Principal {
  return req.principal ?? { kind: 'anonymous', role: 'anonymous' };
}

/** The caller as the audit log records them. */
export function actorOf(req: FastifyRequest): Actor {
  const p = principalOf(req);
  if (p.kind === 'holder') return { kind: 'holder', id: p.holder.id, role: p.role };
  if (p.kind === 'staff') return { kind: 'staff', id: p.staff.id, role: p.role };
  return { kind: 'anonymous', id: null, role: 'anonymous' };
}
