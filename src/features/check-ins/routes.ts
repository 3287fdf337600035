import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { AssessmentView, ErrorBody } from '../../contracts/api.ts';
import type { AppDeps } from '../../deps.ts';
import { presentAssessment, reassess } from '../assessments/service.ts';
import { holderOf } from '../auth/guard.ts';
import { checkIn, listCheckIns } from './service.ts';

const CheckInBody = Type.Object({ temperatureC: Type.Optional(Type.Number({ minimum: 30, maximum: 45 })) }, { additionalProperties: false });
const CheckInView = Type.Object({ id: Type.String(), at: Type.String(), localDate: Type.String(), temperatureC: Type.Union([Type.Number(), Type.Null()]) });
const errors = { 400: ErrorBody, 401: ErrorBody };

/** Registered inside the holder audience (already authenticated). */
export async function checkInRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  app.post<{ Body: { temperatureC?: number } }>(
    '/check-ins',
    {
      schema: {
        tags: ['holder'],
        summary: "Today's check-in (one per calendar date counts; a second one the same day changes nothing)",
        body: CheckInBody,
        response: {
          201: Type.Object({ status: Type.Literal('stored'), checkIn: CheckInView, assessment: AssessmentView }),
          200: Type.Object({ status: Type.Literal('duplicate'), checkIn: CheckInView, assessment: AssessmentView }),
          ...errors,
        },
      },
    },
    async (req, reply) => {
      const holder = holderOf(req);
      const ctx = { now: deps.clock.now(), random: deps.random, rules: deps.rules };
      const { row, status } = await checkIn(deps.store.db, holder, req.body ?? {}, ctx);
      const assessment = await reassess(deps.store.db, holder, ctx, { kind: 'check_in', ref: row.id });
      return reply.code(status === 'stored' ? 201 : 200).send({
        status,
        checkIn: { id: row.id, at: new Date(row.at).toISOString(), localDate: row.local_date, temperatureC: row.temperature_c },
        assessment: presentAssessment(assessment),
      });
    },
  );

  app.get(
    '/check-ins',
    { schema: { tags: ['holder'], summary: 'Recent check-ins, newest first', response: { 200: Type.Object({ checkIns: Type.Array(CheckInView) }), ...errors } } },
    async (req) => ({
      checkIns: (await listCheckIns(deps.store.db, holderOf(req).id, 60)).map((r) => ({
        id: r.id,
        at: new Date(r.at).toISOString(),
        localDate: r.local_date,
        temperatureC: r.temperature_c,
      })),
    }),
  );
}
