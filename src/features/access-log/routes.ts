import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { AssessmentView, ErrorBody, HolderView } from '../../contracts/api.ts';
import { AccessLogEntry, AppealView, OverrideView, ReadReason } from '../../contracts/due-process.ts';
import type { AppDeps } from '../../deps.ts';
import { DomainError } from '../../errors.ts';
import { currentAssessment, presentAssessment } from '../assessments/service.ts';
import { appealsOfHolder, presentAppeals } from '../appeals/service.ts';
import { holderOf, staffOf } from '../auth/guard.ts';
import { presentHolder } from '../holders/model.ts';
import { getHolder } from '../holders/service.ts';
import { presentOverride } from '../overrides/present.ts';
import { overridesOfHolder } from '../overrides/service.ts';
import { accessLogOf, auditHolderRead } from './service.ts';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody };

/** Inside the holder audience: who read or changed my record, when, and why. */
export async function holderAccessLogRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  app.get(
    '/access-log',
    {
      schema: {
        tags: ['holder'],
        summary: 'Every staff access to my record: role, a stable pseudonym of the official, time, action and stated reason',
        response: { 200: Type.Object({ entries: Type.Array(AccessLogEntry) }), ...errors },
      },
    },
    async (req) => ({ entries: await accessLogOf(deps.store.db, holderOf(req).id, deps.idHashKey) }),
  );
}

/** Inside the official audience: one holder's record, read with a stated reason (audited). */
export async function officialHolderRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const db = deps.store.db;
  app.get<{ Params: { holderId: string }; Querystring: { reason: string } }>(
    '/holders/:holderId',
    {
      schema: {
        tags: ['official'],
        summary: 'A holder\'s record (profile, current colour, overrides, appeals); the read and its reason go to the holder\'s access log',
        params: Type.Object({ holderId: Type.String({ maxLength: 64 }) }),
        querystring: ReadReason,
        response: {
          200: Type.Object({ holder: HolderView, assessment: AssessmentView, overrides: Type.Array(OverrideView), appeals: Type.Array(AppealView) }),
          ...errors,
        },
      },
      // audited per holder, with the stated reason, by auditHolderRead
      config: { audit: { generic: false } },
    },
    async (req) => {
      const now = deps.clock.now();
      const holder = await getHolder(db, req.params.holderId).catch(() => {
        throw new DomainError('not_found', `no holder ${JSON.stringify(req.params.holderId)}`);
      });
      await auditHolderRead(db, staffOf(req), [holder.id], { action: 'holder.read', reason: req.query.reason, now });
      const assessment = await currentAssessment(db, holder, { now, random: deps.random, rules: deps.rules });
      return {
        holder: presentHolder(holder),
        assessment: presentAssessment(assessment),
        overrides: (await overridesOfHolder(db, holder.id)).map((o) => presentOverride(o, now, null)),
        appeals: await presentAppeals(db, await appealsOfHolder(db, holder.id), now, null),
      };
    },
  );
}
