// healthcode's command line: serve, migrate, keys init, demo, verify.
import fs from 'node:fs';
import { X509Certificate } from 'node:crypto';
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import cliProgress from 'cli-progress';
import { ConfigError, loadConfig } from './config.ts';
import { RulesetError } from './core/rules/ruleset.ts';
import { DomainError } from './errors.ts';
import {
  createTrustStore,
  parseTrustListDoc,
  trustStoreFromList,
  verifyAny,
  verifyTrustList,
  type TrustStore,
} from './core/token/index.ts';
import { seedDemo } from './features/demo/seed.ts';
import { ensureIdHashKey, initKeys, loadKeyRing } from './features/keys/service.ts';
import { loadRuleBook } from './features/rules/book.ts';
import { dryRun, formatDryRun, publishRuleset } from './features/rules/service.ts';
import { applyRulesetInForce, runDueTransitions } from './features/status/jobs.ts';
import { parseRuleset } from './core/rules/ruleset.ts';
import { CSV_COLUMNS, parseLabCsv } from './core/labs/csv.ts';
import { parseFhirBundle } from './core/labs/fhir.ts';
import type { LabRecord } from './core/labs/records.ts';
import { followUpResults } from './features/lab-results/pipeline.ts';
import { storeLabRecords } from './features/lab-results/service.ts';
import { traceCase } from './features/tracing/service.ts';
import { migrateToLatest } from './db/migrate.ts';
import { openStore } from './db/connect.ts';
import { prepareStore, serve } from './main.ts';
import { registerOpsCommands } from './features/ops/commands.ts';
import { registerDueProcessCommands } from './features/security/commands.ts';
import { cryptoRandom, systemClock } from './support/clock.ts';

/** A usage error: exit code 2, message naming the bad value. */
class UsageError extends Error {}

function positiveInt(name: string, max: number) {
  return (v: string): number => {
    if (!/^\d+$/.test(v) || Number(v) < 1 || Number(v) > max) throw new InvalidArgumentError(`${name} must be a whole number from 1 to ${max}, got ${JSON.stringify(v)}`);
    return Number(v);
  };
}

function isoTime(v: string): Date {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(v) || Number.isNaN(Date.parse(v))) {
    throw new InvalidArgumentError(`expected an ISO 8601 time with an offset, e.g. 2026-11-23T08:00:00Z, got ${JSON.stringify(v)}`);
  }
  return new Date(v);
}

function parseCertificate(text: string): X509Certificate {
  const t = text.trim();
  try {
    if (t.startsWith('-----BEGIN')) return new X509Certificate(t);
    if (!/^[A-Za-z0-9+/=\s]+$/.test(t)) throw new Error('not base64');
    return new X509Certificate(Buffer.from(t, 'base64'));
  } catch {
    throw new UsageError(`--trust-cert is not a base64 DER or PEM certificate: ${JSON.stringify(t.slice(0, 40))}${t.length > 40 ? '…' : ''}`);
  }
}

/** Our own keys for healthcode tokens: a saved trust list, else the local store's keys. */
async function healthcodeTrust(trustListFile: string | undefined, now: Date): Promise<TrustStore> {
  if (trustListFile) {
    let raw: unknown;
    try {
      raw = JSON.parse(fs.readFileSync(trustListFile, 'utf8'));
    } catch (e) {
      throw new UsageError(`--trust-list ${JSON.stringify(trustListFile)} is not a readable JSON file: ${(e as Error).message}`);
    }
    const body = raw as { jws?: unknown; trustList?: unknown };
    if (typeof body.jws === 'string' && body.trustList) {
      // the document names its own signing key; the signature is checked against the keys it lists
      const doc = parseTrustListDoc(body.trustList);
      return trustStoreFromList(verifyTrustList(body.jws, trustStoreFromList(doc), now));
    }
    throw new UsageError(`--trust-list ${JSON.stringify(trustListFile)} is not a saved /api/public/trust-list response`);
  }
  const config = loadConfig();
  if (config.databaseUrl.startsWith('sqlite:') && !fs.existsSync(config.databaseUrl.slice('sqlite:'.length))) return createTrustStore([]);
  const store = openStore(config.databaseUrl);
  try {
    const ring = await loadKeyRing(store.db).catch(() => null);
    return ring ? ring.trust : createTrustStore([]);
  } finally {
    await store.close();
  }
}

