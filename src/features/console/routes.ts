// The authority console's read endpoints: /api/console/*. Aggregates (dashboard, map) for
// officials, supervisors and auditors; work queues and case graphs (they name holders) for
// officials and supervisors, each read with a stated reason that is audited; the audit log for
// auditors. Writes stay on their own routes (lab review, appeal decisions, override approval).
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { ErrorBody } from '../../contracts/api.ts';
import type { AppDeps } from '../../deps.ts';
import { DomainError } from '../../errors.ts';
import { staffOf } from '../auth/guard.ts';
import { isCalendarDate, nextDate, startOfLocalDate } from '../../core/time/zones.ts';
import { appealQueue, auditPage, caseGraph, caseList, checkReason, dashboard, findHolderForCasework, labQueue, mapData, overrideQueue, type Page } from './service.ts';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody };
const AGGREGATES = ['official', 'supervisor', 'auditor'] as const;
const CASEWORK = ['official', 'supervisor'] as const;

const Reason = Type.String({ minLength: 5, maxLength: 500, description: 'why you read it: recorded in the audit log and shown to every holder listed' });
// query strings are not coerced (ajv coerceTypes is off): numbers arrive as digits
const Digits = (description: string) => Type.String({ pattern: '^[1-9][0-9]{0,8}$', description });
const Paging = {
  page: Type.Optional(Digits('page number, from 1')),
  pageSize: Type.Optional(Digits('rows per page, at most 100 (default 20)')),
};
const Day = Type.String({ pattern: '^\\d{4}-\\d{2}-\\d{2}$', description: 'a calendar date in the server\'s time zone' });
const pageOf = (q: { page?: string; pageSize?: string }): Page => ({ page: Number(q.page ?? 1), pageSize: Math.min(100, Number(q.pageSize ?? 20)) });

