import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { ErrorBody, StaffLoginBody, StaffView } from '../../contracts/api.ts';
import type { AppDeps } from '../../deps.ts';
import { endSession, staffGuard, staffOf, startSession } from '../auth/guard.ts';
import { authenticateStaff, presentStaff, STAFF_ROLES } from './service.ts';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 429: ErrorBody };

/** Staff accounts (checkpoint operators, venue managers, officials, operators): /api/staff/*. */
export async function staffRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const db = deps.store.db;
  app.post<{ Body: StaffLoginBody }>(
    '/login',
    {
      schema: { tags: ['staff'], summary: 'Staff log-in', body: StaffLoginBody, response: { 200: Type.Object({ staff: StaffView }), ...errors } },
      config: { rateLimit: { max: 10, timeWindow: '1 minute' } },
    },
    async (req, reply) => {
      const staff = await authenticateStaff(db, req.body.username, req.body.password);
      await startSession(deps, reply, 'staff', staff.id);
      return { staff: await presentStaff(db, staff) };
    },
  );

  app.post('/logout', { schema: { tags: ['staff'], summary: 'Log out', response: { 204: Type.Null() } } }, async (req, reply) => {
    await endSession(deps, req, reply, 'staff');
    return reply.code(204).send();
  });

  app.get(
    '/me',
    {
      preHandler: staffGuard(deps, STAFF_ROLES),
      schema: { tags: ['staff'], summary: 'The logged-in account and its venues', response: { 200: Type.Object({ staff: StaffView }), ...errors } },
    },
    async (req) => ({ staff: await presentStaff(db, staffOf(req)) }),
  );
}
