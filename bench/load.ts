// npm run bench:load [-- --seconds 10 --connections 50 --store sqlite|postgres --profile <dir> --only single|batch]
//
// autocannon against the real server (node bin/healthcode.js serve, a child process) on
//   1. POST /api/checkpoint/scans        one durable scan per request (group commit)
//   2. POST /api/checkpoint/scans/batch  1000 offline scans per request
// and against a Fastify hello-world started in the same run (the baseline), all on this
// machine's cores with autocannon. Prints req/s, p99 and the ratios; after each run counts the
// stored scans and compares them with the acknowledged ones (they must be equal). The batch
// rate is also compared with a bare batched insert of the same rows into a store with the same
// tables and indexes. PostgreSQL: HEALTHCODE_BENCH_PG_URL names a server where databases may be
// created. Nothing here asserts a time.
import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import pg from 'pg';
import { openStore } from '../src/db/connect.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import type { ScanTable } from '../src/db/schema.ts';
import { DEMO_PASSWORD, seedDemo } from '../src/features/demo/seed.ts';
import { ensureIdHashKey, initKeys, loadKeyRing } from '../src/features/keys/service.ts';
import { loadRuleBook } from '../src/features/rules/book.ts';
import { insertScans } from '../src/features/scans/writer.ts';
import { cryptoRandom } from '../src/support/clock.ts';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '10' },
    connections: { type: 'string', default: '50' },
    store: { type: 'string', default: 'sqlite' },
    holders: { type: 'string', default: '5' }, // holder log-ins are rate-limited per address (10 a minute)
    profile: { type: 'string' }, // a directory: the server runs with --cpu-prof and writes its profile there
    only: { type: 'string' }, // single | batch: measure one endpoint (a profile of that path alone)
  },
});
const SECONDS = Number(values.seconds);
if (values.only !== undefined && values.only !== 'single' && values.only !== 'batch') throw new Error(`--only takes single or batch, not ${JSON.stringify(values.only)}`);
const RUN_SINGLE = values.only !== 'batch';
const RUN_BATCH = values.only !== 'single';
const CONNECTIONS = Number(values.connections);
const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hc-bench-load-'));
const children: ChildProcess[] = [];
const cleanups: (() => Promise<void>)[] = [];

async function newDatabase(tag: string): Promise<string> {
  if (values.store !== 'postgres') return `sqlite:${path.join(dir, `${tag}.db`)}`;
  const admin = process.env.HEALTHCODE_BENCH_PG_URL;
  if (!admin) throw new Error('--store postgres needs HEALTHCODE_BENCH_PG_URL (a server where the bench may create databases)');
  const name = `hc_bench_${tag}_${crypto.randomBytes(3).toString('hex')}`;
  const c = new pg.Client({ connectionString: admin });
  await c.connect();
  await c.query(`create database ${name}`);
  await c.end();
  cleanups.push(async () => {
    const d = new pg.Client({ connectionString: admin });
    await d.connect();
    await d.query(`drop database if exists ${name} with (force)`);
    await d.end();
  });
  const u = new URL(admin);
  u.pathname = `/${name}`;
  return u.toString();
}

