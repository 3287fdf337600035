// Guardians acting for dependants: /api/holder/dependants… (inside the holder audience; any holder
// may become a guardian, so the routes allow 'holder' and 'guardian' and check the guardianship of
// the dependant named in the path). Every action is audited with the guardian as the actor (role
// 'guardian') and the dependant as the subject. Officials confirm requests at /api/official/….
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AssessmentView, CodeView, DeclarationBody, DeclarationResult, ErrorBody, IsoDate, RegionCode } from '../../contracts/api.ts';
import type { AppDeps } from '../../deps.ts';
import { currentAssessment, presentAssessment, reassess } from '../assessments/service.ts';
import { audit, type Actor } from '../audit/service.ts';
import { actorOf, holderOf, staffOf, startSession } from '../auth/guard.ts';
import { checkIn } from '../check-ins/service.ts';
import { issueLiveCode } from '../codes/service.ts';
import { declare } from '../declarations/service.ts';
import { presentDeclaration } from '../declarations/model.ts';
import { presentHolder, type Holder } from '../holders/model.ts';
import { CodeIdParams, issueFor, PaperCodeViewSchema, sendPrint } from '../paper-codes/routes.ts';
import { currentPaperCode } from '../paper-codes/service.ts';
import type { Role } from '../security/roles.ts';
import {
  createTakeoverCode,
  decideRequest,
  dependantOf,
  incomingRequests,
  listDependants,
  pendingRequests,
  presentDependant,
  registerDependant,
  requestGuardianship,
  takeOver,
} from './service.ts';

const GUARDIAN_ROLES: readonly Role[] = ['holder', 'guardian'];
const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody, 422: ErrorBody, 429: ErrorBody };

const Relationship = Type.String({ minLength: 1, maxLength: 40, description: 'e.g. parent, child, grandchild, carer' });
const DependantBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100 }),
    idNumber: Type.String({ pattern: '^[0-9A-Za-z]{6,32}$', description: "the dependant's own ID document number" }),
    dateOfBirth: IsoDate,
    region: RegionCode,
    relationship: Relationship,
    timeZone: Type.Optional(Type.String({ minLength: 1, maxLength: 64 })),
  },
  { additionalProperties: false },
);
const DependantView = Type.Object({
  id: Type.String(),
  name: Type.String(),
  maskedName: Type.String(),
  birthYear: Type.Integer(),
  dateOfBirth: Type.String(),
  idLast4: Type.String(),
  region: Type.String(),
  timeZone: Type.String(),
  relationship: Type.String(),
  guardians: Type.Integer(),
  adult: Type.Boolean(),
});
const DependantWithStatus = Type.Object({ dependant: DependantView, assessment: AssessmentView });
const RequestBody = Type.Object({ idNumber: Type.String({ pattern: '^[0-9A-Za-z]{6,32}$' }), dateOfBirth: IsoDate, relationship: Relationship }, { additionalProperties: false });
const RequestView = Type.Object({
  id: Type.String(),
  dependantId: Type.String(),
  dependantMaskedName: Type.String(),
  requesterMaskedName: Type.String(),
  relationship: Type.String(),
  status: Type.String(),
  requestedAt: Type.String(),
});
const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });
const DecisionParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }), decision: Type.Union([Type.Literal('approve'), Type.Literal('reject')]) });
const CheckInBody = Type.Object({ temperatureC: Type.Optional(Type.Number({ minimum: 30, maximum: 45 })) }, { additionalProperties: false });
const TakeoverBody = Type.Object(
  {
    code: Type.String({ minLength: 8, maxLength: 32 }),
    idNumber: Type.String({ pattern: '^[0-9A-Za-z]{6,32}$' }),
    phone: Type.String({ pattern: '^\\+?[0-9]{6,20}$' }),
    password: Type.String({ minLength: 8, maxLength: 200 }),
  },
  { additionalProperties: false },
);

