// npm run bench:trace [-- --scans 10000000 --cases 20 --store sqlite|postgres|both]
//
// Builds a synthetic city's scans (loaded in bulk, indexes built after the load), confirms cases
// among its holders, and times tracing each case (src/features/tracing findContacts: the case's
// visits, the people at those venues around those times, their visits, the overlap rules)
// against the bare indexed range queries for the case's visits — the venue/time look-ups any
// tracer must make — measured in the same run on the same store. Tracing should cost a small
// multiple of those queries, growing with the case's visits and the people met, not the table.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { sql } from 'kysely';
import { DEFAULT_RULESET } from '../src/core/rules/default.ts';
import { visitsFromScans } from '../src/core/tracing/visits.ts';
import { openStore, type Store } from '../src/db/connect.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { seededRandom } from '../src/features/demo/city.ts';
import { RuleBook } from '../src/features/rules/book.ts';
import { findContacts } from '../src/features/tracing/service.ts';

const { values } = parseArgs({
  options: {
    scans: { type: 'string', default: '10000000' },
    cases: { type: 'string', default: '20' },
    store: { type: 'string', default: process.env.HEALTHCODE_BENCH_PG_URL ? 'both' : 'sqlite' },
    seed: { type: 'string', default: '1' },
  },
});
const SCANS = Math.round(Number(values.scans));
const CASES = Number(values.cases);
if (!Number.isFinite(SCANS) || SCANS < 10_000) throw new Error(`--scans must be ≥ 10000, got ${values.scans}`);

const DAY = 86_400_000;
const MIN = 60_000;
const DAYS = 14;
const END = Date.parse('2026-11-23T00:00:00Z');
const START = END - DAYS * DAY;
const HOLDERS = Math.max(1000, Math.round(SCANS / (DAYS * 2.5)));
const VENUES = Math.max(100, Math.min(20_000, Math.round(SCANS / 500)));
const rules = RuleBook.of(DEFAULT_RULESET);
const p = DEFAULT_RULESET.parameters;

/** The city's scans, generated in holder order: each holder scans 1–4 times a day at venues near home. */
function* generate(): Generator<[string, string, string, number, string | null]> {
  const rnd = seededRandom(Number(values.seed));
  let n = 0;
  for (let h = 0; h < HOLDERS && n < SCANS; h++) {
    const holder = `h${String(h).padStart(8, '0')}`;
    const home = Math.floor(rnd() * VENUES);
    for (let d = 0; d < DAYS && n < SCANS; d++) {
      const k = 1 + Math.floor(rnd() * 4);
      let t = START + d * DAY + (7 + rnd() * 3) * 3_600_000;
      for (let i = 0; i < k && n < SCANS; i++) {
        const venue = (home + Math.floor((rnd() - 0.5) * 40) + VENUES) % VENUES;
        t += Math.floor((30 + rnd() * 150) * MIN);
        yield [`e${n}`, `V${venue}`, holder, Math.floor(t / 1000) * 1000, null];
        n++;
      }
    }
  }
}

