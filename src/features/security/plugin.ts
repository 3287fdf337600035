// The role guard, the cross-site write check and the generic audit of writes, installed once on
// the root instance by buildApp:
// - onRoute records every route; onReady refuses to start while any route has no declared roles;
// - onRequest (before the body is read) refuses cross-site writes, then finds a caller the route
//   allows (401 / 403 otherwise);
// - onSend appends an audit entry for every successful write (unless the route audits itself),
//   so a write is answered only once its audit entry is committed.
// `audience()` gives an audience plugin its default roles and its rate-limit class.
import crypto from 'node:crypto';
import type { FastifyInstance, FastifyRequest, RouteOptions } from 'fastify';
import type { AppDeps } from '../../deps.ts';
import { DomainError } from '../../errors.ts';
import type { AuditBatcher } from '../audit/service.ts';
import { actorOf, authorise } from '../auth/guard.ts';
import { COOKIE } from '../auth/sessions.ts';
import { ROLES, type Role } from './roles.ts';

const DEFAULTED = Symbol('roles from the audience default');

/** A route class for rate limiting (an audience): requests per minute per caller (0: no limit). */
export interface RateClass {
  /** the audience's roles: each audience counts on its own */
  name: string;
  perMinute: number;
  /** whose session identifies the caller; null: the address */
  session: 'holder' | 'staff' | null;
}

export interface RouteRoles {
  method: string;
  url: string;
  roles: readonly Role[];
}

declare module 'fastify' {
  interface FastifyInstance {
    /** every route with the roles it allows (the role-matrix test walks it) */
    routeRoles(): RouteRoles[];
  }
  interface FastifyRequest {
    /** what a handler wants the generic audit entry to name as the subject */
    auditSubject?: { kind: string; id: string };
  }
  interface FastifyContextConfig {
    /** the rate-limit class of the route (from its innermost audience) */
    rateClass?: RateClass;
  }
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
/** Staff whose reads are audited too (checkpoint staff see only masked names). */
const PERSONAL_DATA_READERS = new Set<string>(['official', 'supervisor', 'auditor', 'operator']);

/**
 * Why a write looks cross-site, or null (OWASP: verify the origin with standard headers). A
 * browser's fetch metadata decides when present; otherwise an Origin header must be this
 * server's. Requests with neither (command-line clients, tests) are not from a browser page.
 */
export function crossSiteReason(req: FastifyRequest, publicUrl: string | null): string | null {
  const site = req.headers['sec-fetch-site'];
  if (typeof site === 'string') return site === 'same-origin' || site === 'none' ? null : `Sec-Fetch-Site is ${site}`;
  const origin = req.headers.origin;
  if (origin === undefined) return null;
  const own = new Set<string>([`${req.protocol}://${req.headers.host ?? ''}`]);
  if (publicUrl) own.add(new URL(publicUrl).origin);
  return own.has(origin) ? null : `Origin ${origin} is not this server`;
}

/**
 * Default roles and rate class for the routes registered in `app` and its children: an inner
 * audience overrides an outer one; a route's own roles (or its own rateLimit) override both.
 */
export function audience(app: FastifyInstance, roles: readonly Role[], perMinute = 0): void {
  const rate: RateClass = {
    name: [...roles].sort().join(','),
    perMinute,
    session: roles.includes('anonymous') ? null : roles.some((r) => r === 'holder' || r === 'guardian') ? 'holder' : 'staff',
  };
  app.addHook('onRoute', (route: RouteOptions) => {
    const config = { ...(route.config ?? {}) } as Record<string | symbol, unknown>;
    if (config.roles === undefined || config[DEFAULTED]) Object.assign(config, { roles, [DEFAULTED]: true });
    config.rateClass = rate;
    route.config = config as RouteOptions['config'];
  });
}

function rateKey(cls: RateClass, req: FastifyRequest): string {
  // per session when there is one (many holders share one address behind a carrier NAT), else per address
  const token = cls.session ? req.cookies[COOKIE[cls.session]] : undefined;
  return `${cls.name}:${token ? `s:${crypto.createHash('sha256').update(token).digest('base64url').slice(0, 22)}` : `ip:${req.ip}`}`;
}

export function installSecurity(app: FastifyInstance, deps: AppDeps, auditBatch: AuditBatcher): void {
  const routes: RouteOptions[] = [];
  app.addHook('onRoute', (route) => {
    routes.push(route);
  });
  const table = (): RouteRoles[] =>
    routes.flatMap((r) =>
      (Array.isArray(r.method) ? r.method : [r.method]).map((method) => ({ method, url: r.url, roles: (r.config?.roles ?? []) as readonly Role[] })),
    );
  app.decorate('routeRoles', table);
  app.addHook('onReady', async () => {
    for (const r of table()) {
      if (r.roles.length === 0) throw new Error(`route ${r.method} ${r.url} declares no roles: add config.roles (use 'anonymous' for public routes)`);
      const unknown = r.roles.filter((x) => !(ROLES as readonly string[]).includes(x));
      if (unknown.length) throw new Error(`route ${r.method} ${r.url} names unknown roles ${unknown.join(', ')}`);
    }
  });

  // one limiter per rate class (created on first use); a route with its own rateLimit (log-in) keeps only that one
  const limiters = new Map<string, ReturnType<FastifyInstance['rateLimit']>>();
  const limiterFor = (cls: RateClass) => {
    let l = limiters.get(cls.name);
    if (!l) {
      l = app.rateLimit({ max: cls.perMinute, timeWindow: 60_000, keyGenerator: (req) => rateKey(cls, req) });
      limiters.set(cls.name, l);
    }
    return l;
  };

  app.addHook('onRequest', async (req, reply) => {
    const roles = req.routeOptions.config?.roles;
    if (!roles) return; // no route matched: the not-found handler answers
    const cls = req.routeOptions.config.rateClass;
    if (cls && cls.perMinute > 0 && !req.routeOptions.config.rateLimit) await limiterFor(cls).call(app, req, reply);
    if (UNSAFE.has(req.method)) {
      const why = crossSiteReason(req, deps.config.publicUrl);
      if (why) throw new DomainError('cross_site_request', `refused a cross-site write (${why})`);
    }
    const principal = await authorise(deps, req, roles);
    req.principal = principal;
    if (principal.kind === 'holder') req.holder = principal.holder;
    if (principal.kind === 'staff') req.staff = principal.staff;
  });

  app.addHook('onSend', async (req, reply, payload) => {
    if (reply.statusCode >= 300 || !req.routeOptions.config?.roles) return payload;
    // writes by anyone; reads by the staff who see personal data (routes that read one holder's data
    // audit it themselves, with the reason, for the holder's access log)
    const reader = req.principal?.kind === 'staff' && PERSONAL_DATA_READERS.has(req.principal.role);
    if (!UNSAFE.has(req.method) && !reader) return payload;
    if (req.routeOptions.config.audit?.generic === false) return payload;
    const actor = actorOf(req);
    const params = (req.params ?? {}) as Record<string, unknown>;
    const subject =
      req.auditSubject ??
      (req.principal?.kind === 'holder'
        ? { kind: 'holder', id: req.principal.holder.id }
        : typeof params.holderId === 'string'
          ? { kind: 'holder', id: params.holderId }
          : null);
    await auditBatch.append({
      at: deps.clock.now(),
      actor,
      action: `${req.method} ${req.routeOptions.url}`,
      subject,
      detail: { status: reply.statusCode, ...(Object.keys(params).length ? { params } : {}) },
    });
    return payload;
  });
}
