import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { ErrorBody } from '../../contracts/api.ts';
import { ApproveOverrideBody, DecideOverrideBody, OverrideView, ProposeOverrideBody } from '../../contracts/due-process.ts';
import type { AppDeps } from '../../deps.ts';
import { holderOf, staffOf } from '../auth/guard.ts';
import { presentOverride } from './present.ts';
import { approveOverride, listOverrides, overridesOfHolder, proposeOverride, rejectOverride, type OverrideContext } from './service.ts';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody, 422: ErrorBody };

export function overrideContext(deps: AppDeps): OverrideContext {
  return {
    now: deps.clock.now(),
    random: deps.random,
    rules: deps.rules,
    alarmPerHour: deps.config.overrideAlarmPerHour,
    batchAlarm: deps.config.overrideBatchAlarm,
  };
}

/** Inside the holder audience: every override on my code, with its reason, expiry and the officials' pseudonyms. */
export async function holderOverrideRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  app.get(
    '/overrides',
    { schema: { tags: ['holder'], summary: 'Manual decisions on my code: reason, note, expiry, status', response: { 200: Type.Object({ overrides: Type.Array(OverrideView) }), ...errors } } },
    async (req) => {
      const now = deps.clock.now();
      const rows = await overridesOfHolder(deps.store.db, holderOf(req).id);
      return { overrides: rows.map((r) => presentOverride(r, now, { pseudonymKey: deps.idHashKey })) };
    },
  );
}

/** Inside the official audience: propose (official or supervisor), approve or reject (a different supervisor). */
export async function officialOverrideRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const db = deps.store.db;
  const Id = Type.Object({ id: Type.String({ maxLength: 64 }) });

  app.post<{ Body: ProposeOverrideBody }>(
    '/overrides',
    {
      schema: {
        tags: ['official'],
        summary: 'Propose a manual colour: a health reason from the closed list, a note, an end at most 14 days away',
        body: ProposeOverrideBody,
        response: { 201: Type.Object({ override: OverrideView }), ...errors },
      },
      config: { audit: { generic: false } },
    },
    async (req, reply) => {
      const ctx = overrideContext(deps);
      const b = req.body;
      const row = await proposeOverride(db, staffOf(req), { holderId: b.holderId, colour: b.colour, reasonCode: b.reasonCode, note: b.note, until: new Date(b.until), appealId: b.appealId ?? null }, ctx);
      return reply.code(201).send({ override: presentOverride(row, ctx.now, null) });
    },
  );

  app.get<{ Querystring: { status?: 'proposed' | 'approved' | 'rejected' | 'expired' } }>(
    '/overrides',
    {
      schema: {
        tags: ['official'],
        summary: 'Overrides, newest first, with the alarms each raised (for the approving supervisor)',
        querystring: Type.Object(
          { status: Type.Optional(Type.Union([Type.Literal('proposed'), Type.Literal('approved'), Type.Literal('rejected'), Type.Literal('expired')])) },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ overrides: Type.Array(OverrideView) }), ...errors },
      },
    },
    async (req) => {
      const now = deps.clock.now();
      const rows = await listOverrides(db, { status: req.query.status, limit: 500 });
      return { overrides: rows.map((r) => presentOverride(r, now, null)) };
    },
  );

  app.post<{ Params: { id: string }; Body: { note?: string } }>(
    '/overrides/:id/approve',
    {
      schema: {
        tags: ['official'],
        summary: 'Approve an override (a supervisor who did not propose it); the holder is re-assessed at once',
        params: Id,
        body: ApproveOverrideBody,
        response: { 200: Type.Object({ override: OverrideView }), ...errors },
      },
      config: { roles: ['supervisor'], audit: { generic: false } },
    },
    async (req) => {
      const ctx = overrideContext(deps);
      const row = await approveOverride(db, staffOf(req), req.params.id, req.body?.note ?? null, ctx);
      return { override: presentOverride(row, ctx.now, null) };
    },
  );

  app.post<{ Params: { id: string }; Body: { note: string } }>(
    '/overrides/:id/reject',
    {
      schema: {
        tags: ['official'],
        summary: 'Reject an override with a written note (a supervisor who did not propose it)',
        params: Id,
        body: DecideOverrideBody,
        response: { 200: Type.Object({ override: OverrideView }), ...errors },
      },
      config: { roles: ['supervisor'], audit: { generic: false } },
    },
    async (req) => {
      const now = deps.clock.now();
      const row = await rejectOverride(db, staffOf(req), req.params.id, req.body.note, { now });
      return { override: presentOverride(row, now, null) };
    },
  );
}