async function loadSqlite(file: string): Promise<Store> {
  const store = openStore(`sqlite:${file}`);
  await migrateToLatest(store.db);
  await store.close();
  const db = new SQLite(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF'); // a benchmark's bulk load; the server never runs this way
  db.exec('drop index if exists scans_venue_time; drop index if exists scans_holder_time;');
  const ins = db.prepare(
    `insert into scans (event_id, venue_id, operator_id, holder_id, code_id, scanned_at, received_at, mode, direction, temperature_c, verdict_ok, verdict_error, verdict_colour, verdict, fingerprint)
     values (?, ?, null, ?, null, ?, ?, 'camera', ?, null, 1, null, 'green', '{}', '')`,
  );
  const t0 = performance.now();
  let batch: [string, string, string, number, string | null][] = [];
  const flush = db.transaction((rows: typeof batch) => {
    for (const r of rows) ins.run(r[0], r[1], r[2], r[3], r[3], r[4]);
  });
  let n = 0;
  for (const row of generate()) {
    batch.push(row);
    if (batch.length === 100_000) {
      flush(batch);
      n += batch.length;
      batch = [];
      process.stderr.write(`\rsqlite: loading ${n.toLocaleString('en')} scans`);
    }
  }
  flush(batch);
  n += batch.length;
  process.stderr.write(`\rsqlite: loaded ${n.toLocaleString('en')} scans in ${((performance.now() - t0) / 1000).toFixed(0)} s; indexing…\n`);
  const t1 = performance.now();
  db.exec('create index scans_venue_time on scans (venue_id, scanned_at, holder_id); create index scans_holder_time on scans (holder_id, scanned_at); analyze;');
  process.stderr.write(`sqlite: indexes built in ${((performance.now() - t1) / 1000).toFixed(0)} s\n`);
  db.close();
  return openStore(`sqlite:${file}`);
}

async function loadPostgres(url: string): Promise<Store> {
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  const name = `hc_bench_trace_${process.pid}`;
  await admin.query(`drop database if exists ${name}`);
  await admin.query(`create database ${name}`);
  await admin.end();
  const u = new URL(url);
  u.pathname = `/${name}`;
  const store = openStore(u.toString());
  await migrateToLatest(store.db);
  // partitions for the benchmark's days (the maintenance job makes them around today)
  for (let d = START / DAY - 1; d <= END / DAY + 1; d++) {
    const part = `scans_d${new Date(d * DAY).toISOString().slice(0, 10).replaceAll('-', '')}`;
    await sql`create table if not exists ${sql.table(part)} partition of scans for values from (${sql.lit(d * DAY)}) to (${sql.lit((d + 1) * DAY)})`.execute(store.db);
  }
  const client = new pg.Client({ connectionString: u.toString() });
  await client.connect();
  await client.query('drop index if exists scans_venue_time; drop index if exists scans_holder_time;');
  const t0 = performance.now();
  let batch: [string, string, string, number, string | null][] = [];
  let n = 0;
  const flush = async () => {
    if (batch.length === 0) return;
    const params: unknown[] = [];
    const rows = batch.map((r, i) => {
      params.push(r[0], r[1], r[2], r[3]);
      return `($${i * 4 + 1}, $${i * 4 + 2}, null, $${i * 4 + 3}, null, $${i * 4 + 4}, $${i * 4 + 4}, 'camera', null, null, 1, null, 'green', '{}', '')`;
    });
    await client.query(
      `insert into scans (event_id, venue_id, operator_id, holder_id, code_id, scanned_at, received_at, mode, direction, temperature_c, verdict_ok, verdict_error, verdict_colour, verdict, fingerprint) values ${rows.join(',')}`,
      params,
    );
    n += batch.length;
    batch = [];
  };
  await client.query('begin');
  for (const row of generate()) {
    batch.push(row);
    if (batch.length === 5000) {
      await flush();
      if (n % 200_000 === 0) {
        await client.query('commit');
        await client.query('begin');
        process.stderr.write(`\rpostgres: loading ${n.toLocaleString('en')} scans`);
      }
    }
  }
  await flush();
  await client.query('commit');
  process.stderr.write(`\rpostgres: loaded ${n.toLocaleString('en')} scans in ${((performance.now() - t0) / 1000).toFixed(0)} s; indexing…\n`);
  const t1 = performance.now();
  await client.query('create index scans_venue_time on scans (venue_id, scanned_at, holder_id); create index scans_holder_time on scans (holder_id, scanned_at); analyze scans;');
  process.stderr.write(`postgres: indexes built in ${((performance.now() - t1) / 1000).toFixed(0)} s\n`);
  await client.end();
  return store;
}

async function bench(store: Store, label: string): Promise<void> {
  const db = store.db;
  // cases: holders spread over the table, infectious over the last 4 days
  const now = new Date(END);
  const caseIds: string[] = [];
  for (let i = 0; i < CASES; i++) {
    const holder = `h${String(Math.floor(((i + 0.5) / CASES) * HOLDERS)).padStart(8, '0')}`;
    const id = `case-${i}`;
    caseIds.push(id);
    await sql`insert into holders (id, name, id_hash, id_last4, date_of_birth, phone, region, time_zone, password_hash, created_at)
      values (${holder}, 'Bench', ${holder}, '0000', '1980-01-01', ${`p-${holder}`}, 'CN-LX-01', 'Asia/Shanghai', 'x', 0) on conflict do nothing`.execute(db);
    await sql`insert into lab_results (id, holder_id, kind, result, sampled_at, reported_at, verified, lab, source, created_at, external_id, review)
      values (${`lab-${i}`}, ${holder}, 'pcr', 'positive', ${END - 2 * DAY}, ${END - DAY}, 1, 'bench', 'bench', 0, ${`lab-${i}`}, 'verified') on conflict do nothing`.execute(db);
    await sql`insert into cases (id, holder_id, lab_result_id, onset_at, sampled_at, confirmed_at, infectious_from, infectious_to, confirmed_by)
      values (${id}, ${holder}, ${`lab-${i}`}, null, ${END - 2 * DAY}, ${END}, ${END - 4 * DAY}, ${END}, 'bench') on conflict do nothing`.execute(db);
  }
  // warm both paths once
  await findContacts(db, caseIds[0]!, rules, now);
  let traceMs = 0;
  let bareMs = 0;
  let visits = 0;
  let contacts = 0;
  for (const id of caseIds) {
    const t0 = performance.now();
    const r = await findContacts(db, id, rules, now);
    traceMs += performance.now() - t0;
    visits += r.caseVisits.length;
    contacts += r.contacts.length;
    // the bare queries: the case's own scans, and one indexed venue/time range per visit
    const t1 = performance.now();
    const c = r.case;
    const own = await db
      .selectFrom('scans')
      .select(['venue_id', 'scanned_at', 'direction'])
      .where('holder_id', '=', c.holder_id)
      .where('scanned_at', '>=', c.infectious_from - p.defaultStayMinutes * MIN)
      .where('scanned_at', '<=', c.infectious_to)
      .execute();
    const vs = visitsFromScans(c.holder_id, own.map((s) => ({ venueId: s.venue_id, at: s.scanned_at, direction: null })), p.defaultStayMinutes * MIN);
    for (const v of vs) {
      await db
        .selectFrom('scans')
        .select(['holder_id', 'scanned_at'])
        .where('venue_id', '=', v.venueId)
        .where('scanned_at', '>=', v.start - p.defaultStayMinutes * MIN)
        .where('scanned_at', '<=', v.end + p.secondaryWindowMinutes * MIN)
        .execute();
    }
    bareMs += performance.now() - t1;
  }
  console.log(
    `${label}: ${SCANS.toLocaleString('en')} scans, ${HOLDERS.toLocaleString('en')} holders, ${VENUES.toLocaleString('en')} venues — ${CASES} cases, ${(visits / CASES).toFixed(1)} visits and ${(contacts / CASES).toFixed(1)} contacts per case`,
  );
  console.log(`  trace one case: ${(traceMs / CASES).toFixed(2)} ms; bare indexed range queries for its visits: ${(bareMs / CASES).toFixed(2)} ms`);
  console.log(`  ratio: trace ÷ bare = ${(traceMs / bareMs).toFixed(2)} (target ≤ 2)`);
}

async function main(): Promise<void> {
  console.log(`bench:trace — ${os.cpus().length} cores, Node ${process.version}`);
  if (values.store === 'sqlite' || values.store === 'both') {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hc-bench-trace-'));
    try {
      const store = await loadSqlite(path.join(dir, 'trace.db'));
      try {
        await bench(store, 'sqlite');
      } finally {
        await store.close();
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }
  if (values.store === 'postgres' || values.store === 'both') {
    const url = process.env.HEALTHCODE_BENCH_PG_URL;
    if (!url) throw new Error('--store postgres needs HEALTHCODE_BENCH_PG_URL (a server where the benchmark may create a database)');
    const store = await loadPostgres(url);
    try {
      await bench(store, 'postgres');
    } finally {
      await store.close();
      const admin = new pg.Client({ connectionString: url });
      await admin.connect();
      await admin.query(`drop database if exists hc_bench_trace_${process.pid} with (force)`);
      await admin.end();
    }
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
