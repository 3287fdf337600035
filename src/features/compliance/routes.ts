// Venue compliance API. Officials (/api/official/…): declared footfall, the daily job on demand,
// venues ranked with filters by kind and district, a venue's daily series and flags, a case's
// interview route, compliance notices. Venue managers (/api/venue/…): declare their footfall, see
// and acknowledge their notices. Everyone (/api/public/compliance): aggregates only.
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { ErrorBody, IsoDate, IsoDateTime, VenueKind } from '../../contracts/api.ts';
import type { AppDeps } from '../../deps.ts';
import { DomainError } from '../../errors.ts';
import { staffOf } from '../auth/guard.ts';
import { isStaffOfVenue, venuesOfStaff } from '../venues/repository.ts';
import {
  acknowledgeNotice,
  computeComplianceDay,
  declareFootfall,
  issueNotice,
  listNotices,
  noticePage,
  publicComplianceSummary,
  rankVenues,
  recordCaseRoute,
  runDailyCompliance,
  venueCompliance,
  venueFlags,
  venueSeries,
} from './service.ts';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody, 422: ErrorBody };
const VenueParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });
const FootfallBody = Type.Object({ declaredDaily: Type.Integer({ minimum: 0, maximum: 10_000_000 }) }, { additionalProperties: false });
const NoticeBody = Type.Object({ text: Type.String({ minLength: 3, maxLength: 2000 }), deadline: IsoDateTime }, { additionalProperties: false });
const NoticeView = Type.Object({
  id: Type.String(),
  venueId: Type.String(),
  text: Type.String(),
  deadline: Type.String(),
  issuedAt: Type.String(),
  status: Type.Union([Type.Literal('open'), Type.Literal('acknowledged'), Type.Literal('overdue')]),
  acknowledgedAt: Type.Union([Type.String(), Type.Null()]),
});
const NoticeRow = Type.Object({ ...NoticeView.properties, venueName: Type.String() });
const NoticeStatus = Type.Union([Type.Literal('open'), Type.Literal('acknowledged'), Type.Literal('overdue')]);
const Counts = Type.Object({ issued: Type.Integer(), acknowledged: Type.Integer(), overdue: Type.Integer() });
// query strings are not coerced: numbers arrive as digits
const Limit = Type.String({ pattern: '^[1-9][0-9]{0,3}$', description: 'rows, 1-9999' });
const Offset = Type.String({ pattern: '^(0|[1-9][0-9]{0,8})$', description: 'rows to skip, from 0' });
const Nullable = <T extends ReturnType<typeof Type.Integer> | ReturnType<typeof Type.String>>(t: T) => Type.Union([t, Type.Null()]);
const VenueCompliance = Type.Object({
  venueId: Type.String(),
  name: Type.String(),
  kind: Type.String(),
  region: Type.String(),
  day: Nullable(Type.String()),
  scans: Nullable(Type.Integer()),
  declared: Nullable(Type.Integer()),
  learned: Nullable(Type.Integer()),
  expected: Nullable(Type.Integer()),
  percent: Nullable(Type.Integer()),
  flagged: Type.Boolean(),
  flaggedDays7: Type.Integer(),
  trend: Type.Union([Type.Literal('improving'), Type.Literal('worsening'), Type.Literal('steady'), Type.Literal('unknown')]),
  missedCaseVisits: Type.Integer(),
  notices: Counts,
});
const SeriesDay = Type.Object({
  day: Type.String(),
  scans: Type.Integer(),
  declared: Nullable(Type.Integer()),
  learned: Nullable(Type.Integer()),
  expected: Nullable(Type.Integer()),
  percent: Nullable(Type.Integer()),
  flagged: Type.Boolean(),
});
const RouteBody = Type.Object(
  {
    visits: Type.Array(Type.Object({ venueId: Type.String({ minLength: 1, maxLength: 64 }), from: IsoDateTime, to: IsoDateTime }, { additionalProperties: false }), {
      minItems: 1,
      maxItems: 200,
    }),
  },
  { additionalProperties: false },
);

function ctxOf(deps: AppDeps) {
  return { now: deps.clock.now(), timeZone: deps.config.defaultTimeZone, minPercent: deps.config.complianceMinPercent, random: deps.random };
}

