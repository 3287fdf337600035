import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { ErrorBody } from '../../contracts/api.ts';
import { DeletionRequestView } from '../../contracts/due-process.ts';
import type { AppDeps } from '../../deps.ts';
import { DomainError } from '../../errors.ts';
import { audit } from '../audit/service.ts';
import { holderOf } from '../auth/guard.ts';
import { exportHolderData, requestDeletion } from './service.ts';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };

/** Inside the holder audience: export everything; ask for deletion and see when it applies. */
export async function holderRightsRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const db = deps.store.db;

  app.get(
    '/export',
    {
      schema: {
        tags: ['holder'],
        summary: 'All my data as JSON: every stored row about me, table by table, and my access log',
        response: { 200: Type.Object({}, { additionalProperties: true }), ...errors },
      },
    },
    async (req, reply) => {
      const holder = holderOf(req);
      const now = deps.clock.now();
      const data = await exportHolderData(db, holder.id, deps.idHashKey, now);
      await audit(db, { at: now, actor: { kind: 'holder', id: holder.id, role: 'holder' }, action: 'holder.export', subject: { kind: 'holder', id: holder.id } });
      return reply
        .header('content-disposition', `attachment; filename="healthcode-export-${now.toISOString().slice(0, 10)}.json"`)
        .header('cache-control', 'no-store')
        .send(data);
    },
  );

  const view = (r: { requested_at: number; apply_after: number; hold_reasons: string; applied_at: number | null }) => ({
    requestedAt: new Date(Number(r.requested_at)).toISOString(),
    applyAfter: new Date(Number(r.apply_after)).toISOString(),
    holdReasons: JSON.parse(r.hold_reasons) as string[],
    appliedAt: r.applied_at === null ? null : new Date(Number(r.applied_at)).toISOString(),
  });

  app.post(
    '/deletion-request',
    {
      schema: {
        tags: ['holder'],
        summary: 'Ask for all my data to be deleted; it is applied after any hold the law requires, shown here',
        response: { 201: Type.Object({ deletion: DeletionRequestView }), ...errors },
      },
      config: { audit: { generic: false } },
    },
    async (req, reply) => {
      const holder = holderOf(req);
      await requestDeletion(db, holder.id, deps.clock.now(), deps.config.deletionHoldDays);
      const row = await db.selectFrom('deletion_requests').selectAll().where('holder_id', '=', holder.id).executeTakeFirstOrThrow();
      return reply.code(201).send({ deletion: view(row) });
    },
  );

  app.get(
    '/deletion-request',
    { schema: { tags: ['holder'], summary: 'My deletion request and when it applies', response: { 200: Type.Object({ deletion: DeletionRequestView }), ...errors } } },
    async (req) => {
      const row = await db.selectFrom('deletion_requests').selectAll().where('holder_id', '=', holderOf(req).id).executeTakeFirst();
      if (!row) throw new DomainError('not_found', 'you have not asked for deletion');
      return { deletion: view(row) };
    },
  );
}