function guardianActor(req: FastifyRequest): Actor {
  return { kind: 'holder', id: holderOf(req).id, role: 'guardian' };
}

/** The holder audience's dependant routes (registered inside its logged-in part). */
export async function dependantRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const db = deps.store.db;
  const ctx = () => ({ now: deps.clock.now(), random: deps.random, rules: deps.rules });
  const gctx = () => ({ now: deps.clock.now(), random: deps.random, idHashKey: deps.idHashKey });
  const own = { roles: GUARDIAN_ROLES, audit: { generic: false } };
  const log = (req: FastifyRequest, action: string, dependantId: string, detail: Record<string, unknown> = {}) =>
    audit(db, { at: deps.clock.now(), actor: guardianActor(req), action: `guardian.${action}`, subject: { kind: 'holder', id: dependantId }, detail });
  const acting = async (req: FastifyRequest<{ Params: { id: string } }>) => dependantOf(db, holderOf(req).id, req.params.id);

  app.post<{ Body: Static<typeof DependantBody> }>(
    '/dependants',
    {
      schema: { tags: ['guardian'], summary: "Register a dependant (child or elderly relative) with their own ID document", body: DependantBody, response: { 201: DependantWithStatus, ...errors } },
      config: own,
    },
    async (req, reply) => {
      const guardian = holderOf(req);
      const { holder } = await registerDependant(db, guardian, req.body, gctx());
      const assessment = await reassess(db, holder, ctx(), { kind: 'registration' });
      await log(req, 'register', holder.id, { relationship: req.body.relationship });
      return reply.code(201).send({ dependant: presentDependant(holder, req.body.relationship, 1, deps.clock.now()), assessment: presentAssessment(assessment) });
    },
  );

  app.get(
    '/dependants',
    { schema: { tags: ['guardian'], summary: 'The dependants you act for, with their colours', response: { 200: Type.Object({ dependants: Type.Array(DependantWithStatus) }), ...errors } }, config: own },
    async (req) => {
      const list = await listDependants(db, holderOf(req).id);
      const out = [];
      for (const d of list) {
        const a = await currentAssessment(db, d.holder, ctx());
        out.push({ dependant: presentDependant(d.holder, d.relationship, d.guardians, deps.clock.now()), assessment: presentAssessment(a) });
      }
      if (list.length) {
        await Promise.all(list.map((d) => log(req, 'list', d.holder.id)));
      }
      return { dependants: out };
    },
  );

  app.get<{ Params: Static<typeof IdParams> }>(
    '/dependants/:id/status',
    { schema: { tags: ['guardian'], summary: "A dependant's colour with its reasons", params: IdParams, response: { 200: DependantWithStatus, ...errors } }, config: own },
    async (req) => {
      const { holder, relationship } = await acting(req);
      const a = await currentAssessment(db, holder, ctx());
      await log(req, 'read_status', holder.id);
      return { dependant: presentDependant(holder, relationship, 0, deps.clock.now()), assessment: presentAssessment(a) };
    },
  );

  app.post<{ Params: Static<typeof IdParams>; Body: DeclarationBody }>(
    '/dependants/:id/declarations',
    { schema: { tags: ['guardian'], summary: 'Declare for a dependant; re-assesses', params: IdParams, body: DeclarationBody, response: { 201: DeclarationResult, ...errors } }, config: own },
    async (req, reply) => {
      const { holder } = await acting(req);
      const declaration = await declare(db, holder, req.body, ctx());
      const assessment = await reassess(db, holder, ctx(), { kind: 'declaration', ref: declaration.id });
      await log(req, 'declare', holder.id, { declaration: declaration.id });
      return reply.code(201).send({ declaration: presentDeclaration(declaration), assessment: presentAssessment(assessment) });
    },
  );

  app.post<{ Params: Static<typeof IdParams>; Body: Static<typeof CheckInBody> }>(
    '/dependants/:id/check-ins',
    {
      schema: {
        tags: ['guardian'],
        summary: "Today's check-in for a dependant (one per calendar date counts)",
        params: IdParams,
        body: CheckInBody,
        response: { 200: Type.Object({ status: Type.String(), localDate: Type.String(), assessment: AssessmentView }), ...errors },
      },
      config: own,
    },
    async (req) => {
      const { holder } = await acting(req);
      const r = await checkIn(db, holder, req.body ?? {}, ctx());
      const assessment = await reassess(db, holder, ctx(), { kind: 'check_in', ref: r.row.id });
      await log(req, 'check_in', holder.id, { status: r.status });
      return { status: r.status, localDate: r.row.local_date, assessment: presentAssessment(assessment) };
    },
  );

  app.get<{ Params: Static<typeof IdParams> }>(
    '/dependants/:id/code',
    { schema: { tags: ['guardian'], summary: "A freshly signed live code of the dependant, shown in the guardian's app", params: IdParams, response: { 200: CodeView, ...errors } }, config: own },
    async (req, reply) => {
      const { holder } = await acting(req);
      const assessment = await currentAssessment(db, holder, ctx());
      reply.header('cache-control', 'no-store');
      const code = await issueLiveCode(db, holder, assessment, { ...ctx(), keys: deps.keys, liveCodeMinutes: deps.config.liveCodeMinutes });
      await log(req, 'show_code', holder.id);
      return code;
    },
  );

  app.post<{ Params: Static<typeof IdParams> }>(
    '/dependants/:id/paper-codes',
    { schema: { tags: ['guardian'], summary: 'Print a paper code for a dependant (a reprint revokes the previous one)', params: IdParams, response: { 201: PaperCodeViewSchema, ...errors } }, config: own },
    async (req, reply) => {
      const { holder } = await acting(req);
      const code = await issueFor(deps, holder, { kind: 'holder', id: holderOf(req).id });
      await log(req, 'print_paper_code', holder.id, { codeId: code.codeId, revoked: code.revoked });
      return reply.code(201).send(code);
    },
  );

  app.get<{ Params: Static<typeof IdParams> }>(
    '/dependants/:id/paper-codes/current',
    { schema: { tags: ['guardian'], summary: "The dependant's paper code in force", params: IdParams, response: { 200: Type.Object({ paperCode: Type.Union([PaperCodeViewSchema, Type.Null()]) }), ...errors } }, config: own },
    async (req) => {
      const { holder } = await acting(req);
      await log(req, 'read_paper_code', holder.id);
      return { paperCode: await currentPaperCode(db, holder, deps.clock.now()) };
    },
  );

  for (const format of ['png', 'pdf'] as const) {
    app.get<{ Params: Static<typeof IdParams> & Static<typeof CodeIdParams> }>(
      `/dependants/:id/paper-codes/:codeId/print.${format}`,
      { schema: { tags: ['guardian'], summary: `A dependant's paper code as ${format.toUpperCase()}`, params: Type.Intersect([IdParams, CodeIdParams]) }, config: own },
      async (req, reply) => {
        const { holder } = await acting(req);
        await log(req, `print_${format}`, holder.id, { codeId: req.params.codeId });
        return sendPrint(deps, reply, holder, req.params.codeId, format);
      },
    );
  }

  app.post<{ Params: Static<typeof IdParams> }>(
    '/dependants/:id/takeover-code',
    {
      schema: {
        tags: ['guardian'],
        summary: `A one-time code (valid 72 h) an adult dependant uses to take over their own account`,
        params: IdParams,
        response: { 201: Type.Object({ code: Type.String(), expiresAt: Type.String() }), ...errors },
      },
      config: own,
    },
    async (req, reply) => {
      const { holder } = await acting(req);
      const code = await createTakeoverCode(db, holderOf(req).id, holder, { now: deps.clock.now(), random: deps.random, idHashKey: deps.idHashKey });
      await log(req, 'takeover_code', holder.id, { expiresAt: code.expiresAt });
      return reply.code(201).send(code);
    },
  );

  // requests to be added as a guardian of someone who already has one
  app.post<{ Body: Static<typeof RequestBody> }>(
    '/dependants/requests',
    { schema: { tags: ['guardian'], summary: 'Ask to be added as a guardian of an existing dependant', body: RequestBody, response: { 201: RequestView, ...errors } }, config: own },
    async (req, reply) => {
      const r = await requestGuardianship(db, holderOf(req), req.body, gctx());
      await log(req, 'request', r.dependantId, { request: r.id, relationship: r.relationship });
      return reply.code(201).send(r);
    },
  );

  app.get(
    '/dependants/requests',
    { schema: { tags: ['guardian'], summary: 'Requests by others to become a guardian of your dependants', response: { 200: Type.Object({ requests: Type.Array(RequestView) }), ...errors } }, config: own },
    async (req) => ({ requests: await incomingRequests(db, holderOf(req).id) }),
  );

  app.post<{ Params: Static<typeof DecisionParams> }>(
    '/dependants/requests/:id/:decision',
    { schema: { tags: ['guardian'], summary: 'Approve or reject a request about your dependant', params: DecisionParams, response: { 200: RequestView, ...errors } }, config: own },
    async (req) => {
      const r = await decideRequest(db, req.params.id, req.params.decision, { kind: 'holder', id: holderOf(req).id }, deps.clock.now());
      await log(req, `request_${req.params.decision}`, r.dependantId, { request: r.id });
      return r;
    },
  );
}

