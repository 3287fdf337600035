import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { ErrorBody, StaffLoginBody, StaffView } from '../../contracts/api.ts';
import type { AppDeps } from '../../deps.ts';
import { endSession, staffOf, startSession } from '../auth/guard.ts';
import { withLockout } from '../auth/lockout.ts';
import { lockoutPolicy } from '../security/policy.ts';
import { authenticateStaff, presentStaff, STAFF_ROLES } from './service.ts';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 429: ErrorBody };

/** Staff accounts (every staff role): /api/staff/*. Log-in and log-out are open; /me needs a staff session. */
export async function staffRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const db = deps.store.db;
  app.post<{ Body: StaffLoginBody }>(
    '/login',
    {
      schema: {
        tags: ['staff'],
        summary: 'Staff log-in; officials, supervisors and operators also give their authenticator code (totp)',
        body: StaffLoginBody,
        response: { 200: Type.Object({ staff: StaffView }), ...errors },
      },
      config: { roles: ['anonymous'], rateLimit: { max: 10, timeWindow: '1 minute' } },
    },
    async (req, reply) => {
      const now = deps.clock.now();
      const staff = await withLockout(db, `staff:${req.body.username}`, now, lockoutPolicy(deps), () =>
        authenticateStaff(db, req.body.username, req.body.password, req.body.totp, now),
      );
      await startSession(deps, reply, 'staff', staff.id);
      req.auditSubject = { kind: 'staff', id: staff.id };
      return { staff: await presentStaff(db, staff) };
    },
  );

  app.post(
    '/logout',
    { schema: { tags: ['staff'], summary: 'Log out', response: { 204: Type.Null() } }, config: { roles: ['anonymous'] } },
    async (req, reply) => {
      await endSession(deps, req, reply, 'staff');
      return reply.code(204).send();
    },
  );

  app.get(
    '/me',
    {
      schema: { tags: ['staff'], summary: 'The logged-in account and its venues', response: { 200: Type.Object({ staff: StaffView }), ...errors } },
      config: { roles: [...STAFF_ROLES] },
    },
    async (req) => ({ staff: await presentStaff(db, staffOf(req)) }),
  );
}
