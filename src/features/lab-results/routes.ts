import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { ErrorBody, IsoDateTime } from '../../contracts/api.ts';
import { parseFhirBundle } from '../../core/labs/fhir.ts';
import type { AppDeps } from '../../deps.ts';
import { DomainError } from '../../errors.ts';
import { holderOf, staffOf } from '../auth/guard.ts';
import { followUpResults } from './pipeline.ts';
import { reviewUpload, rowToView, storeLabRecords, type LabSource } from './service.ts';

const LabResultBody = Type.Object(
  {
    idNumber: Type.String({ pattern: '^[0-9A-Za-z-]{6,32}$', description: "the patient's ID document number" }),
    kind: Type.Union([Type.Literal('pcr'), Type.Literal('antigen')]),
    result: Type.Union([Type.Literal('positive'), Type.Literal('negative')]),
    sampledAt: IsoDateTime,
    reportedAt: Type.Optional(IsoDateTime),
    lab: Type.String({ minLength: 1, maxLength: 200 }),
    externalId: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9._:/-]{1,128}$', description: "the lab's own id: the same id twice stores one result" })),
  },
  { additionalProperties: false },
);
type LabResultBody = Static<typeof LabResultBody>;

const ImportReport = Type.Object({
  stored: Type.Integer(),
  duplicates: Type.Integer(),
  problems: Type.Array(Type.Object({ at: Type.String(), reason: Type.String() })),
  storedIds: Type.Array(Type.String()),
  holdersReassessed: Type.Integer(),
  casesConfirmed: Type.Array(Type.String()),
  traces: Type.Array(Type.Object({ caseId: Type.String(), closeContacts: Type.Integer(), secondaryContacts: Type.Integer(), newExposures: Type.Integer() })),
});

const LabView = Type.Object({
  id: Type.String(),
  kind: Type.String(),
  result: Type.String(),
  sampledAt: Type.String(),
  reportedAt: Type.String(),
  lab: Type.String(),
  source: Type.String(),
  review: Type.String(),
});

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody, 422: ErrorBody };

function ctxOf(deps: AppDeps) {
  return { now: deps.clock.now(), random: deps.random, rules: deps.rules, idHashKey: deps.idHashKey };
}

/** Officials: /api/official/lab-results… */
export async function officialLabRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const db = deps.store.db;
  const importAndFollow = async (records: Parameters<typeof storeLabRecords>[1], problems: { at: string; reason: string }[], source: LabSource, actor: string) => {
    const ctx = ctxOf(deps);
    const r = await storeLabRecords(db, records, source, ctx);
    const follow = await followUpResults(db, r.storedIds, { ...ctx, actor, autoConfirm: deps.config.autoConfirmCases, autoTrace: deps.config.autoTrace });
    return { ...r, problems: [...problems, ...r.problems], ...follow };
  };

  app.post<{ Body: LabResultBody }>(
    '/lab-results',
    { schema: { tags: ['official'], summary: 'Record a lab result (verified: recorded by an official)', body: LabResultBody, response: { 201: ImportReport, ...errors } } },
    async (req, reply) => {
      const b = req.body;
      const sampledAt = new Date(b.sampledAt);
      const report = await importAndFollow(
        [{ at: 'body', record: { externalId: b.externalId ?? deps.random.uuid(), idNumber: b.idNumber, kind: b.kind, result: b.result, sampledAt, reportedAt: b.reportedAt ? new Date(b.reportedAt) : deps.clock.now(), lab: b.lab } }],
        [],
        'official',
        staffOf(req).username,
      );
      if (report.stored === 0 && report.duplicates === 0) throw new DomainError(report.problems[0]?.reason.startsWith('no holder') ? 'unknown_holder' : 'invalid_request', report.problems[0]?.reason ?? 'nothing stored');
      return reply.code(201).send(report);
    },
  );

  app.post<{ Body: unknown }>(
    '/lab-results/fhir',
    {
      schema: { tags: ['official'], summary: 'Import a FHIR R4 Bundle of Observations; per-entry report; the same bundle twice changes nothing', response: { 200: ImportReport, ...errors } },
      bodyLimit: 20 * 1024 * 1024,
    },
    async (req) => {
      const parsed = parseFhirBundle(req.body, deps.clock.now());
      if (parsed.problems.some((p) => p.at === 'bundle')) throw new DomainError('invalid_request', parsed.problems.find((p) => p.at === 'bundle')!.reason);
      return importAndFollow(parsed.records, parsed.problems, 'fhir', staffOf(req).username);
    },
  );

  app.get(
    '/lab-results/pending',
    { schema: { tags: ['official'], summary: 'Results uploaded by holders, waiting for review', response: { 200: Type.Object({ results: Type.Array(Type.Composite([LabView, Type.Object({ holderId: Type.String() })])) }), ...errors } } },
    async () => {
      const rows = await db.selectFrom('lab_results').selectAll().where('review', '=', 'pending').orderBy('created_at').limit(200).execute();
      return { results: rows.map((r) => ({ ...rowToView(r), holderId: r.holder_id })) };
    },
  );

  app.post<{ Params: { id: string }; Body: { decision: 'verified' | 'rejected' } }>(
    '/lab-results/:id/review',
    {
      schema: {
        tags: ['official'],
        summary: 'Verify or reject a result a holder uploaded',
        params: Type.Object({ id: Type.String({ maxLength: 64 }) }),
        body: Type.Object({ decision: Type.Union([Type.Literal('verified'), Type.Literal('rejected')]) }, { additionalProperties: false }),
        response: { 200: Type.Composite([LabView, Type.Object({ casesConfirmed: Type.Array(Type.String()) })]), ...errors },
      },
    },
    async (req) => {
      const ctx = ctxOf(deps);
      const row = await reviewUpload(db, req.params.id, req.body.decision, ctx);
      req.auditSubject = { kind: 'lab_result', id: row.id };
      const follow = req.body.decision === 'verified' ? await followUpResults(db, [row.id], { ...ctx, actor: staffOf(req).username, autoConfirm: deps.config.autoConfirmCases, autoTrace: deps.config.autoTrace }) : { casesConfirmed: [] };
      return { ...rowToView(row), casesConfirmed: follow.casesConfirmed };
    },
  );
}