/** Take-over by the adult dependant: anonymous (they have no log-in yet), rate-limited; logs them in. */
export async function takeoverRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  app.post<{ Body: Static<typeof TakeoverBody> }>(
    '/takeover',
    {
      schema: {
        tags: ['holder'],
        summary: "An adult dependant takes over their own account with a guardian's one-time code; the guardianships end",
        body: TakeoverBody,
        response: { 200: Type.Object({ holder: Type.Object({ id: Type.String(), maskedName: Type.String() }) }), ...errors },
      },
      config: { roles: ['anonymous'], audit: { generic: false }, rateLimit: { max: 10, timeWindow: '1 minute' } },
    },
    async (req, reply) => {
      const holder: Holder = await takeOver(deps.store.db, req.body, { now: deps.clock.now(), random: deps.random, idHashKey: deps.idHashKey });
      await audit(deps.store.db, { at: deps.clock.now(), actor: { kind: 'holder', id: holder.id, role: 'holder' }, action: 'dependant.takeover', subject: { kind: 'holder', id: holder.id } });
      await startSession(deps, reply, 'holder', holder.id);
      return { holder: { id: holder.id, maskedName: presentHolder(holder).maskedName } };
    },
  );
}

/** Officials confirm or reject requests to be added as a guardian: /api/official/guardian-requests…. */
export async function officialGuardianRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const db = deps.store.db;
  app.get(
    '/guardian-requests',
    { schema: { tags: ['official'], summary: 'Pending requests to be added as a guardian', response: { 200: Type.Object({ requests: Type.Array(RequestView) }), ...errors } } },
    async () => ({ requests: await pendingRequests(db, 200) }),
  );
  app.post<{ Params: Static<typeof DecisionParams> }>(
    '/guardian-requests/:id/:decision',
    {
      schema: { tags: ['official'], summary: 'Confirm (approve) or reject a request to be added as a guardian', params: DecisionParams, response: { 200: RequestView, ...errors } },
      config: { audit: { generic: false } },
    },
    async (req) => {
      const r = await decideRequest(db, req.params.id, req.params.decision, { kind: 'staff', id: staffOf(req).id }, deps.clock.now());
      await audit(db, { at: deps.clock.now(), actor: actorOf(req), action: `guardian_request.${req.params.decision}`, subject: { kind: 'holder', id: r.dependantId }, detail: { request: r.id } });
      return r;
    },
  );
}
