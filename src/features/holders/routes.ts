import type { FastifyInstance } from 'fastify';
import {
  CodeView,
  DeclarationBody,
  DeclarationResult,
  DeclarationView,
  ErrorBody,
  HolderView,
  LoginBody,
  RegisterBody,
  StatusView,
  AssessmentView,
} from '../../contracts/api.ts';
import { Type } from '@sinclair/typebox';
import type { AppDeps } from '../../deps.ts';
import { currentAssessment, presentAssessment, reassess } from '../assessments/service.ts';
import { endSession, holderOf, startSession } from '../auth/guard.ts';
import { withLockout } from '../auth/lockout.ts';
import { audience } from '../security/plugin.ts';
import { issueLiveCode } from '../codes/service.ts';
import { declare, recentDeclarations } from '../declarations/service.ts';
import { presentDeclaration } from '../declarations/model.ts';
import { checkInRoutes } from '../check-ins/routes.ts';
import { historyRoutes } from '../status/routes.ts';
import { inboxRoutes } from '../notifications/routes.ts';
import { holderLabRoutes } from '../lab-results/routes.ts';
import { presentHolder } from './model.ts';
import { authenticateHolder, registerHolder } from './service.ts';
import { lockoutPolicy } from '../security/policy.ts';
import { paperCodeRoutes } from '../paper-codes/routes.ts';
import { dependantRoutes, takeoverRoutes } from '../dependants/routes.ts';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 409: ErrorBody, 429: ErrorBody };

/** The holder audience: /api/holder/* with the hc_holder session cookie. */
export async function holderRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const db = deps.store.db;
  const ctx = () => ({ now: deps.clock.now(), random: deps.random, rules: deps.rules });

  app.post<{ Body: RegisterBody }>(
    '/register',
    {
      schema: {
        tags: ['holder'],
        summary: 'Register a holder and log in',
        body: RegisterBody,
        response: { 201: Type.Object({ holder: HolderView, assessment: AssessmentView }), ...errors },
      },
      config: { rateLimit: { max: 20, timeWindow: '1 minute' } },
    },
    async (req, reply) => {
      const holder = await registerHolder(db, req.body, {
        ...ctx(),
        idHashKey: deps.idHashKey,
        defaultTimeZone: deps.config.defaultTimeZone,
      });
      const assessment = await reassess(db, holder, ctx(), { kind: 'registration' });
      req.auditSubject = { kind: 'holder', id: holder.id };
      await startSession(deps, reply, 'holder', holder.id);
      return reply.code(201).send({ holder: presentHolder(holder), assessment: presentAssessment(assessment) });
    },
  );

  app.post<{ Body: LoginBody }>(
    '/login',
    {
      schema: { tags: ['holder'], summary: 'Log in', body: LoginBody, response: { 200: Type.Object({ holder: HolderView }), ...errors } },
      config: { rateLimit: { max: 10, timeWindow: '1 minute' } },
    },
    async (req, reply) => {
      const holder = await withLockout(db, `holder:${req.body.phone}`, deps.clock.now(), lockoutPolicy(deps), () => authenticateHolder(db, req.body));
      await startSession(deps, reply, 'holder', holder.id);
      req.auditSubject = { kind: 'holder', id: holder.id };
      return { holder: presentHolder(holder) };
    },
  );

  app.post('/logout', { schema: { tags: ['holder'], summary: 'Log out', response: { 204: Type.Null() } } }, async (req, reply) => {
    await endSession(deps, req, reply, 'holder');
    return reply.code(204).send();
  });

  // an adult dependant takes over their own account (anonymous: they have no log-in yet)
  await takeoverRoutes(app, deps);

  await app.register(async (authed) => {
    audience(authed, ['holder'], deps.config.rateHolderPerMinute);
    await checkInRoutes(authed, deps);
    await historyRoutes(authed, deps);
    await inboxRoutes(authed, deps);
    await holderLabRoutes(authed, deps);
    await paperCodeRoutes(authed, deps);
    await dependantRoutes(authed, deps);

    authed.get(
      '/status',
      { schema: { tags: ['holder'], summary: 'The current colour with its reasons and valid-until', response: { 200: StatusView, ...errors } } },
      async (req) => {
        const holder = holderOf(req);
        const assessment = await currentAssessment(db, holder, ctx());
        return { holder: presentHolder(holder), assessment: presentAssessment(assessment) };
      },
    );

    authed.post<{ Body: DeclarationBody }>(
      '/declarations',
      {
        schema: {
          tags: ['holder'],
          summary: 'Declare symptoms, temperature and places visited in the last 14 days; re-assesses',
          body: DeclarationBody,
          response: { 201: DeclarationResult, ...errors },
        },
      },
      async (req, reply) => {
        const holder = holderOf(req);
        const declaration = await declare(db, holder, req.body, ctx());
        const assessment = await reassess(db, holder, ctx(), { kind: 'declaration', ref: declaration.id });
        return reply.code(201).send({ declaration: presentDeclaration(declaration), assessment: presentAssessment(assessment) });
      },
    );

    authed.get(
      '/declarations',
      {
        schema: {
          tags: ['holder'],
          summary: 'Declarations of the last 21 days, newest first',
          response: { 200: Type.Object({ declarations: Type.Array(DeclarationView) }), ...errors },
        },
      },
      async (req) => {
        const since = new Date(deps.clock.now().getTime() - 21 * 86_400_000);
        const list = await recentDeclarations(db, holderOf(req).id, since);
        return { declarations: list.map(presentDeclaration) };
      },
    );

    authed.get(
      '/code',
      { schema: { tags: ['holder'], summary: 'A freshly signed live code (QR text and SVG)', response: { 200: CodeView, ...errors } } },
      async (req, reply) => {
        const holder = holderOf(req);
        const assessment = await currentAssessment(db, holder, ctx());
        reply.header('cache-control', 'no-store');
        return issueLiveCode(db, holder, assessment, { ...ctx(), keys: deps.keys, liveCodeMinutes: deps.config.liveCodeMinutes });
      },
    );
  });
}
