// Session look-up for the holder and staff audiences; each audience plugin adds one of these
// as its preHandler, so a route is authenticated by where it is registered.
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppDeps } from '../../deps.ts';
import { DomainError } from '../../errors.ts';
import { getHolder } from '../holders/service.ts';
import type { Holder } from '../holders/model.ts';
import { getStaff, type Staff, type StaffRole } from '../staff/service.ts';
import { COOKIE, createSession, deleteSession, findSessionSubject, type SubjectKind } from './sessions.ts';

declare module 'fastify' {
  interface FastifyRequest {
    holder?: Holder;
    staff?: Staff;
  }
}

async function subject(deps: AppDeps, req: FastifyRequest, kind: SubjectKind): Promise<string> {
  const token = req.cookies[COOKIE[kind]];
  if (!token) throw new DomainError('unauthenticated', 'log in first');
  const id = await findSessionSubject(deps.store.db, kind, token, deps.clock.now());
  if (!id) throw new DomainError('unauthenticated', 'the session has expired; log in again');
  return id;
}

export function holderGuard(deps: AppDeps) {
  return async (req: FastifyRequest): Promise<void> => {
    req.holder = await getHolder(deps.store.db, await subject(deps, req, 'holder'));
  };
}

export function staffGuard(deps: AppDeps, roles: readonly StaffRole[]) {
  return async (req: FastifyRequest): Promise<void> => {
    const staff = await getStaff(deps.store.db, await subject(deps, req, 'staff'));
    if (!roles.includes(staff.role)) throw new DomainError('forbidden', `role ${staff.role} may not do this`);
    req.staff = staff;
  };
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
  if (token) await deleteSession(deps.store.db, token);
  reply.clearCookie(COOKIE[kind], { path: '/' });
}

/** The authenticated holder; only call inside a plugin guarded by holderGuard. */
export function holderOf(req: FastifyRequest): Holder {
  if (!req.holder) throw new DomainError('unauthenticated', 'log in first');
  return req.holder;
}

export function staffOf(req: FastifyRequest): Staff {
  if (!req.staff) throw new DomainError('unauthenticated', 'log in first');
  return req.staff;
}
