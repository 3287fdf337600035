// The due-process routes, each audience with its default roles (routes may narrow them):
//   /api/holder/…   holder: appeals, evidence, overrides, access log, export, deletion
//   /api/official/… official and supervisor: holder records, appeals, overrides (approval: supervisor)
//   /api/audit/…    auditor: the audit log, its verification, alarms
//   /api/public/transparency  anyone
import type { FastifyInstance } from 'fastify';
import type { AppDeps } from '../../deps.ts';
import { holderAccessLogRoutes, officialHolderRoutes } from '../access-log/routes.ts';
import { holderAppealRoutes, officialAppealRoutes } from '../appeals/routes.ts';
import { auditRoutes } from '../audit/routes.ts';
import { holderOverrideRoutes, officialOverrideRoutes } from '../overrides/routes.ts';
import { holderRightsRoutes } from '../retention/routes.ts';
import { transparencyRoutes } from '../transparency/routes.ts';
import { audience } from './plugin.ts';

export async function dueProcessRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const c = deps.config;
  await app.register(
    async (a) => {
      audience(a, ['holder'], c.rateHolderPerMinute);
      await holderAppealRoutes(a, deps);
      await holderOverrideRoutes(a, deps);
      await holderAccessLogRoutes(a, deps);
      await holderRightsRoutes(a, deps);
    },
    { prefix: '/holder' },
  );
  await app.register(
    async (a) => {
      audience(a, ['official', 'supervisor'], c.rateStaffPerMinute);
      await officialHolderRoutes(a, deps);
      await officialAppealRoutes(a, deps);
      await officialOverrideRoutes(a, deps);
    },
    { prefix: '/official' },
  );
  await app.register(
    async (a) => {
      audience(a, ['auditor'], c.rateStaffPerMinute);
      await auditRoutes(a, deps);
    },
    { prefix: '/audit' },
  );
  await app.register(
    async (a) => {
      audience(a, ['anonymous'], c.ratePublicPerMinute);
      await transparencyRoutes(a, deps);
    },
    { prefix: '/public' },
  );
}
