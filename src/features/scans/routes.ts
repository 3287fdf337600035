import type { FastifyInstance } from 'fastify';
import { ErrorBody, ScanBody, ScanResult, Verdict, VerifyBody } from '../../contracts/api.ts';
import type { AppDeps } from '../../deps.ts';
import { staffGuard, staffOf } from '../auth/guard.ts';
import { recordScan, verdictFor } from './service.ts';
import type { ScanWriter } from './writer.ts';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody, 503: ErrorBody };

/** The checkpoint audience: /api/checkpoint/*, staff session with a scanning role. */
export async function checkpointRoutes(app: FastifyInstance, deps: AppDeps & { scanWriter: ScanWriter }): Promise<void> {
  app.addHook('preHandler', staffGuard(deps, ['checkpoint_operator', 'venue_manager']));

  app.post<{ Body: ScanBody }>(
    '/scans',
    {
      schema: {
        tags: ['checkpoint'],
        summary: 'Record a scan; answered only after it is durably stored. Idempotent by eventId.',
        body: ScanBody,
        response: { 200: ScanResult, 201: ScanResult, ...errors },
      },
    },
    async (req, reply) => {
      const result = await recordScan(deps.store.db, deps.scanWriter, staffOf(req), req.body, { now: deps.clock.now(), keys: deps.keys });
      return reply.code(result.status === 'stored' ? 201 : 200).send(result);
    },
  );

  app.post<{ Body: VerifyBody }>(
    '/verify',
    {
      schema: { tags: ['checkpoint'], summary: 'Verify a code without recording a scan', body: VerifyBody, response: { 200: Verdict, ...errors } },
    },
    async (req) => verdictFor(req.body.code, deps.keys, deps.clock.now()).verdict,
  );
}
