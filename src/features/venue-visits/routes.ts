// The holder's venue check-ins, registered by app.ts under /api/holder with role holder:
//   POST /api/holder/venue-visits   check in at the venue whose poster was scanned (idempotent by clientEventId)
//   GET  /api/holder/venue-visits   the visits recorded for me (self check-ins and checkpoint scans), newest first
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { ErrorBody } from '../../contracts/api.ts';
import type { AppDeps } from '../../deps.ts';
import { holderOf } from '../auth/guard.ts';
import type { ScanWriter } from '../scans/writer.ts';
import { VenueVisitBody, VenueVisitResult, VenueVisitView } from './contract.ts';
import { recentVisits, recordVenueVisit } from './service.ts';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody, 503: ErrorBody };

export async function holderVenueVisitRoutes(app: FastifyInstance, deps: AppDeps & { scanWriter: ScanWriter }): Promise<void> {
  const db = deps.store.db;

  app.post<{ Body: VenueVisitBody }>(
    '/venue-visits',
    {
      schema: {
        tags: ['holder'],
        summary: "Check in at a venue by its poster: stored as a scan of you there (tracing and the venue's counts see it); answered after it is stored. Idempotent by clientEventId.",
        body: VenueVisitBody,
        response: { 201: VenueVisitResult, 200: VenueVisitResult, ...errors },
      },
      config: { roles: ['holder'] },
    },
    async (req, reply) => {
      const result = await recordVenueVisit(db, deps.scanWriter, holderOf(req), req.body, { now: deps.clock.now(), random: deps.random, rules: deps.rules });
      req.auditSubject = { kind: 'venue', id: result.visit.venue.id };
      return reply.code(result.status === 'stored' ? 201 : 200).send(result);
    },
  );

  app.get(
    '/venue-visits',
    {
      schema: {
        tags: ['holder'],
        summary: 'The visits recorded for me within the scan retention period: my own check-ins and checkpoint scans, newest first',
        response: { 200: Type.Object({ visits: Type.Array(VenueVisitView) }), ...errors },
      },
      config: { roles: ['holder'] },
    },
    async (req) => ({ visits: await recentVisits(db, holderOf(req).id, deps.clock.now()) }),
  );
}
