import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { ErrorBody } from '../../contracts/api.ts';
import type { AppDeps } from '../../deps.ts';
import { currentAssessment } from '../assessments/service.ts';
import { holderOf } from '../auth/guard.ts';
import type { Holder } from '../holders/model.ts';
import { currentPaperCode, issuePaperCode, paperCodePdf, paperCodePng, paperCodeToPrint, type PaperCodeView } from './service.ts';

export const PaperCodeViewSchema = Type.Object({
  codeId: Type.String(),
  token: Type.String({ description: 'the signed code (HCQ1:…, kind paper)' }),
  maskedName: Type.String(),
  birthYear: Type.Integer(),
  issuedAt: Type.String(),
  expiresAt: Type.String(),
  revoked: Type.Union([Type.String(), Type.Null()], { description: 'the earlier paper code this print revoked' }),
});

export const CodeIdParams = Type.Object({ codeId: Type.String({ pattern: '^[0-9a-f]{2,128}$' }) });
const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };

export interface PaperCodeIssuer {
  kind: 'holder' | 'staff';
  id: string;
}

/** Issue (or reprint) for `holder`; shared by the holder's own routes and a guardian's. */
export async function issueFor(deps: AppDeps, holder: Holder, issuer: PaperCodeIssuer): Promise<PaperCodeView> {
  const ctx = { now: deps.clock.now(), random: deps.random, rules: deps.rules };
  const assessment = await currentAssessment(deps.store.db, holder, ctx);
  return issuePaperCode(deps.store.db, holder, assessment, issuer, { ...ctx, keys: deps.keys, paperCodeDays: deps.config.paperCodeDays });
}

export async function sendPrint(deps: AppDeps, reply: FastifyReply, holder: Holder, codeId: string, format: 'png' | 'pdf'): Promise<FastifyReply> {
  const code = await paperCodeToPrint(deps.store.db, holder, codeId, deps.clock.now());
  reply.header('cache-control', 'no-store');
  reply.header('content-disposition', `inline; filename="healthcode-paper-${code.codeId.slice(0, 8)}.${format}"`);
  if (format === 'png') return reply.type('image/png').send(await paperCodePng(code.token));
  return reply.type('application/pdf').send(await paperCodePdf(code));
}

/** The holder's own paper code: /api/holder/paper-codes… (inside the holder audience). */
export async function paperCodeRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  app.post(
    '/paper-codes',
    {
      schema: {
        tags: ['holder'],
        summary: 'Issue a paper code to print (a reprint revokes the previous one)',
        response: { 201: PaperCodeViewSchema, ...errors },
      },
    },
    async (req, reply) => {
      const holder = holderOf(req);
      return reply.code(201).send(await issueFor(deps, holder, { kind: 'holder', id: holder.id }));
    },
  );

  app.get(
    '/paper-codes/current',
    { schema: { tags: ['holder'], summary: 'The paper code in force, if any', response: { 200: Type.Object({ paperCode: Type.Union([PaperCodeViewSchema, Type.Null()]) }), ...errors } } },
    async (req) => ({ paperCode: await currentPaperCode(deps.store.db, holderOf(req), deps.clock.now()) }),
  );

  for (const format of ['png', 'pdf'] as const) {
    app.get<{ Params: Static<typeof CodeIdParams> }>(
      `/paper-codes/:codeId/print.${format}`,
      { schema: { tags: ['holder'], summary: `The paper code as ${format.toUpperCase()} (large QR, masked name, no colour)`, params: CodeIdParams } },
      async (req, reply) => sendPrint(deps, reply, holderOf(req), req.params.codeId, format),
    );
  }
}
