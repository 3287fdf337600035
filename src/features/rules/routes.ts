import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { ErrorBody, LocalText } from '../../contracts/api.ts';
import type { AppDeps } from '../../deps.ts';
import { DomainError } from '../../errors.ts';
import type { PublishedRuleset } from './book.ts';

const RulesetSummary = Type.Object({
  version: Type.String(),
  effectiveFrom: Type.String(),
  publishedAt: Type.String(),
  noticeHours: Type.Number({ description: 'hours between publication and effect' }),
  emergency: Type.Boolean({ description: 'published with less than the required notice' }),
  publishedBy: Type.String(),
  changeNote: LocalText,
  state: Type.Union([Type.Literal('in_force'), Type.Literal('upcoming'), Type.Literal('superseded')]),
});

const RulesetFull = Type.Composite([RulesetSummary, Type.Object({ document: Type.Unknown({ description: 'the ruleset document as published' }) })]);

function summary(e: PublishedRuleset, inForce: PublishedRuleset, now: Date) {
  return {
    version: e.ruleset.version,
    effectiveFrom: e.effectiveFrom.toISOString(),
    publishedAt: e.publishedAt.toISOString(),
    noticeHours: Math.round(((e.effectiveFrom.getTime() - e.publishedAt.getTime()) / 3_600_000) * 10) / 10,
    emergency: e.emergency,
    publishedBy: e.publishedBy,
    changeNote: e.ruleset.changeNote,
    state: e === inForce ? ('in_force' as const) : e.effectiveFrom.getTime() > now.getTime() ? ('upcoming' as const) : ('superseded' as const),
  };
}

/** The published rules: /api/public/rules… — anyone may read them. */
export async function rulesRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  app.get(
    '/',
    { schema: { tags: ['public'], summary: 'The ruleset in force, in full', response: { 200: RulesetFull } } },
    async () => {
      const now = deps.clock.now();
      const e = deps.rules.entryInForce(now);
      return { ...summary(e, e, now), document: e.ruleset.document };
    },
  );

  app.get(
    '/history',
    {
      schema: {
        tags: ['public'],
        summary: 'Every published ruleset, newest first, with its change note, notice and emergency flag',
        response: { 200: Type.Object({ rulesets: Type.Array(RulesetSummary) }) },
      },
    },
    async () => {
      const now = deps.clock.now();
      const inForce = deps.rules.entryInForce(now);
      return { rulesets: [...deps.rules.all()].reverse().map((e) => summary(e, inForce, now)) };
    },
  );

  app.get<{ Params: { version: string } }>(
    '/:version',
    {
      schema: {
        tags: ['public'],
        summary: 'One published ruleset, in full',
        params: Type.Object({ version: Type.String({ maxLength: 64 }) }),
        response: { 200: RulesetFull, 404: ErrorBody },
      },
    },
    async (req) => {
      const now = deps.clock.now();
      const e = deps.rules.all().find((x) => x.ruleset.version === req.params.version);
      if (!e) throw new DomainError('not_found', `no ruleset has version ${JSON.stringify(req.params.version)}`);
      return { ...summary(e, deps.rules.entryInForce(now), now), document: e.ruleset.document };
    },
  );
}
