// The one wiring point: config → store → migrations → keys → buildApp(deps) → listen.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildApp } from './app.ts';
import type { Config } from './config.ts';
import { openStore, type Store } from './db/connect.ts';
import { migrateToLatest } from './db/migrate.ts';
import type { AppDeps } from './deps.ts';
import { DEMO_ACCOUNTS, DEMO_PASSWORD, DEMO_TOTP_SECRET, seedDemo } from './features/demo/seed.ts';
import { ensureIdHashKey, initKeys, loadKeyRing } from './features/keys/service.ts';
import { loadRuleBook } from './features/rules/book.ts';
import { startRetention } from './features/retention/job.ts';
import { hashPassword } from './features/auth/passwords.ts';
import { simulateCity } from './features/simulate/simulate.ts';
import { startScheduler } from './features/status/scheduler.ts';
import { logSender, webhookSender, type NotificationSender } from './features/notifications/dispatcher.ts';
import { cryptoRandom, systemClock } from './support/clock.ts';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Opens and migrates the store, makes sure a signing key exists; shared by serve and the CLI. */
export async function prepareStore(config: Config): Promise<Store> {
  const store = openStore(config.databaseUrl, { poolMax: config.dbPoolMax });
  await migrateToLatest(store.db);
  return store;
}

function notificationSenders(config: Config, log: { info: (obj: object, msg: string) => void }): NotificationSender[] {
  const senders = [logSender('sms', (o, m) => log.info(o, m))];
  return config.webhookUrl ? [...senders, webhookSender(config.webhookUrl)] : senders;
}

export async function serve(config: Config, log: (line: string) => void = console.log): Promise<() => Promise<void>> {
  const store = await prepareStore(config);
  const now = systemClock.now();
  const { created, kid } = await initKeys(store.db, { region: config.region, now });
  if (created) log(`created signing key ${kid} for ${config.region}`);
  const keys = (await loadKeyRing(store.db))!;
  const idHashKey = await ensureIdHashKey(store.db, cryptoRandom, now);
  const rules = await loadRuleBook(store.db, now);

  let seeded = false;
  if (config.seedDemo) {
    const anyone = await store.db.selectFrom('holders').select('id').limit(1).executeTakeFirst();
    if (!anyone) {
      log('first start: seeding the demo city (200 holders, 19 venues, a day of scans)…');
      const s = await seedDemo(
        store.db,
        { holders: 200, seed: 1, scansPerHolder: 3 },
        { now, random: cryptoRandom, keys, rules, idHashKey, timeZone: config.defaultTimeZone, liveCodeMinutes: config.liveCodeMinutes },
      );
      log(`seeded ${s.holdersCreated} holders, ${s.venues} venues, ${s.scansStored} scans`);
      // and a small synthetic city around it: two weeks of movement and an outbreak (healthcode simulate)
      const city = await simulateCity(
        store.db,
        { holders: 2000, venues: 100, days: 14, seed: 1 },
        { now, timeZone: config.defaultTimeZone, region: config.region, idHashKey, passwordHash: await hashPassword(DEMO_PASSWORD), rulesetVersion: rules.inForce(now).version },
      );
      log(`simulated a city of ${city.holders} holders at ${city.venues} venues over ${city.days} days: ${city.scansWritten} scans, ${city.infected} infections`);
      seeded = true;
    }
  }

  const deps: AppDeps = {
    config,
    store,
    clock: systemClock,
    random: cryptoRandom,
    keys,
    idHashKey,
    rules,
    logger: { level: config.logLevel },
    webRoot: path.join(REPO_ROOT, 'dist', 'web'),
  };
  const app = await buildApp(deps);
  await app.listen({ port: config.port, host: config.host });
  // time-driven transitions and rule changes, without anyone asking
  const scheduler = startScheduler(
    { db: store.db, rules, clock: systemClock, random: cryptoRandom, log: app.log, senders: notificationSenders(config, app.log), compliance: { timeZone: config.defaultTimeZone, minPercent: config.complianceMinPercent } }, config.schedulerSeconds * 1000);
  void scheduler.tick();
  // retention (scans past the ruleset's retention counted then purged, other data per config, due deletions,
  // the audit-log head published daily) and scan partitions ahead: now and hourly
  const maintenance = startRetention(store.db, { now: () => systemClock.now(), rules, config, random: cryptoRandom, log: app.log });
  const base = config.publicUrl ?? `http://localhost:${(app.server.address() as { port: number }).port}`;
  log('');
  log(`healthcode is running on ${store.dialect === 'sqlite' ? config.databaseUrl : 'PostgreSQL'}`);
  log(`  holder app        ${base}/`);
  log(`  checkpoint app    ${base}/scanner/`);
  log(`  venue app         ${base}/venue/`);
  log(`  authority console ${base}/console/`);
  log(`  transparency      ${base}/transparency/`);
  log(`  API docs          ${base}/docs`);
  log(`  trust list        ${base}/api/public/trust-list`);
  log(`  health            ${base}/healthz  ${base}/readyz`);
  log('demo log-ins (password for all: ' + DEMO_PASSWORD + ')');
  log('  holder            phone 13800000001 … 13800000200');
  for (const a of DEMO_ACCOUNTS) log(`  ${(a.role + " ").padEnd(20)}${a.username}`);
  log(`  officials and supervisors also give a TOTP code: authenticator secret ${DEMO_TOTP_SECRET}`);
  if (!seeded) log('(the demo city was seeded on an earlier start)');

  let closing: Promise<void> | null = null;
  const close = () =>
    (closing ??= (async () => {
      await scheduler.stop();
      await maintenance.stop();
      // keep-alive connections that finished their requests would hold the close for keepAliveTimeout (72 s)
      const idle = setInterval(() => app.server.closeIdleConnections(), 100);
      await app.close(); // stops accepting, drains in-flight requests, flushes queued scans
      clearInterval(idle);
      await store.close();
    })());
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.once(sig, () => {
      log(`${sig}: draining…`);
      close().then(
        () => process.exit(0),
        (e: unknown) => {
          console.error(e);
          process.exit(1);
        },
      );
    });
  }
  return close;
}
