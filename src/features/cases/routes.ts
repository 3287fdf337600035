import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { ErrorBody, IsoDateTime } from '../../contracts/api.ts';
import type { AppDeps } from '../../deps.ts';
import { audit } from '../audit/service.ts';
import { actorOf, staffOf } from '../auth/guard.ts';
import { traceCase } from '../tracing/service.ts';
import { confirmCase, getCase, presentCase } from './service.ts';

const CaseView = Type.Object({
  id: Type.String(),
  holderId: Type.String(),
  labResultId: Type.String(),
  onsetAt: Type.Union([Type.String(), Type.Null()]),
  sampledAt: Type.String(),
  confirmedAt: Type.String(),
  infectiousFrom: Type.String(),
  infectiousTo: Type.String(),
});

const TraceView = Type.Object({
  runId: Type.String(),
  caseId: Type.String(),
  caseVisits: Type.Array(Type.Object({ venueId: Type.String(), from: Type.String(), to: Type.String() })),
  contacts: Type.Array(
    Type.Object({
      holderId: Type.String(),
      kind: Type.String(),
      minutes: Type.Integer(),
      lastExposureAt: Type.String(),
      venues: Type.Array(Type.Object({ venueId: Type.String(), venueName: Type.String(), from: Type.String(), to: Type.String(), minutes: Type.Integer(), kind: Type.String() })),
    }),
  ),
  newExposures: Type.Integer(),
});

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody, 422: ErrorBody };
const IdParams = Type.Object({ id: Type.String({ maxLength: 64 }) });

/** Officials: /api/official/cases… */
export async function caseRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const db = deps.store.db;
  const ctx = () => ({ now: deps.clock.now(), random: deps.random, rules: deps.rules });

  app.post<{ Body: { labResultId: string; onsetAt?: string; trace?: boolean } }>(
    '/cases',
    {
      schema: {
        tags: ['official'],
        summary: 'Confirm a case from a verified positive PCR result; traced at once unless trace is false',
        body: Type.Object({ labResultId: Type.String({ maxLength: 64 }), onsetAt: Type.Optional(IsoDateTime), trace: Type.Optional(Type.Boolean()) }, { additionalProperties: false }),
        response: { 201: Type.Object({ case: CaseView, trace: Type.Union([TraceView, Type.Null()]) }), ...errors },
      },
    },
    async (req, reply) => {
      const official = staffOf(req).username;
      const c = await confirmCase(db, { labResultId: req.body.labResultId, onsetAt: req.body.onsetAt ? new Date(req.body.onsetAt) : null, confirmedBy: official }, ctx());
      req.auditSubject = { kind: 'case', id: c.id };
      const trace = req.body.trace ?? deps.config.autoTrace ? await traceCase(db, c.id, { ...ctx(), runBy: official }) : null;
      return reply.code(201).send({ case: presentCase(c), trace });
    },
  );

  app.post<{ Params: { id: string } }>(
    '/cases/:id/trace',
    { schema: { tags: ['official'], summary: 'Trace (again) the contacts of a case; re-running applies nothing twice', params: IdParams, response: { 200: TraceView, ...errors } } },
    async (req) => {
      req.auditSubject = { kind: 'case', id: req.params.id };
      return traceCase(db, req.params.id, { ...ctx(), runBy: staffOf(req).username });
    },
  );

  app.get<{ Params: { id: string }; Querystring: { reason: string } }>(
    '/cases/:id',
    {
      schema: {
        tags: ['official'],
        summary: 'A case and its latest trace (personal data: the reason is recorded in the audit log)',
        params: IdParams,
        querystring: Type.Object({ reason: Type.String({ minLength: 3, maxLength: 500, description: 'why you read it (audited, shown to the holders concerned)' }) }),
        response: { 200: Type.Object({ case: CaseView, trace: Type.Union([TraceView, Type.Null()]) }), ...errors },
      },
    },
    async (req) => {
      const c = await getCase(db, req.params.id);
      const run = await db.selectFrom('trace_runs').select('result').where('case_id', '=', c.id).orderBy('run_at', 'desc').limit(1).executeTakeFirst();
      await audit(db, { at: deps.clock.now(), actor: actorOf(req), action: 'case.read', subject: { kind: 'holder', id: c.holder_id }, reason: req.query.reason, detail: { case: c.id } });
      return { case: presentCase(c), trace: run ? JSON.parse(run.result) : null };
    },
  );
}