const UploadBody = Type.Object(
  {
    kind: Type.Union([Type.Literal('pcr'), Type.Literal('antigen')]),
    result: Type.Union([Type.Literal('positive'), Type.Literal('negative')]),
    sampledAt: IsoDateTime,
    lab: Type.String({ minLength: 1, maxLength: 200 }),
  },
  { additionalProperties: false },
);

/** Registered inside the holder audience: a holder's own results. */
export async function holderLabRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const db = deps.store.db;
  app.post<{ Body: Static<typeof UploadBody> }>(
    '/lab-results',
    { schema: { tags: ['holder'], summary: 'Upload your own test result; it counts once an official has verified it', body: UploadBody, response: { 201: LabView, ...errors } } },
    async (req, reply) => {
      const holder = holderOf(req);
      const ctx = ctxOf(deps);
      const sampledAt = new Date(req.body.sampledAt);
      const id = ctx.random.uuid();
      if (sampledAt.getTime() > ctx.now.getTime() + 5 * 60_000) throw new DomainError('invalid_date', `sampledAt ${req.body.sampledAt} is in the future`);
      if (req.body.sampledAt.slice(0, 10) < holder.dateOfBirth) throw new DomainError('invalid_date', `sampledAt ${req.body.sampledAt} is before your date of birth`);
      await db
        .insertInto('lab_results')
        .values({
          id,
          holder_id: holder.id,
          kind: req.body.kind,
          result: req.body.result,
          sampled_at: sampledAt.getTime(),
          reported_at: ctx.now.getTime(),
          verified: 0,
          review: 'pending',
          lab: req.body.lab,
          source: 'holder',
          external_id: `holder:${id}`,
          created_at: ctx.now.getTime(),
        })
        .execute();
      const stored = await db.selectFrom('lab_results').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
      return reply.code(201).send(rowToView(stored));
    },
  );

  app.get(
    '/lab-results',
    { schema: { tags: ['holder'], summary: 'Your test results, newest first (pending uploads too)', response: { 200: Type.Object({ results: Type.Array(LabView) }), ...errors } } },
    async (req) => {
      const rows = await db.selectFrom('lab_results').selectAll().where('holder_id', '=', holderOf(req).id).orderBy('sampled_at', 'desc').limit(100).execute();
      return { results: rows.map(rowToView) };
    },
  );
}