/** Officials: mounted under /api/official (default roles: official). */
export async function officialComplianceRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const db = deps.store.db;

  app.post<{ Params: Static<typeof VenueParams>; Body: Static<typeof FootfallBody> }>(
    '/venues/:id/footfall',
    { schema: { tags: ['compliance'], summary: "Set a venue's declared daily footfall", params: VenueParams, body: FootfallBody, response: { 204: Type.Null(), ...errors } } },
    async (req, reply) => {
      await declareFootfall(db, req.params.id, req.body.declaredDaily, staffOf(req).id, deps.clock.now());
      req.auditSubject = { kind: 'venue', id: req.params.id };
      return reply.code(204).send();
    },
  );

  app.post<{ Body: { day?: string } }>(
    '/compliance/run',
    {
      schema: {
        tags: ['compliance'],
        summary: 'Run the daily compliance job now (yesterday and missing days), or recompute one day',
        body: Type.Object({ day: Type.Optional(IsoDate) }, { additionalProperties: false }),
        response: { 200: Type.Object({ days: Type.Array(Type.String()), flagged: Type.Record(Type.String(), Type.Array(Type.String())) }), ...errors },
      },
    },
    async (req) => {
      if (req.body?.day) {
        const r = await computeComplianceDay(db, req.body.day, ctxOf(deps));
        return { days: [r.day], flagged: { [r.day]: r.flagged } };
      }
      return runDailyCompliance(db, ctxOf(deps));
    },
  );

  app.get<{ Querystring: { kind?: string; region?: string; flagged?: 'true' | 'false'; limit?: string; offset?: string } }>(
    '/compliance/venues',
    {
      schema: {
        tags: ['compliance'],
        summary: 'Venues ranked by compliance on the latest computed day (scans against expected footfall, lowest first), filtered and paged, with trend, flags and notices',
        querystring: Type.Object(
          {
            kind: Type.Optional(VenueKind),
            region: Type.Optional(Type.String({ maxLength: 40, description: 'a district (and the regions within it)' })),
            flagged: Type.Optional(Type.Union([Type.Literal('true'), Type.Literal('false')], { description: 'true: only venues flagged on the latest day' })),
            limit: Type.Optional(Limit),
            offset: Type.Optional(Offset),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            total: Type.Integer(),
            offset: Type.Integer(),
            limit: Type.Integer(),
            minPercent: Type.Integer({ description: 'a day is flagged when its scans are below this percent of the expected footfall' }),
            venues: Type.Array(VenueCompliance),
          }),
          ...errors,
        },
      },
    },
    async (req) => {
      const q = req.query;
      const limit = q.limit ? Number(q.limit) : 500;
      const offset = q.offset ? Number(q.offset) : 0;
      const r = await rankVenues(db, { kind: q.kind, region: q.region, flagged: q.flagged === 'true', limit, offset }, deps.clock.now());
      return { total: r.total, offset, limit, minPercent: deps.config.complianceMinPercent, venues: r.venues };
    },
  );

  app.get<{ Params: Static<typeof VenueParams>; Querystring: { days?: string } }>(
    '/compliance/venues/:id',
    {
      schema: {
        tags: ['compliance'],
        summary: "A venue's daily series (scans, declared, learned, expected) and its flags",
        params: VenueParams,
        querystring: Type.Object({ days: Type.Optional(Type.String({ pattern: '^[1-9][0-9]{0,2}$', description: 'days of the series, 1-999 (default 28)' })) }),
        response: {
          200: Type.Object({
            venue: Type.Object({ ...VenueCompliance.properties, address: Type.String(), declaredNow: Nullable(Type.Integer()) }),
            series: Type.Array(SeriesDay),
            flags: Type.Array(Type.Object({ id: Type.String(), kind: Type.String(), day: Type.String(), caseId: Nullable(Type.String()), detail: Type.Record(Type.String(), Type.Unknown()), raisedAt: Type.String() })),
            notices: Type.Array(NoticeView),
          }),
          ...errors,
        },
      },
    },
    async (req) => {
      const now = deps.clock.now();
      const venue = await venueCompliance(db, req.params.id, now);
      const series = await venueSeries(db, venue.venueId, req.query.days ? Number(req.query.days) : 28);
      return {
        venue,
        series,
        flags: await venueFlags(db, venue.venueId, 200),
        notices: await listNotices(db, { venueIds: [venue.venueId], limit: 200 }, now),
      };
    },
  );

  app.post<{ Params: Static<typeof VenueParams>; Body: Static<typeof RouteBody> }>(
    '/cases/:id/route',
    {
      schema: {
        tags: ['compliance'],
        summary: "Record a case's route from the interview; visits without a scan of the case flag the venue and join the case's tracing",
        params: VenueParams,
        body: RouteBody,
        response: {
          200: Type.Object({
            visits: Type.Array(Type.Object({ venueId: Type.String(), from: Type.String(), to: Type.String(), matched: Type.Boolean() })),
            flaggedVenues: Type.Array(Type.String()),
          }),
          ...errors,
        },
      },
    },
    async (req) => {
      req.auditSubject = { kind: 'case', id: req.params.id };
      return recordCaseRoute(
        db,
        req.params.id,
        req.body.visits.map((v) => ({ venueId: v.venueId, from: new Date(v.from), to: new Date(v.to) })),
        { now: deps.clock.now(), random: deps.random, by: staffOf(req).id, timeZone: deps.config.defaultTimeZone },
      );
    },
  );

  app.post<{ Params: Static<typeof VenueParams>; Body: Static<typeof NoticeBody> }>(
    '/venues/:id/compliance-notices',
    { schema: { tags: ['compliance'], summary: 'Issue a compliance notice to a venue (text, deadline)', params: VenueParams, body: NoticeBody, response: { 201: NoticeView, ...errors } } },
    async (req, reply) => {
      req.auditSubject = { kind: 'venue', id: req.params.id };
      const n = await issueNotice(db, { venueId: req.params.id, text: req.body.text, deadline: new Date(req.body.deadline), by: staffOf(req).id }, { now: deps.clock.now(), random: deps.random });
      return reply.code(201).send(n);
    },
  );

  app.get<{ Querystring: { status?: 'open' | 'acknowledged' | 'overdue'; venueId?: string; limit?: string; offset?: string } }>(
    '/compliance/notices',
    {
      schema: {
        tags: ['compliance'],
        summary: 'Compliance notices, newest first, with their status and venue, filtered and paged; counts of all notices (issued, acknowledged, overdue)',
        querystring: Type.Object(
          { status: Type.Optional(NoticeStatus), venueId: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })), limit: Type.Optional(Limit), offset: Type.Optional(Offset) },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ total: Type.Integer(), counts: Counts, notices: Type.Array(NoticeRow) }), ...errors },
      },
    },
    async (req) => {
      const q = req.query;
      return noticePage(db, { status: q.status, ...(q.venueId ? { venueIds: [q.venueId] } : {}), limit: q.limit ? Number(q.limit) : 500, offset: q.offset ? Number(q.offset) : 0 }, deps.clock.now());
    },
  );
}

