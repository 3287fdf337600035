import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { ErrorBody, IsoDateTime, RegionCode } from '../../contracts/api.ts';
import type { AppDeps } from '../../deps.ts';
import { staffOf } from '../auth/guard.ts';
import { declareRiskArea, liftRiskArea, listRiskAreas, presentRiskArea, renewRiskArea, riskAreaPage } from './service.ts';

const RiskAreaView = Type.Object({
  id: Type.String(),
  region: Type.Union([Type.String(), Type.Null()]),
  venueIds: Type.Union([Type.Array(Type.String()), Type.Null()]),
  level: Type.String(),
  startsAt: Type.String(),
  endsAt: Type.Union([Type.String(), Type.Null()]),
  renewedAt: Type.Union([Type.String(), Type.Null()]),
  liftedReason: Type.Union([Type.String(), Type.Null()]),
  reason: Type.String(),
  active: Type.Boolean(),
});
const OfficialRiskAreaView = Type.Object({
  ...RiskAreaView.properties,
  state: Type.Union([Type.Literal('active'), Type.Literal('upcoming'), Type.Literal('lifted')]),
  declaredBy: Type.String({ description: 'the declaring official\'s username' }),
  declaredAt: Type.String(),
  venues: Type.Array(Type.Object({ id: Type.String(), name: Type.String() })),
});
const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };
const IdParams = Type.Object({ id: Type.String({ maxLength: 64 }) });

/** Officials: /api/official/risk-areas… */
export async function officialRiskAreaRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const db = deps.store.db;
  const ctx = () => ({ now: deps.clock.now(), random: deps.random, rules: deps.rules });
  app.post<{ Body: { region?: string; venueIds?: string[]; level: 'high' | 'medium'; startsAt: string; reason: string } }>(
    '/risk-areas',
    {
      schema: {
        tags: ['official'],
        summary: 'Declare a risk area (a region or a set of venues); holders who were there are re-assessed',
        body: Type.Object(
          {
            region: Type.Optional(RegionCode),
            venueIds: Type.Optional(Type.Array(Type.String({ maxLength: 64 }), { minItems: 1, maxItems: 1000 })),
            level: Type.Union([Type.Literal('high'), Type.Literal('medium')]),
            startsAt: IsoDateTime,
            reason: Type.String({ minLength: 3, maxLength: 1000 }),
          },
          { additionalProperties: false },
        ),
        response: { 201: Type.Object({ area: RiskAreaView, holdersReassessed: Type.Integer() }), ...errors },
      },
    },
    async (req, reply) => {
      const { area, reassessed } = await declareRiskArea(
        db,
        { ...(req.body.region ? { region: req.body.region } : {}), ...(req.body.venueIds ? { venueIds: req.body.venueIds } : {}), level: req.body.level, startsAt: new Date(req.body.startsAt), reason: req.body.reason },
        staffOf(req).username,
        ctx(),
      );
      req.auditSubject = { kind: 'risk_area', id: area.id };
      return reply.code(201).send({ area: presentRiskArea(area, deps.clock.now()), holdersReassessed: reassessed });
    },
  );
  app.get<{ Querystring: { status?: 'current' | 'ended'; level?: 'high' | 'medium'; limit?: string; offset?: string } }>(
    '/risk-areas',
    {
      schema: {
        tags: ['official'],
        summary: 'Risk areas, newest start first, filtered (current or ended, level) and paged, with who declared each and the venues by name',
        querystring: Type.Object(
          {
            status: Type.Optional(Type.Union([Type.Literal('current'), Type.Literal('ended')], { description: 'current: active or starting later; ended: lifted' })),
            level: Type.Optional(Type.Union([Type.Literal('high'), Type.Literal('medium')])),
            limit: Type.Optional(Type.String({ pattern: '^[1-9][0-9]{0,2}$', description: 'rows, 1-999 (default 20)' })),
            offset: Type.Optional(Type.String({ pattern: '^(0|[1-9][0-9]{0,8})$', description: 'rows to skip, from 0' })),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ total: Type.Integer(), areas: Type.Array(OfficialRiskAreaView) }), ...errors },
      },
    },
    async (req) => {
      const q = req.query;
      return riskAreaPage(db, { status: q.status, level: q.level, limit: q.limit ? Number(q.limit) : 20, offset: q.offset ? Number(q.offset) : 0 }, deps.clock.now());
    },
  );
  app.post<{ Params: { id: string } }>(
    '/risk-areas/:id/renew',
    { schema: { tags: ['official'], summary: 'Renew: the clean-days count restarts now', params: IdParams, response: { 200: RiskAreaView, ...errors } } },
    async (req) => {
      req.auditSubject = { kind: 'risk_area', id: req.params.id };
      return presentRiskArea(await renewRiskArea(db, req.params.id, ctx()), deps.clock.now());
    },
  );
  app.post<{ Params: { id: string }; Body: { reason: string } }>(
    '/risk-areas/:id/lift',
    {
      schema: {
        tags: ['official'],
        summary: 'Lift a risk area now',
        params: IdParams,
        body: Type.Object({ reason: Type.String({ minLength: 3, maxLength: 1000 }) }, { additionalProperties: false }),
        response: { 200: RiskAreaView, ...errors },
      },
    },
    async (req) => {
      req.auditSubject = { kind: 'risk_area', id: req.params.id };
      return presentRiskArea(await liftRiskArea(db, req.params.id, req.body.reason, ctx()), deps.clock.now());
    },
  );
}

/** Anyone: /api/public/risk-areas */
export async function publicRiskAreaRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  app.get(
    '/risk-areas',
    { schema: { tags: ['public'], summary: 'Current and past risk areas, newest first', response: { 200: Type.Object({ areas: Type.Array(RiskAreaView) }) } } },
    async () => {
      const now = deps.clock.now();
      return { areas: (await listRiskAreas(deps.store.db)).map((a) => presentRiskArea(a, now)) };
    },
  );
}
