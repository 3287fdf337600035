import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { Colour, ErrorBody } from '../../contracts/api.ts';
import type { AppDeps } from '../../deps.ts';
import { staffOf } from '../auth/guard.ts';
import { IdLookupLimit, lookUpId } from './service.ts';

const IdLookupBody = Type.Object(
  { idNumber: Type.String({ pattern: '^[0-9A-Za-z -]{6,40}$', description: 'the ID document number, typed or scanned' }) },
  { additionalProperties: false },
);
/** Exactly these three fields: the response schema drops anything else. */
const IdLookupAnswer = Type.Object({ colour: Colour, maskedName: Type.String(), birthYear: Type.Integer() }, { additionalProperties: false });

/** /api/checkpoint/id-lookup: checkpoint operators only, rate-limited per operator, audited. */
export async function idLookupRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  app.post<{ Body: Static<typeof IdLookupBody> }>(
    '/id-lookup',
    {
      schema: {
        tags: ['checkpoint'],
        summary: "Look up a holder by ID document number: current colour, masked name and birth year only (rate-limited per operator, audited)",
        body: IdLookupBody,
        response: { 200: IdLookupAnswer, 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 429: ErrorBody },
      },
      config: { roles: ['checkpoint_operator'], audit: { generic: false } },
    },
    async (req, reply) => {
      try {
        return await lookUpId(deps.store.db, staffOf(req), req.body.idNumber, {
          now: deps.clock.now(),
          random: deps.random,
          rules: deps.rules,
          idHashKey: deps.idHashKey,
          perHour: deps.config.idLookupPerHour,
          burstAlarm: deps.config.idLookupBurstAlarm,
        });
      } catch (e) {
        if (e instanceof IdLookupLimit) reply.header('retry-after', String(e.retryAfterSeconds));
        throw e;
      }
    },
  );
}
