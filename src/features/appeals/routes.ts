import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import { ErrorBody } from '../../contracts/api.ts';
import { AppealBody, AppealDecisionBody, AppealView, EvidenceView, ReadReason } from '../../contracts/due-process.ts';
import type { AppDeps } from '../../deps.ts';
import { auditHolderRead } from '../access-log/service.ts';
import { holderOf, staffOf } from '../auth/guard.ts';
import { overrideContext } from '../overrides/routes.ts';
import { addEvidence, appealsOfHolder, decideAppeal, EVIDENCE_TYPES, fileAppeal, findAppeal, findEvidence, listAppeals, presentAppeals } from './service.ts';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody, 413: ErrorBody, 415: ErrorBody, 422: ErrorBody };

/** Inside the holder audience: file appeals, add evidence, see decisions. */
export async function holderAppealRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const db = deps.store.db;
  const who = { pseudonymKey: deps.idHashKey };

  app.post<{ Body: AppealBody }>(
    '/appeals',
    {
      schema: {
        tags: ['holder'],
        summary: `Appeal the current colour in writing; an official must decide within the deadline (default 48 h)`,
        body: AppealBody,
        response: { 201: Type.Object({ appeal: AppealView }), ...errors },
      },
      config: { audit: { generic: false } },
    },
    async (req, reply) => {
      const now = deps.clock.now();
      const row = await fileAppeal(db, holderOf(req), req.body, { now, random: deps.random, deadlineHours: deps.config.appealDeadlineHours });
      const [appeal] = await presentAppeals(db, [row], now, who);
      return reply.code(201).send({ appeal: appeal! });
    },
  );

  app.get(
    '/appeals',
    { schema: { tags: ['holder'], summary: 'My appeals with their evidence, decisions and overrides', response: { 200: Type.Object({ appeals: Type.Array(AppealView) }), ...errors } } },
    async (req) => {
      const now = deps.clock.now();
      return { appeals: await presentAppeals(db, await appealsOfHolder(db, holderOf(req).id), now, who) };
    },
  );

  // evidence is the raw file, its type in Content-Type (checked against the file's first bytes)
  app.addContentTypeParser(Object.keys(EVIDENCE_TYPES), { parseAs: 'buffer', bodyLimit: deps.config.evidenceMaxBytes }, (_req, body, done) => done(null, body));
  app.post<{ Params: { id: string }; Body: Buffer }>(
    '/appeals/:id/evidence',
    {
      bodyLimit: deps.config.evidenceMaxBytes,
      schema: {
        tags: ['holder'],
        summary: `Attach an evidence file (PDF, PNG or JPEG; the body is the file) to an open appeal`,
        params: Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) }),
        response: { 201: Type.Object({ evidence: EvidenceView }), ...errors },
      },
      config: { audit: { generic: false } },
    },
    async (req, reply) => {
      const contentType = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
      const row = await addEvidence(db, holderOf(req), req.params.id, { contentType, bytes: req.body }, {
        now: deps.clock.now(),
        random: deps.random,
        maxBytes: deps.config.evidenceMaxBytes,
      });
      return reply.code(201).send({
        evidence: { id: row.id, contentType: row.content_type, size: row.size, sha256: row.sha256, uploadedAt: new Date(row.uploaded_at).toISOString() },
      });
    },
  );
}

/** Inside the official audience: the appeals to decide (reads audited with their reason), evidence, decisions. */
export async function officialAppealRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const db = deps.store.db;
  const Status = Type.Union([Type.Literal('open'), Type.Literal('upheld'), Type.Literal('rejected')]);

  app.get<{ Querystring: { reason: string; status?: 'open' | 'upheld' | 'rejected' } }>(
    '/appeals',
    {
      schema: {
        tags: ['official'],
        summary: 'Appeals, soonest deadline first (each holder listed sees this read, with the reason, in their access log)',
        querystring: Type.Composite([ReadReason, Type.Object({ status: Type.Optional(Status) })], { additionalProperties: false }),
        response: { 200: Type.Object({ appeals: Type.Array(AppealView) }), ...errors },
      },
      // audited per holder, with the stated reason, by auditHolderRead
      config: { audit: { generic: false } },
    },
    async (req) => {
      const now = deps.clock.now();
      const rows = await listAppeals(db, { status: req.query.status, limit: 500 });
      await auditHolderRead(db, staffOf(req), rows.map((r) => r.holder_id), { action: 'appeal.read', reason: req.query.reason, now });
      return { appeals: await presentAppeals(db, rows, now, null) };
    },
  );

  app.get<{ Params: { id: string; evidenceId: string }; Querystring: { reason: string } }>(
    '/appeals/:id/evidence/:evidenceId',
    {
      schema: {
        tags: ['official'],
        summary: 'One evidence file, as uploaded (the read is in the holder\'s access log)',
        params: Type.Object({ id: Type.String({ maxLength: 64 }), evidenceId: Type.String({ maxLength: 64 }) }),
        querystring: ReadReason,
      },
      // audited per holder, with the stated reason, by auditHolderRead
      config: { audit: { generic: false } },
    },
    async (req, reply) => {
      const appeal = await findAppeal(db, req.params.id);
      const file = await findEvidence(db, appeal.id, req.params.evidenceId);
      await auditHolderRead(db, staffOf(req), [appeal.holder_id], {
        action: 'appeal.evidence.read',
        reason: req.query.reason,
        now: deps.clock.now(),
        detail: { appealId: appeal.id, evidenceId: file.id },
      });
      // served as a download, never rendered inline by the browser on our origin
      return reply
        .header('content-type', file.content_type)
        .header('content-disposition', `attachment; filename="evidence-${file.id}"`)
        .header('cache-control', 'no-store')
        .send(Buffer.from(file.content, 'base64'));
    },
  );

  app.post<{ Params: { id: string }; Body: AppealDecisionBody }>(
    '/appeals/:id/decision',
    {
      schema: {
        tags: ['official'],
        summary: 'Decide an appeal with a written reason; upholding proposes an override that a different supervisor must approve',
        params: Type.Object({ id: Type.String({ maxLength: 64 }) }),
        body: AppealDecisionBody,
        response: { 200: Type.Object({ appeal: AppealView }), ...errors },
      },
      config: { audit: { generic: false } },
    },
    async (req) => {
      const ctx = overrideContext(deps);
      const row = await decideAppeal(db, staffOf(req), req.params.id, req.body, ctx);
      const [appeal] = await presentAppeals(db, [row], ctx.now, null);
      return { appeal: appeal! };
    },
  );
}