export async function consoleRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const db = deps.store.db;
  const tz = deps.config.defaultTimeZone;
  const read = (req: Parameters<typeof staffOf>[0], reason: string) => ({ staff: staffOf(req), reason: checkReason(reason), now: deps.clock.now() });
  const dayBound = (d: string | undefined, end: boolean): number | undefined => {
    if (d === undefined) return undefined;
    if (!isCalendarDate(d)) throw new DomainError('invalid_date', `${d} is not a calendar date`);
    return startOfLocalDate(end ? nextDate(d) : d, tz).getTime();
  };

  app.get<{ Querystring: { days?: string } }>(
    '/dashboard',
    {
      schema: {
        tags: ['console'],
        summary: 'Aggregates per day (server time zone): colour mix, scans by outcome, new cases (the epidemic curve); names nobody',
        querystring: Type.Object({ days: Type.Optional(Digits('how many days back, today included: 1 to 90 (default 14)')) }, { additionalProperties: false }),
        response: { ...errors },
      },
      config: { roles: AGGREGATES },
    },
    async (req) => dashboard(db, deps.clock.now(), tz, Math.min(90, Number(req.query.days ?? 14))),
  );

  app.get(
    '/map',
    {
      schema: { tags: ['console'], summary: 'The demo city map: district polygons (GeoJSON), venues with derived points and 7-day scan counts, risk areas', response: { ...errors } },
      config: { roles: AGGREGATES },
    },
    async () => mapData(db, deps.clock.now()),
  );

  app.get<{ Querystring: { reason: string; review?: 'pending' | 'verified' | 'rejected'; kind?: 'pcr' | 'antigen'; result?: 'positive' | 'negative'; source?: string; page?: string; pageSize?: string } }>(
    '/lab-results',
    {
      schema: {
        tags: ['console'],
        summary: 'Lab results, paged and filtered (the pending queue oldest first); the read is audited per holder',
        querystring: Type.Object(
          {
            reason: Reason,
            review: Type.Optional(Type.Union([Type.Literal('pending'), Type.Literal('verified'), Type.Literal('rejected')])),
            kind: Type.Optional(Type.Union([Type.Literal('pcr'), Type.Literal('antigen')])),
            result: Type.Optional(Type.Union([Type.Literal('positive'), Type.Literal('negative')])),
            source: Type.Optional(Type.String({ maxLength: 32 })),
            ...Paging,
          },
          { additionalProperties: false },
        ),
        response: { ...errors },
      },
      config: { roles: CASEWORK },
    },
    async (req) => {
      const q = req.query;
      return labQueue(db, { review: q.review, kind: q.kind, result: q.result, source: q.source }, pageOf(q), read(req, q.reason));
    },
  );

  app.get<{ Querystring: { reason: string; from?: string; to?: string; page?: string; pageSize?: string } }>(
    '/cases',
    {
      schema: {
        tags: ['console'],
        summary: 'Confirmed cases, newest first, with their latest trace counts; the read is audited per holder',
        querystring: Type.Object({ reason: Reason, from: Type.Optional(Day), to: Type.Optional(Day), ...Paging }, { additionalProperties: false }),
        response: { ...errors },
      },
      config: { roles: CASEWORK },
    },
    async (req) => caseList(db, { from: dayBound(req.query.from, false), to: dayBound(req.query.to, true) }, pageOf(req.query), read(req, req.query.reason)),
  );

  app.get<{ Params: { id: string }; Querystring: { reason: string } }>(
    '/cases/:id/graph',
    {
      schema: {
        tags: ['console'],
        summary: 'A case, its latest trace and the contact graph; the case and every contact see this read in their access log',
        params: Type.Object({ id: Type.String({ maxLength: 64 }) }),
        querystring: Type.Object({ reason: Reason }, { additionalProperties: false }),
        response: { ...errors },
      },
      config: { roles: CASEWORK },
    },
    async (req) => caseGraph(db, req.params.id, read(req, req.query.reason)),
  );

  app.get<{ Querystring: { reason: string; status?: 'open' | 'upheld' | 'rejected'; overdue?: 'true' | 'false'; page?: string; pageSize?: string } }>(
    '/appeals',
    {
      schema: {
        tags: ['console'],
        summary: 'Appeals, soonest deadline first, paged and filtered; the read is audited per holder',
        querystring: Type.Object(
          { reason: Reason, status: Type.Optional(Type.Union([Type.Literal('open'), Type.Literal('upheld'), Type.Literal('rejected')])), overdue: Type.Optional(Type.Union([Type.Literal('true'), Type.Literal('false')])), ...Paging },
          { additionalProperties: false },
        ),
        response: { ...errors },
      },
      config: { roles: CASEWORK },
    },
    async (req) => appealQueue(db, { status: req.query.status, overdue: req.query.overdue === 'true' }, pageOf(req.query), read(req, req.query.reason)),
  );

  app.get<{ Querystring: { reason: string; status?: 'proposed' | 'approved' | 'rejected' | 'expired'; mine?: 'true' | 'false'; page?: string; pageSize?: string } }>(
    '/overrides',
    {
      schema: {
        tags: ['console'],
        summary: 'Overrides, newest first, by their status as of now; the read is audited per holder',
        querystring: Type.Object(
          {
            reason: Reason,
            status: Type.Optional(Type.Union([Type.Literal('proposed'), Type.Literal('approved'), Type.Literal('rejected'), Type.Literal('expired')])),
            mine: Type.Optional(Type.Union([Type.Literal('true'), Type.Literal('false')], { description: 'true: only the overrides I proposed' })),
            ...Paging,
          },
          { additionalProperties: false },
        ),
        response: { ...errors },
      },
      config: { roles: CASEWORK },
    },
    async (req) => overrideQueue(db, { status: req.query.status, mine: req.query.mine === 'true' }, pageOf(req.query), read(req, req.query.reason)),
  );

  app.post<{ Body: { idNumber: string; reason: string } }>(
    '/holders/find',
    {
      schema: {
        tags: ['console'],
        summary: 'Find a holder by ID document number (for casework such as proposing an override); found or not, the look-up is audited with the reason',
        body: Type.Object({ idNumber: Type.String({ minLength: 4, maxLength: 64 }), reason: Reason }, { additionalProperties: false }),
        response: { ...errors },
      },
      // a read sent as a POST (an ID number does not belong in a URL): audited per holder, with the reason
      config: { roles: CASEWORK, audit: { generic: false } },
    },
    async (req) => ({ holder: await findHolderForCasework(db, req.body.idNumber, deps.idHashKey, read(req, req.body.reason)) }),
  );

  app.get<{ Querystring: { action?: string; actorId?: string; actorRole?: string; subjectId?: string; from?: string; to?: string; before?: string; pageSize?: string } }>(
    '/audit',
    {
      schema: {
        tags: ['console'],
        summary: 'The audit log, newest first, filtered (action prefix, actor, role, subject, dates), in pages by seq (before = the last seq seen)',
        querystring: Type.Object(
          {
            action: Type.Optional(Type.String({ maxLength: 100 })),
            actorId: Type.Optional(Type.String({ maxLength: 64 })),
            actorRole: Type.Optional(Type.String({ maxLength: 32 })),
            subjectId: Type.Optional(Type.String({ maxLength: 64 })),
            from: Type.Optional(Day),
            to: Type.Optional(Day),
            before: Type.Optional(Digits('the last seq seen: entries older than it')),
            pageSize: Paging.pageSize,
          },
          { additionalProperties: false },
        ),
        response: { ...errors },
      },
      config: { roles: ['auditor'] },
    },
    async (req) => {
      const q = req.query;
      return auditPage(
        db,
        { action: q.action || undefined, actorId: q.actorId || undefined, actorRole: q.actorRole || undefined, subjectId: q.subjectId || undefined, from: dayBound(q.from, false), to: dayBound(q.to, true), before: q.before === undefined ? undefined : Number(q.before) },
        Math.min(100, Number(q.pageSize ?? 20)),
      );
    },
  );
}