/** Starts a child process and resolves with the http://127.0.0.1:port its output names. */
function startChild(args: string[], env: Record<string, string>, pattern: RegExp): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'], cwd: ROOT });
  children.push(child);
  let out = '';
  return new Promise((resolve, reject) => {
    const onData = (d: Buffer) => {
      out += d.toString();
      const m = pattern.exec(out);
      if (m) resolve({ url: `http://127.0.0.1:${m[1]}`, child });
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`child exited with ${code}: ${out}`)));
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    const hard = setTimeout(() => child.kill('SIGKILL'), 15_000); // a drain that does not end is not waited for
    child.once('exit', () => {
      clearTimeout(hard);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

async function login(url: string, route: string, body: object, cookie: string): Promise<string> {
  const res = await fetch(url + route, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const set = res.headers.getSetCookie().find((c) => c.startsWith(`${cookie}=`));
  if (!set) throw new Error(`log-in failed: ${res.status} ${await res.text()}`);
  return set.split(';')[0]!;
}

interface Run {
  rps: number;
  p99: number;
  ok: number;
  non2xx: number;
  errors: number;
  timeouts: number;
}

async function cannon(opts: autocannon.Options): Promise<Run> {
  const started = performance.now();
  const r = await autocannon({ duration: SECONDS, connections: CONNECTIONS, ...opts });
  const secs = (performance.now() - started) / 1000;
  // with a fixed amount the run ends when every response is in: the rate is responses over the elapsed time
  const rps = opts.amount ? (r['2xx'] + r.non2xx) / secs : r.requests.average;
  return { rps, p99: r.latency.p99, ok: r['2xx'], non2xx: r.non2xx, errors: r.errors, timeouts: r.timeouts };
}

/**
 * A durable endpoint, measured so that every acknowledgement is seen: a 2-second warm-up finds
 * the rate, then a fixed number of requests (about SECONDS' worth) runs to its last response —
 * a duration-bounded run would cut off requests the server has already committed. The measured
 * run's event ids start with its own tag, so its stored scans are counted exactly.
 */
async function measured(opts: autocannon.Options, url: string): Promise<{ run: Run; stored: number }> {
  runTag = 'ffffffff'; // the warm-up's ids are not counted
  const warm = await autocannon({ ...opts, duration: 2, connections: opts.connections ?? CONNECTIONS });
  const amount = Math.max(4 * (opts.connections ?? CONNECTIONS), Math.round(warm.requests.average * SECONDS));
  runTag = crypto.randomBytes(4).toString('hex');
  const run = await cannon({ ...opts, amount });
  return { run, stored: await countScans(url, runTag) };
}

/** Scans stored whose event id starts with `tag` (each measured run tags its ids). */
async function countScans(url: string, tag: string): Promise<number> {
  const store = openStore(url);
  try {
    const r = await store.db.selectFrom('scans').select((e) => e.fn.countAll().as('n')).where('event_id', 'like', `${tag}%`).executeTakeFirstOrThrow();
    return Number(r.n);
  } finally {
    await store.close();
  }
}

/** The tag of the run whose requests are being built (event ids start with it). */
let runTag = 'ffffffff';

async function main(): Promise<void> {
  console.log(`bench:load — ${values.store}, ${SECONDS} s per run, ${CONNECTIONS} connections, ${os.cpus().length} cores shared by server and autocannon`);

  const step = (m: string) => process.stderr.write(`… ${m}\n`);
  // 1. the baseline: Fastify hello-world in its own process
  step('hello-world baseline');
  const hello = await startChild(
    ['-e', "const f=require('fastify')();f.get('/',async()=>({hello:'world'}));f.listen({port:0,host:'127.0.0.1'}).then(a=>console.log('port '+new URL(a).port))"],
    {},
    /port (\d+)/,
  );
  const base = await cannon({ url: `${hello.url}/` });
  await stopChild(hello.child);

  // 2. healthcode: a store with the demo accounts and venues, the real server
  step('seeding the store, starting the server');
  const url = await newDatabase('server');
  {
    const store = openStore(url);
    await migrateToLatest(store.db);
    const now = new Date();
    await initKeys(store.db, { region: 'CN-LX', now });
    await seedDemo(
      store.db,
      { holders: Number(values.holders), seed: 1, scansPerHolder: 1 },
      {
        now,
        random: cryptoRandom,
        keys: (await loadKeyRing(store.db))!,
        rules: await loadRuleBook(store.db, now),
        idHashKey: await ensureIdHashKey(store.db, cryptoRandom, now),
        timeZone: 'Asia/Shanghai',
        liveCodeMinutes: 60,
      },
    );
    await store.close();
  }
  const server = await startChild(
    [...(values.profile ? ['--cpu-prof', `--cpu-prof-dir=${values.profile}`] : []), 'bin/healthcode.js', 'serve'],
    {
      HEALTHCODE_DATABASE_URL: url,
      HEALTHCODE_DATA_DIR: dir,
      PORT: '0',
      HOST: '127.0.0.1',
      HEALTHCODE_SEED_DEMO: 'false',
      HEALTHCODE_SCHEDULER_SECONDS: '0',
      HEALTHCODE_LOG_LEVEL: 'warn',
      HEALTHCODE_LIVE_CODE_MINUTES: '60',
      // every request here comes from one checkpoint account: the limiter runs, at a bound it never reaches
      HEALTHCODE_RATE_CHECKPOINT_PER_MINUTE: '100000000',
    },
    /holder app\s+http:\/\/localhost:(\d+)\//,
  );
  const staff = await login(server.url, '/api/staff/login', { username: 'checkpoint1', password: DEMO_PASSWORD }, 'hc_staff');
  const tokens: string[] = [];
  for (let i = 1; i <= Number(values.holders); i++) {
    const cookie = await login(server.url, '/api/holder/login', { phone: `1380000${String(i).padStart(4, '0')}`, password: DEMO_PASSWORD }, 'hc_holder');
    tokens.push(((await (await fetch(`${server.url}/api/holder/code`, { headers: { cookie } })).json()) as { token: string }).token);
  }
  const venues = ['V0001', 'V0002', 'V0005', 'V0008', 'V0012'];
  let k = 0;
  const scanBody = (mode: string) =>
    ({ eventId: runTag + crypto.randomUUID().slice(8), venueId: venues[k % venues.length], code: tokens[k++ % tokens.length], scannedAt: new Date().toISOString(), mode });
  const headers = { 'content-type': 'application/json', cookie: staff };

  const f = (n: number) => Math.round(n).toLocaleString('en');
  const lines: string[] = [`Fastify hello-world (baseline)       ${f(base.rps)} req/s   p99 ${base.p99} ms`];
  const checks: string[] = [];
  let lost = false;

  if (RUN_SINGLE) {
    step('single scans');
    const { run: single, stored } = await measured(
      { url: `${server.url}/api/checkpoint/scans`, requests: [{ method: 'POST', headers, setupRequest: (req) => ({ ...req, body: JSON.stringify(scanBody('camera')) }) }] },
      url,
    );
    lines.push(`POST /api/checkpoint/scans            ${f(single.rps)} req/s   p99 ${single.p99} ms   ratio ${(single.rps / base.rps).toFixed(2)} × hello-world (target ≥ 0.5)`);
    checks.push(`single: acknowledged ${f(single.ok)} (non-2xx ${single.non2xx}, errors ${single.errors}, timeouts ${single.timeouts}); stored ${f(stored)} → ${stored === single.ok ? 'equal' : 'NOT EQUAL'}`);
    lost ||= stored !== single.ok;
  }

  if (RUN_BATCH) {
    step('batch sync');
    const BATCH = 1000;
    const batchConnections = 4;
    const { run: batch, stored } = await measured(
      {
        url: `${server.url}/api/checkpoint/scans/batch`,
        connections: batchConnections,
        timeout: 120,
        requests: [{ method: 'POST', headers, setupRequest: (req) => ({ ...req, body: JSON.stringify({ events: Array.from({ length: BATCH }, () => scanBody('offline_sync')) }) }) }],
      },
      url,
    );
    await stopChild(server.child);

    step('bare batched insert');
    // the batch baseline: the same rows, inserted bare (1000 per transaction) into a fresh store with the same indexes
    const bareUrl = await newDatabase('bare');
    const bareStore = openStore(bareUrl);
    await migrateToLatest(bareStore.db);
    const template = JSON.stringify({ ok: true, pass: true, error: null, colour: 'green', maskedName: 'Z** Wei', birthYear: 1990, validUntil: new Date().toISOString(), region: 'CN-LX', rulesetVersion: 'x' });
    const row = (): ScanTable => {
      const now = Date.now();
      return {
        event_id: crypto.randomUUID(), venue_id: venues[k++ % venues.length]!, operator_id: 'op', holder_id: crypto.randomUUID(), code_id: crypto.randomBytes(16).toString('hex'),
        scanned_at: now, received_at: now, mode: 'offline_sync', direction: null, temperature_c: null, verdict_ok: 1, verdict_error: null, verdict_colour: 'green',
        verdict: template, fingerprint: crypto.randomBytes(32).toString('hex'),
      };
    };
    let bareRows = 0;
    const bareStart = performance.now();
    while (performance.now() - bareStart < SECONDS * 1000) {
      const rows = Array.from({ length: BATCH }, row);
      await insertScans(bareStore.db, rows);
      bareRows += rows.length;
    }
    const bareRate = (bareRows * 1000) / (performance.now() - bareStart);
    await bareStore.close();
    const batchEvents = batch.rps * BATCH;
    lines.push(
      `POST /api/checkpoint/scans/batch      ${f(batch.rps)} req/s × ${BATCH} = ${f(batchEvents)} scans/s   p99 ${batch.p99} ms (${batchConnections} connections)   ` +
        `ratio ${(batchEvents / bareRate).toFixed(2)} × bare batched insert (target ≥ 0.5)`,
      `bare batched insert, same tables     ${f(bareRate)} rows/s (1000 rows per transaction)`,
    );
    checks.push(`batch:  acknowledged ${f(batch.ok * BATCH)} events (non-2xx ${batch.non2xx}, errors ${batch.errors}, timeouts ${batch.timeouts}); stored ${f(stored)} → ${stored === batch.ok * BATCH ? 'equal' : 'NOT EQUAL'}`);
    lost ||= stored !== batch.ok * BATCH;
  }
  await stopChild(server.child);

  console.log(['', ...lines, '', ...checks].join('\n'));
  if (lost) process.exitCode = 1;
}

try {
  await main();
} finally {
  for (const c of children) await stopChild(c);
  for (const c of cleanups) await c();
  fs.rmSync(dir, { recursive: true, force: true });
}
