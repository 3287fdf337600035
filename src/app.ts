// buildApp(deps): the Fastify instance with every audience registered; no listen (tests call
// app.inject, main.ts listens).
import fs from 'node:fs';
import cookie from '@fastify/cookie';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import fastifyStatic from '@fastify/static';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyError, type FastifyInstance } from 'fastify';
import { storeFailureKind } from './db/errors.ts';
import type { AppDeps } from './deps.ts';
import { DomainError, ERROR_STATUS, type ErrorCode } from './errors.ts';
import { holderRoutes } from './features/holders/routes.ts';
import { publicRoutes } from './features/public/routes.ts';
import { rulesRoutes } from './features/rules/routes.ts';
import { caseRoutes } from './features/cases/routes.ts';
import { officialLabRoutes } from './features/lab-results/routes.ts';
import { officialRiskAreaRoutes, publicRiskAreaRoutes } from './features/risk-areas/routes.ts';
import { Metrics } from './features/ops/metrics.ts';
import { notReady, ReadinessCheck } from './features/ops/readiness.ts';
import { checkpointRoutes } from './features/scans/routes.ts';
import { workerVerifier } from './features/scans/verifier.ts';
import { LookupCache } from './features/auth/lookup-cache.ts';
import { ScanWriter } from './features/scans/writer.ts';
import { staffRoutes } from './features/staff/routes.ts';
import { AuditBatcher } from './features/audit/service.ts';
import { audience, installSecurity } from './features/security/plugin.ts';
import { STAFF_ROLES } from './features/security/roles.ts';
import { dueProcessRoutes } from './features/security/routes.ts';
import { idLookupRoutes } from './features/id-lookup/routes.ts';
import { officialGuardianRoutes } from './features/dependants/routes.ts';
import { officialComplianceRoutes, publicComplianceRoutes, venueComplianceRoutes } from './features/compliance/routes.ts';
import { consoleRoutes } from './features/console/routes.ts';
import { publicVenueRoutes, venueManagerRoutes } from './features/venues/routes.ts';
import { revocationRoutes } from './features/revocations/routes.ts';
import { holderVenueVisitRoutes } from './features/venue-visits/routes.ts';

function errorBody(code: ErrorCode, message: string) {
  return { error: { code, message } };
}

/** Fastify's own 4xx errors, mapped onto our closed set of codes. */
function frameworkCode(err: FastifyError): ErrorCode {
  switch (err.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return 'malformed_json';
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return 'payload_too_large';
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_ERR_CTP_INVALID_CONTENT_LENGTH':
      return err.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' ? 'unsupported_media_type' : 'invalid_request';
    default:
      if (err.statusCode === 429) return 'rate_limited';
      if (err.statusCode === 404) return 'not_found';
      if (err.statusCode === 413) return 'payload_too_large';
      if (err.statusCode === 415) return 'unsupported_media_type';
      return 'invalid_request';
  }
}

