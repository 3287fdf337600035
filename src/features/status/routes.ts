import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { Colour, ErrorBody, LocalText } from '../../contracts/api.ts';
import type { Reason } from '../../core/rules/types.ts';
import type { AppDeps } from '../../deps.ts';
import { CAUSE_KINDS } from '../assessments/service.ts';
import { listStatusEvents } from '../assessments/repository.ts';
import { holderOf } from '../auth/guard.ts';

export const StatusEventView = Type.Object({
  id: Type.String(),
  at: Type.String(),
  from: Type.Union([Colour, Type.Null()]),
  to: Colour,
  cause: Type.Object({
    kind: Type.Union(CAUSE_KINDS.map((k) => Type.Literal(k))),
    ref: Type.Union([Type.String(), Type.Null()]),
  }),
  rulesetVersion: Type.String(),
  reasons: Type.Array(Type.Object({ ruleId: Type.String(), colour: Colour, text: LocalText })),
});

/** Registered inside the holder audience: the timeline of every colour change with its cause. */
export async function historyRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  app.get(
    '/history',
    {
      schema: {
        tags: ['holder'],
        summary: 'Every change of colour, newest first, with its cause and the reasons after it',
        response: { 200: Type.Object({ events: Type.Array(StatusEventView) }), 401: ErrorBody },
      },
    },
    async (req) => {
      const rows = await listStatusEvents(deps.store.db, holderOf(req).id, 200);
      return {
        events: rows.map((r) => ({
          id: r.id,
          at: new Date(r.at).toISOString(),
          from: r.from_colour as Colour | null,
          to: r.to_colour as Colour,
          cause: { kind: r.cause_kind as (typeof CAUSE_KINDS)[number], ref: r.cause_ref },
          rulesetVersion: r.ruleset_version,
          reasons: (JSON.parse(r.reasons) as Reason[]).map(({ ruleId, colour, text }) => ({ ruleId, colour, text })),
        })),
      };
    },
  );
}
