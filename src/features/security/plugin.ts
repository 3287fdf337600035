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
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

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

/** Default roles (and a rate limit per caller) for the routes registered in `app` and its children. */
export function audience(app: FastifyInstance, roles: readonly Role[], perMinute = 0): void {
  app.addHook('onRoute', (route: RouteOptions) => {
    const config = (route.config ?? {}) as Record<string | symbol, unknown>;
    // an inner audience overrides an outer one; a route's own declaration overrides both
    if (config.roles === undefined || config[DEFAULTED]) route.config = { ...config, roles, [DEFAULTED]: true } as RouteOptions['config'];
  });
  if (perMinute > 0) {
    app.addHook(
      'onRequest',
      app.rateLimit({
        max: perMinute,
        timeWindow: 60_000,
        // per session when there is one (many holders can share one address behind a carrier NAT), else per address
        keyGenerator: (req) => {
          const token = req.cookies[COOKIE.holder] ?? req.cookies[COOKIE.staff];
          return token ? `s:${crypto.createHash('sha256').update(token).digest('base64url').slice(0, 22)}` : `ip:${req.ip}`;
        },
      }),
    );
  }
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

  app.addHook('onRequest', async (req) => {
    const roles = req.routeOptions.config?.roles;
    if (!roles) return; // no route matched: the not-found handler answers
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
    if (!UNSAFE.has(req.method) || reply.statusCode >= 300 || !req.routeOptions.config?.roles) return payload;
    if (req.routeOptions.config.audit?.generic === false) return payload;
    const actor = actorOf(req);
    const params = (req.params ?? {}) as Record<string, unknown>;
    const subject = req.auditSubject ?? (req.principal?.kind === 'holder' ? { kind: 'holder', id: req.principal.holder.id } : null);
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