export async function buildApp(given: AppDeps): Promise<FastifyInstance> {
  const deps: AppDeps = { ...given, lookups: new LookupCache(given.config.authCacheMs) };
  const app = Fastify({
    logger: deps.logger,
    bodyLimit: 1024 * 1024,
    genReqId: () => deps.random.uuid(),
    requestIdHeader: false,
    ajv: { customOptions: { allErrors: false, removeAdditional: false, coerceTypes: false } },
  });
  const metrics = new Metrics();
  const scanWriter = new ScanWriter(deps.store.db, 2000, metrics.writerObserver());
  const verifier = workerVerifier(deps.keys.trusted, deps.keys.trust, deps.config.verifyWorkers);
  metrics.watchVerifier(verifier);
  metrics.watchQueues(scanWriter, deps.store);
  const readiness = new ReadinessCheck(deps.store, scanWriter);
  const auditBatch = new AuditBatcher(deps.store.db);

  app.setErrorHandler((err: FastifyError, req, reply) => {
    if (err instanceof DomainError) {
      return reply.code(err.status).send(errorBody(err.code, err.message));
    }
    if (err.validation) {
      return reply.code(400).send(errorBody('invalid_request', err.message));
    }
    const storeFailure = storeFailureKind(err);
    if (storeFailure) {
      // full / read-only / unavailable: nothing was written (one transaction per batch); retry later
      req.log.error({ err, storeFailure }, 'store failure');
      const r = notReady(storeFailure);
      if (!r.ready) return reply.code(503).header('retry-after', '5').send(errorBody(r.code, `${r.message}; nothing was stored, retry shortly`));
    }
    if (typeof err.statusCode === 'number' && err.statusCode >= 400 && err.statusCode < 500) {
      const code = frameworkCode(err);
      if (code === 'rate_limited') reply.header('retry-after', reply.getHeader('retry-after') ?? '60');
      return reply.code(ERROR_STATUS[code] === 400 ? err.statusCode : ERROR_STATUS[code]).send(errorBody(code, err.message));
    }
    req.log.error({ err }, 'unhandled error');
    return reply.code(500).send(errorBody('internal_error', 'internal error; the request id is in the x-request-id header'));
  });

  app.setNotFoundHandler((req, reply) => {
    reply.code(404).send(errorBody('not_found', `no route ${req.method} ${req.url.split('?')[0]}`));
  });

  app.addHook('onSend', async (req, reply) => {
    reply.header('x-request-id', req.id);
  });
  app.addHook('onResponse', async (req, reply) => {
    metrics.httpDuration.observe(
      { method: req.method, route: req.routeOptions.url ?? 'unmatched', status_code: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
  });

  await app.register(cookie);
  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        imgSrc: ["'self'", 'data:', 'blob:'],
        mediaSrc: ["'self'", 'blob:'],
        styleSrc: ["'self'", "'unsafe-inline'"],
        scriptSrc: ["'self'"],
        connectSrc: ["'self'"],
        workerSrc: ["'self'"],
        upgradeInsecureRequests: null,
      },
    },
    strictTransportSecurity: deps.config.cookieSecure,
  });
  await app.register(rateLimit, { global: false });
  // roles for every route, cross-site write refusal, the audit entry of every write
  installSecurity(app, deps, auditBatch);
  const rate = deps.config;
  await app.register(swagger, {
    openapi: {
      info: { title: 'healthcode API', version: '0.1.0', description: 'Holders, checkpoints and the public transparency endpoints.' },
      components: {
        securitySchemes: {
          holderCookie: { type: 'apiKey', in: 'cookie', name: 'hc_holder' },
          staffCookie: { type: 'apiKey', in: 'cookie', name: 'hc_staff' },
        },
      },
    },
  });
  await app.register(async (a) => {
    audience(a, ['anonymous'], rate.ratePublicPerMinute);
    await a.register(swaggerUi, { routePrefix: '/docs', staticCSP: true });
  });

  app.get('/healthz', { schema: { hide: true }, config: { roles: ['anonymous'] } }, async () => ({ status: 'ok' }));
  app.get('/readyz', { schema: { hide: true }, config: { roles: ['anonymous'] } }, async (req, reply) => {
    const r = await readiness.run();
    if (r.ready) return { status: 'ready' };
    req.log.warn({ code: r.code }, `not ready: ${r.message}`);
    return reply.code(503).header('retry-after', '5').send(errorBody(r.code, r.message));
  });
  app.get('/metrics', { schema: { hide: true }, config: { roles: ['anonymous'] } }, async (_req, reply) => {
    return reply.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });

  // each audience with its default roles and rate class (holderRoutes narrows its own logged-in part to 'holder')
  const anyStaff = [...STAFF_ROLES];
  await app.register(async (a) => {
    audience(a, ['anonymous'], rate.ratePublicPerMinute);
    await holderRoutes(a, deps);
  }, { prefix: '/api/holder' });
  // a holder's check-in at a venue by its poster: a scan of them there, through the scan writer
  await app.register(async (a) => {
    audience(a, ['holder'], rate.rateHolderPerMinute);
    await holderVenueVisitRoutes(a, { ...deps, scanWriter });
  }, { prefix: '/api/holder' });
  await app.register(async (a) => {
    audience(a, ['anonymous'], rate.ratePublicPerMinute);
    await staffRoutes(a, deps);
  }, { prefix: '/api/staff' });
  await app.register(async (a) => {
    audience(a, ['checkpoint_operator', 'venue_manager'], rate.rateCheckpointPerMinute);
    await checkpointRoutes(a, { ...deps, scanWriter, verifier, metrics });
    await idLookupRoutes(a, deps);
  }, { prefix: '/api/checkpoint' });
  await app.register(async (a) => {
    audience(a, ['anonymous'], rate.ratePublicPerMinute);
    await publicRoutes(a, deps);
  }, { prefix: '/api/public' });
  await app.register(async (a) => {
    audience(a, ['anonymous'], rate.ratePublicPerMinute);
    await rulesRoutes(a, deps);
  }, { prefix: '/api/public/rules' });
  // officials: lab results, cases and tracing, risk areas
  await app.register(async (a) => {
    audience(a, ['official'], rate.rateStaffPerMinute);
    await officialLabRoutes(a, deps);
    await caseRoutes(a, deps);
    await officialRiskAreaRoutes(a, deps);
    await officialGuardianRoutes(a, deps);
    await officialComplianceRoutes(a, deps);
  }, { prefix: '/api/official' });
  await app.register(async (a) => {
    audience(a, ['anonymous'], rate.ratePublicPerMinute);
    await publicRiskAreaRoutes(a, deps);
  }, { prefix: '/api/public' });
  // venue managers: their venues, posters, daily counts; the public face of a venue; the revocation list
  await app.register(async (a) => {
    audience(a, ['venue_manager'], rate.rateStaffPerMinute);
    await venueManagerRoutes(a, deps);
    await venueComplianceRoutes(a, deps);
  }, { prefix: '/api/venue' });
  await app.register(async (a) => {
    audience(a, ['anonymous'], rate.ratePublicPerMinute);
    await publicVenueRoutes(a, deps);
    await revocationRoutes(a, deps);
    await publicComplianceRoutes(a, deps);
  }, { prefix: '/api/public' });
  // the authority console's reads (each route declares its roles: aggregates, casework, audit)
  await app.register(async (a) => {
    audience(a, ['official', 'supervisor', 'auditor'], rate.rateStaffPerMinute);
    await consoleRoutes(a, deps);
  }, { prefix: '/api/console' });
  // appeals, overrides, access log, export and deletion, audit, transparency (each route declares its roles)
  await app.register(async (a) => {
    audience(a, anyStaff, rate.rateStaffPerMinute);
    await dueProcessRoutes(a, deps);
  }, { prefix: '/api' });

  if (deps.webRoot && fs.existsSync(deps.webRoot)) {
    await app.register(async (a) => {
      audience(a, ['anonymous']);
      await a.register(fastifyStatic, { root: deps.webRoot!, prefix: '/', index: ['index.html'], wildcard: true });
    });
  }

  app.addHook('onClose', async () => {
    await scanWriter.close();
    await verifier.close();
    await auditBatch.close();
  });
  return app;
}