/** Venue managers: mounted under /api/venue (default roles: venue_manager). */
export async function venueComplianceRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const db = deps.store.db;
  app.post<{ Params: Static<typeof VenueParams>; Body: Static<typeof FootfallBody> }>(
    '/venues/:id/footfall',
    { schema: { tags: ['venue'], summary: 'Declare the expected daily footfall of your venue', params: VenueParams, body: FootfallBody, response: { 204: Type.Null(), ...errors } } },
    async (req, reply) => {
      const me = staffOf(req);
      if (!(await isStaffOfVenue(db, me.id, req.params.id))) throw new DomainError('forbidden', `account ${me.username} does not manage venue ${req.params.id}`);
      await declareFootfall(db, req.params.id, req.body.declaredDaily, me.id, deps.clock.now());
      req.auditSubject = { kind: 'venue', id: req.params.id };
      return reply.code(204).send();
    },
  );
  app.get(
    '/compliance-notices',
    { schema: { tags: ['venue'], summary: 'Compliance notices to your venues', response: { 200: Type.Object({ notices: Type.Array(NoticeView) }), ...errors } } },
    async (req) => {
      const venues = await venuesOfStaff(db, staffOf(req).id);
      return { notices: await listNotices(db, { venueIds: venues.map((v) => v.id), limit: 500 }, deps.clock.now()) };
    },
  );
  app.post<{ Params: Static<typeof VenueParams> }>(
    '/compliance-notices/:id/acknowledge',
    { schema: { tags: ['venue'], summary: 'Acknowledge a compliance notice', params: VenueParams, response: { 200: NoticeView, ...errors } } },
    async (req) => {
      req.auditSubject = { kind: 'compliance_notice', id: req.params.id };
      return acknowledgeNotice(db, req.params.id, staffOf(req).id, deps.clock.now());
    },
  );
}

/** Everyone: /api/public/compliance. */
export async function publicComplianceRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  app.get(
    '/compliance',
    {
      schema: {
        tags: ['public'],
        summary: 'Venue compliance in aggregate: venues counted and flagged on the latest day, missed case visits, notices issued / acknowledged / overdue',
        response: {
          200: Type.Object({ day: Nullable(Type.String()), venuesCounted: Type.Integer(), flaggedVenues: Type.Integer(), missedCaseVisits: Type.Integer(), notices: Counts }),
        },
      },
    },
    async () => publicComplianceSummary(deps.store.db, deps.clock.now()),
  );
}
