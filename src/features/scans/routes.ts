import type { FastifyInstance } from 'fastify';
import { BatchScanBody, BatchScanResult, ErrorBody, ScanBody, ScanResult, Verdict, VerifyBody } from '../../contracts/api.ts';
import type { AppDeps } from '../../deps.ts';
import { actorOf, staffOf } from '../auth/guard.ts';
import { recordScan, recordScanBatch, scanReadsPerTurn, verdictOnline } from './service.ts';
import type { Metrics } from '../ops/metrics.ts';
import type { ScanWriter } from './writer.ts';
import type { CodeVerifier } from './verifier.ts';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody, 413: ErrorBody, 503: ErrorBody };

/** 10,000 events of up to ~1.5 kB each; the rest of the API keeps the 1 MB limit. */
export const BATCH_BODY_LIMIT = 16 * 1024 * 1024;

/** The checkpoint audience: /api/checkpoint/*, staff session with a scanning role. */
export async function checkpointRoutes(app: FastifyInstance, deps: AppDeps & { scanWriter: ScanWriter; verifier: CodeVerifier; metrics?: Metrics }): Promise<void> {
  const reads = scanReadsPerTurn(deps.store.db);
  // roles: checkpoint_operator and venue_manager, declared by the audience in app.ts
  app.post<{ Body: ScanBody }>(
    '/scans',
    {
      // audited by the scan writer, in the scan's own transaction (one durable commit for both)
      config: { audit: { generic: false } },
      schema: {
        tags: ['checkpoint'],
        summary: 'Record a scan; answered only after it is durably stored. Idempotent by eventId.',
        body: ScanBody,
        response: { 200: ScanResult, 201: ScanResult, ...errors },
      },
    },
    async (req, reply) => {
      const ctx = { now: deps.clock.now(), keys: deps.keys, verifier: deps.verifier, lookups: deps.lookups, reads, rules: deps.rules, random: deps.random };
      const result = await recordScan(deps.store.db, deps.scanWriter, staffOf(req), req.body, ctx, { actor: actorOf(req), action: 'POST /api/checkpoint/scans' });
      return reply.code(result.status === 'stored' ? 201 : 200).send(result);
    },
  );

  app.post<{ Body: BatchScanBody }>(
    '/scans/batch',
    {
      bodyLimit: BATCH_BODY_LIMIT,
      config: { audit: { generic: false } },
      schema: {
        tags: ['checkpoint'],
        summary: 'Sync up to 10,000 scans queued offline; answered per event (stored / duplicate / rejected with the reason). Idempotent by eventId.',
        description:
          'Each event is validated as POST /scans would validate it and answered on its own. The valid events are written in one ' +
          'transaction and acknowledged after it commits; if the store fails, the answer is 503 and none of the batch is stored.',
        body: BatchScanBody,
        response: { 200: BatchScanResult, ...errors },
      },
    },
    async (req) => {
      const ctx = { now: deps.clock.now(), keys: deps.keys, verifier: deps.verifier, lookups: deps.lookups, reads, rules: deps.rules, random: deps.random };
      const result = await recordScanBatch(deps.store.db, deps.scanWriter, staffOf(req), req.body.events, ctx, { actor: actorOf(req), action: 'POST /api/checkpoint/scans/batch' });
      if (result.rejected) deps.metrics?.scansIngested.inc({ status: 'rejected' }, result.rejected);
      return result;
    },
  );

  app.post<{ Body: VerifyBody }>(
    '/verify',
    {
      schema: { tags: ['checkpoint'], summary: 'Verify a code without recording a scan', body: VerifyBody, response: { 200: Verdict, ...errors } },
    },
    async (req) => verdictOnline(deps.store.db, req.body.code, { now: deps.clock.now(), keys: deps.keys, rules: deps.rules, random: deps.random }),
  );
}
