// The in-server scheduler: every tick it re-reads the published rulesets, applies one that has
// come into force, and runs due transitions. One tick at a time; errors are logged, not fatal.
import type { FastifyBaseLogger } from 'fastify';
import type { Kysely } from 'kysely';
import type { Database } from '../../db/schema.ts';
import type { Clock, Random } from '../../support/clock.ts';
import { loadRuleBook, type RuleBook } from '../rules/book.ts';
import { dispatchOutbox, type NotificationSender } from '../notifications/dispatcher.ts';
import { liftCleanAreas } from '../risk-areas/service.ts';
import { runDailyCompliance } from '../compliance/service.ts';
import { localDate } from '../../core/time/zones.ts';
import { applyRulesetInForce, runDueTransitions } from './jobs.ts';

export interface Scheduler {
  /** runs one tick now (the CLI's recompute, and tests) */
  tick(): Promise<void>;
  stop(): Promise<void>;
}

export function startScheduler(
  deps: {
    db: Kysely<Database>;
    rules: RuleBook;
    clock: Clock;
    random: Random;
    log: FastifyBaseLogger;
    senders: readonly NotificationSender[];
    /** venue compliance: the day's job (idempotent; it fills yesterday and any missed days) */
    compliance: { timeZone: string; minPercent: number };
  },
  intervalMs: number,
): Scheduler {
  let running: Promise<void> | null = null;
  let stopped = false;
  let complianceDay: string | null = null;
  const tick = async (): Promise<void> => {
    const now = deps.clock.now();
    deps.rules.replaceWith(await loadRuleBook(deps.db, now));
    const ctx = { rules: deps.rules, now, random: deps.random };
    const applied = await applyRulesetInForce(deps.db, ctx);
    if (applied) deps.log.info({ job: 'rules', ...applied }, 'ruleset applied to all holders');
    const lifted = await liftCleanAreas(deps.db, ctx);
    if (lifted.length > 0) deps.log.info({ job: 'risk-areas', lifted }, 'risk areas lifted after their clean days');
    // a daily job: once per local date per instance (it is idempotent, so another instance repeating it is harmless)
    const today = localDate(now, deps.compliance.timeZone);
    if (complianceDay !== today) {
      const compliance = await runDailyCompliance(deps.db, { now, random: deps.random, ...deps.compliance });
      complianceDay = today;
      const flaggedVenues = Object.values(compliance.flagged).reduce((n, v) => n + v.length, 0);
      deps.log.info({ job: 'compliance', days: compliance.days, flagged: flaggedVenues }, 'venue compliance computed');
    }
    const due = await runDueTransitions(deps.db, ctx);
    if (due.assessed > 0) deps.log.info({ job: 'due-transitions', ...due }, 'due transitions applied');
    const sent = await dispatchOutbox(deps.db, deps.senders, now);
    if (sent.sent + sent.retried + sent.failed > 0) deps.log.info({ job: 'outbox', ...sent }, 'notifications dispatched');
  };
  const safeTick = (): Promise<void> =>
    (running ??= tick()
      .catch((err: unknown) => deps.log.error({ err }, 'scheduler tick failed'))
      .finally(() => {
        running = null;
      }));
  const timer = intervalMs > 0 ? setInterval(() => void (stopped ? undefined : safeTick()), intervalMs) : null;
  timer?.unref();
  return {
    tick: safeTick,
    async stop() {
      stopped = true;
      if (timer) clearInterval(timer);
      if (running) await running;
    },
  };
}
