import type { FastifyInstance } from 'fastify';
import { TransparencyView } from '../../contracts/due-process.ts';
import type { AppDeps } from '../../deps.ts';
import { transparency } from './service.ts';

/** Anyone: /api/public/transparency — audit-log heads, override and appeal counts, alarm counts. */
export async function transparencyRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  app.get(
    '/transparency',
    {
      schema: {
        tags: ['public'],
        summary: 'The transparency page: the audit log\'s head and daily published heads, override and appeal counts and outcomes, alarm counts',
        response: { 200: TransparencyView },
      },
    },
    async () => transparency(deps.store.db, deps.clock.now()),
  );
}