export function buildCli(): Command {
  const program = new Command('healthcode')
    .description('healthcode: explained colours, published rules, signed offline-verifiable codes')
    .exitOverride()
    .showHelpAfterError();

  program
    .command('serve')
    .description('run the server (migrates, creates a key and seeds the demo city on first start)')
    .action(async () => {
      await serve(loadConfig());
    });

  program
    .command('migrate')
    .description('apply database migrations (SQLite or PostgreSQL, from HEALTHCODE_DATABASE_URL)')
    .action(async () => {
      const store = openStore(loadConfig().databaseUrl);
      try {
        const applied = await migrateToLatest(store.db);
        console.log(applied.length ? `applied: ${applied.join(', ')}` : 'already up to date');
      } finally {
        await store.close();
      }
    });

  program
    .command('keys')
    .description('signing keys')
    .command('init')
    .description('create the signing key (does nothing if one is active, unless --rotate)')
    .option('--rotate', 'create a new active key; the old one stays trusted for codes it signed')
    .action(async (opts: { rotate?: boolean }) => {
      const config = loadConfig();
      const store = await prepareStore(config);
      try {
        const r = await initKeys(store.db, { region: config.region, now: systemClock.now(), rotate: opts.rotate === true });
        console.log(r.created ? `created signing key ${r.kid} (ES256, ${config.region})` : `signing key ${r.kid} is already active`);
      } finally {
        await store.close();
      }
    });

  program
    .command('demo')
    .description('seed the demo city: regions, venues, accounts, holders and a day of scans (idempotent)')
    .option('--holders <n>', 'number of holders', positiveInt('--holders', 1_000_000), 200)
    .option('--seed <n>', 'random seed', positiveInt('--seed', 2 ** 31), 1)
    .option('--scans <n>', 'average scans per holder per day', positiveInt('--scans', 50), 3)
    .action(async (opts: { holders: number; seed: number; scans: number }) => {
      const config = loadConfig();
      const store = await prepareStore(config);
      try {
        const now = systemClock.now();
        await initKeys(store.db, { region: config.region, now });
        const keys = (await loadKeyRing(store.db))!;
        const idHashKey = await ensureIdHashKey(store.db, cryptoRandom, now);
        const rules = await loadRuleBook(store.db, now);
        const bar = new cliProgress.SingleBar({ format: 'demo [{bar}] {value}/{total} holders | {percentage}% | ETA {eta}s' }, cliProgress.Presets.shades_classic);
        bar.start(opts.holders, 0);
        const s = await seedDemo(
          store.db,
          { holders: opts.holders, seed: opts.seed, scansPerHolder: opts.scans, onProgress: (d) => bar.update(d) },
          { now, random: cryptoRandom, keys, rules, idHashKey, timeZone: config.defaultTimeZone, liveCodeMinutes: config.liveCodeMinutes },
        );
        bar.stop();
        console.log(`holders created ${s.holdersCreated}, venues ${s.venues}, scans stored ${s.scansStored}, already there ${s.scansDuplicate}`);
      } finally {
        await store.close();
      }
    });

  program
    .command('recompute')
    .description('apply a ruleset that has come into force and every due transition now (what the server scheduler does; safe to run twice)')
    .option('--at <time>', 'as of this ISO 8601 time instead of now', isoTime)
    .action(async (opts: { at?: Date }) => {
      const config = loadConfig();
      const store = await prepareStore(config);
      try {
        const now = opts.at ?? systemClock.now();
        const ctx = { rules: await loadRuleBook(store.db, now), now, random: cryptoRandom };
        const applied = await applyRulesetInForce(store.db, ctx);
        console.log(
          applied
            ? `ruleset ${applied.version} applied: ${applied.assessed} holders assessed, ${applied.recorded} new assessments, ${applied.colourChanges} colour changes`
            : `ruleset ${ctx.rules.inForce(now).version} already applied`,
        );
        const due = await runDueTransitions(store.db, ctx);
        console.log(`due transitions: ${due.assessed} holders assessed, ${due.recorded} new assessments, ${due.colourChanges} colour changes`);
      } finally {
        await store.close();
      }
    });

  const imports = program.command('import').description('import lab results (idempotent: the same file twice changes nothing)');
  const runImport = async (file: string, kind: 'fhir' | 'csv') => {
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (e) {
      throw new UsageError(`${JSON.stringify(file)} is not readable: ${(e as Error).message}`);
    }
    const config = loadConfig();
    const store = await prepareStore(config);
    try {
      const now = systemClock.now();
      let parsed: { records: { at: string; record: LabRecord }[]; problems: { at: string; reason: string }[] };
      if (kind === 'fhir') {
        let doc: unknown;
        try {
          doc = JSON.parse(text);
        } catch (e) {
          throw new UsageError(`${JSON.stringify(file)} is not JSON: ${(e as Error).message}`);
        }
        parsed = parseFhirBundle(doc, now);
      } else {
        parsed = parseLabCsv(text, now);
      }
      const ctx = { now, random: cryptoRandom, rules: await loadRuleBook(store.db, now), idHashKey: await ensureIdHashKey(store.db, cryptoRandom, now) };
      const bar = new cliProgress.SingleBar({ format: `import ${kind} [{bar}] {value}/{total} records | {percentage}% | ETA {eta}s` }, cliProgress.Presets.shades_classic);
      bar.start(parsed.records.length, 0);
      const totals = { stored: 0, duplicates: 0, problems: [...parsed.problems], storedIds: [] as string[] };
      for (let i = 0; i < parsed.records.length; i += 200) {
        const r = await storeLabRecords(store.db, parsed.records.slice(i, i + 200), kind, ctx);
        totals.stored += r.stored;
        totals.duplicates += r.duplicates;
        totals.problems.push(...r.problems);
        totals.storedIds.push(...r.storedIds);
        bar.update(Math.min(i + 200, parsed.records.length));
      }
      bar.stop();
      const follow = await followUpResults(store.db, totals.storedIds, { ...ctx, actor: 'import', autoConfirm: config.autoConfirmCases, autoTrace: config.autoTrace });
      console.log(`stored ${totals.stored}, already there ${totals.duplicates}, rejected ${totals.problems.length}; cases confirmed ${follow.casesConfirmed.length}`);
      for (const t of follow.traces) console.log(`  case ${t.caseId}: ${t.closeContacts} close and ${t.secondaryContacts} secondary contacts, ${t.newExposures} new`);
      for (const p of totals.problems) console.error(`  ${p.at}: ${p.reason}`);
      if (totals.problems.length > 0) process.exitCode = 1;
    } finally {
      await store.close();
    }
  };
  imports
    .command('fhir')
    .description('a FHIR R4 Bundle of Observations (LOINC-coded SARS-CoV-2 tests) with the patients\' ID document numbers')
    .argument('<file>', 'the Bundle JSON')
    .action((file: string) => runImport(file, 'fhir'));
  imports
    .command('csv')
    .description(`a CSV file with the columns ${CSV_COLUMNS.join(', ')}`)
    .argument('<file>', 'the CSV file')
    .action((file: string) => runImport(file, 'csv'));

  program
    .command('trace')
    .description("trace (again) a confirmed case's contacts from the scans; re-running applies nothing twice")
    .argument('<case-id>', 'the case id')
    .action(async (caseId: string) => {
      const config = loadConfig();
      const store = await prepareStore(config);
      try {
        const now = systemClock.now();
        const r = await traceCase(store.db, caseId, { now, random: cryptoRandom, rules: await loadRuleBook(store.db, now), runBy: 'cli' });
        console.log(`case ${caseId}: ${r.caseVisits.length} visits; ${r.contacts.filter((c) => c.kind === 'close').length} close and ${r.contacts.filter((c) => c.kind === 'secondary').length} secondary contacts; ${r.newExposures} new`);
      } finally {
        await store.close();
      }
    });

  const rules = program.command('rules').description('published rulesets');
  rules
    .command('publish')
    .description('publish a ruleset file; it takes effect at --effective (at least the notice period ahead unless --emergency). Prints a dry run first.')
    .argument('<file>', 'the ruleset JSON document')
    .requiredOption('--effective <time>', 'when it takes effect, ISO 8601 with an offset', isoTime)
    .option('--emergency', 'allow less notice than the rules in force require; flagged on the transparency page')
    .option('--dry-run', 'only report how holders would change; publish nothing')
    .option('--by <name>', 'who publishes (recorded and shown)', 'operator')
    .action(async (file: string, opts: { effective: Date; emergency?: boolean; dryRun?: boolean; by: string }) => {
      let document: unknown;
      try {
        document = JSON.parse(fs.readFileSync(file, 'utf8'));
      } catch (e) {
        throw new UsageError(`${JSON.stringify(file)} is not a readable JSON file: ${(e as Error).message}`);
      }
      const config = loadConfig();
      const store = await prepareStore(config);
      try {
        const now = systemClock.now();
        const book = await loadRuleBook(store.db, now);
        const candidate = parseRuleset({ ...(document as object), effectiveFrom: opts.effective.toISOString() });
        console.log(formatDryRun(await dryRun(store.db, book, candidate, now)));
        if (opts.dryRun) return;
        const published = await publishRuleset(store.db, book, { document, effective: opts.effective, emergency: opts.emergency === true, publishedBy: opts.by }, now);
        console.log(`published ruleset ${published.version}, effective ${published.effectiveFrom}${opts.emergency ? ' (emergency: flagged publicly)' : ''}`);
      } finally {
        await store.close();
      }
    });
  rules
    .command('list')
    .description('every published ruleset')
    .action(async () => {
      const config = loadConfig();
      const store = await prepareStore(config);
      try {
        const now = systemClock.now();
        const book = await loadRuleBook(store.db, now);
        const inForce = book.entryInForce(now);
        for (const e of book.all()) {
          const state = e === inForce ? 'in force' : e.effectiveFrom.getTime() > now.getTime() ? 'upcoming' : 'superseded';
          console.log(`${e.ruleset.version}\teffective ${e.effectiveFrom.toISOString()}\t${state}${e.emergency ? '\temergency' : ''}`);
        }
      } finally {
        await store.close();
      }
    });

  program
    .command('verify')
    .description('verify a healthcode (HCQ1:) or an EU DCC (HC1:); prints one JSON object; exit 0 valid, 1 invalid, 2 bad usage')
    .argument('<qr-text>', 'the text of the QR code')
    .option('--trust-cert <cert>', 'a DCC signing certificate, base64 DER or PEM (repeatable)', (v: string, acc: string[]) => [...acc, v], [] as string[])
    .option('--trust-list <file>', 'a saved /api/public/trust-list response, for healthcodes (default: the local store\'s keys)')
    .option('--at <time>', 'verify as of this ISO 8601 time instead of now', isoTime)
    .action(async (text: string, opts: { trustCert: string[]; trustList?: string; at?: Date }) => {
      const now = opts.at ?? systemClock.now();
      const certs = opts.trustCert.map(parseCertificate);
      const trust = text.startsWith('HCQ1:') ? await healthcodeTrust(opts.trustList, now) : createTrustStore([]);
      const r = verifyAny(text, { trust, ...(certs.length ? { trustCerts: certs } : {}), now });
      console.log(JSON.stringify({ ok: r.ok, kind: r.kind, error: r.error, claims: r.claims }));
      process.exitCode = r.ok ? 0 : 1;
    });

  registerOpsCommands(program);
  registerDueProcessCommands(program);

  return program;
}

export async function runCli(argv: string[]): Promise<void> {
  try {
    await buildCli().parseAsync(argv);
  } catch (e) {
    if (e instanceof CommanderError) {
      process.exitCode = e.exitCode === 0 ? 0 : 2;
      return;
    }
    if (e instanceof RulesetError) {
      console.error(`healthcode: ruleset rejected: ${e.message}`);
      process.exitCode = 1;
      return;
    }
    if (e instanceof DomainError) {
      console.error(`healthcode: ${e.code}: ${e.message}`);
      process.exitCode = 1;
      return;
    }
    if (e instanceof UsageError || e instanceof ConfigError) {
      console.error(`healthcode: ${e.message}`);
      process.exitCode = 2;
      return;
    }
    console.error(`healthcode: ${e instanceof Error ? e.message : String(e)}`);
    process.exitCode = 1;
  }
}
