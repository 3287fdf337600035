// npm run bench:assess [-- --holders 1000000 --store sqlite|postgres]
//
// Re-assess every holder after a rule change, through the same job the scheduler runs
// (applyRulesetInForce: bulk fact gathering, pure evaluation, writes only where something
// changed), and compare it with a bare full scan of the same rows (holders, their status and
// every fact table the rules read) measured in the same run on the same store.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { DEFAULT_RULESET } from '../src/core/rules/default.ts';
import { openStore } from '../src/db/connect.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { loadRuleBook } from '../src/features/rules/book.ts';
import { publishRuleset } from '../src/features/rules/service.ts';
import { applyRulesetInForce } from '../src/features/status/jobs.ts';
import { seededRandom } from '../src/features/demo/city.ts';
import { cryptoRandom } from '../src/support/clock.ts';
import type { CheckInTable, DeclarationTable, ExposureTable, HolderTable, LabResultTable } from '../src/db/schema.ts';

const { values } = parseArgs({
  options: {
    holders: { type: 'string', default: '1000000' },
    store: { type: 'string', default: 'sqlite' },
    seed: { type: 'string', default: '1' },
  },
});
const N = Number(values.holders);
if (!Number.isInteger(N) || N < 1000) throw new Error(`--holders must be a whole number ≥ 1000, got ${values.holders}`);

const DAY = 86_400_000;
const now = new Date('2026-11-23T08:00:00Z');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hc-bench-assess-'));
const url = values.store === 'postgres' ? process.env.HEALTHCODE_BENCH_PG_URL : `sqlite:${path.join(dir, 'bench.db')}`;
if (!url) throw new Error('--store postgres needs HEALTHCODE_BENCH_PG_URL (an empty database)');
const store = openStore(url);
const { db } = store;

function rate(n: number, ms: number): string {
  return `${Math.round((n / ms) * 1000).toLocaleString('en')}/s`;
}

async function build(): Promise<void> {
  await migrateToLatest(db);
  const rnd = seededRandom(Number(values.seed));
  const t0 = performance.now();
  const BATCH = 1000;
  for (let i = 0; i < N; i += BATCH) {
    const holders: HolderTable[] = [];
    const declarations: DeclarationTable[] = [];
    const labs: LabResultTable[] = [];
    const exposures: ExposureTable[] = [];
    const checkIns: CheckInTable[] = [];
    for (let j = i; j < Math.min(i + BATCH, N); j++) {
      const id = `h${String(j).padStart(8, '0')}`;
      holders.push({
        id,
        name: 'Bench Holder',
        id_hash: id,
        id_last4: '0000',
        date_of_birth: '1980-01-01',
        phone: `1${String(j).padStart(10, '0')}`,
        region: 'CN-LX-01',
        time_zone: 'Asia/Shanghai',
        password_hash: 'x',
        created_at: now.getTime() - 30 * DAY,
      });
      const r = rnd();
      // a synthetic city in an outbreak: 5 % declared symptoms (6 days ago), 2 % close and
      // 3 % secondary contacts, 1 % confirmed cases; half of those check in daily
      if (r < 0.05) declarations.push({ id: `d${j}`, holder_id: id, symptoms: '["cough"]', temperature_c: null, places_visited: '[]', declared_at: now.getTime() - 6 * DAY });
      else if (r < 0.1) {
        exposures.push({
          id: `e${j}`,
          holder_id: id,
          kind: r < 0.07 ? ('close' as const) : ('secondary' as const),
          last_exposure_at: now.getTime() - 5 * DAY,
          notified_at: now.getTime() - 4 * DAY,
          venue_id: 'V0001',
          venue_name: 'Wanbo Plaza',
          minutes: r < 0.07 ? 40 : 10,
          source_ref: null,
        });
      } else if (r < 0.11) {
        labs.push({ id: `l${j}`, holder_id: id, kind: 'pcr', result: 'positive', sampled_at: now.getTime() - 3 * DAY, reported_at: now.getTime() - 2 * DAY, verified: 1, lab: 'bench', source: 'official', created_at: now.getTime(), external_id: null, review: 'verified' });
      }
      if (r < 0.11 && rnd() < 0.5) {
        for (let d = 0; d < 6; d++) {
          const at = now.getTime() - d * DAY;
          checkIns.push({ id: `c${j}-${d}`, holder_id: id, at, local_date: new Date(at + 8 * 3_600_000).toISOString().slice(0, 10), temperature_c: null });
        }
      }
    }
    await db.transaction().execute(async (trx) => {
      await trx.insertInto('holders').values(holders).execute();
      if (declarations.length) await trx.insertInto('declarations').values(declarations).execute();
      if (labs.length) await trx.insertInto('lab_results').values(labs).execute();
      if (exposures.length) await trx.insertInto('exposures').values(exposures).execute();
      for (let k = 0; k < checkIns.length; k += 500) await trx.insertInto('check_ins').values(checkIns.slice(k, k + 500)).execute();
    });
    if ((i / BATCH) % 100 === 0) process.stderr.write(`\rbuilding: ${i.toLocaleString('en')} holders`);
  }
  process.stderr.write(`\rbuilding: ${N.toLocaleString('en')} holders in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
}

/** The bare baseline: read the same rows the job reads, in the same holder-id batches, and do nothing with them. */
async function bareScan(): Promise<number> {
  let after = '';
  let rows = 0;
  const t0 = performance.now();
  for (;;) {
    const batch = await db.selectFrom('holders').select(['id', 'time_zone', 'date_of_birth']).where('id', '>', after).orderBy('id').limit(1000).execute();
    if (batch.length === 0) break;
    const ids = batch.map((h) => h.id);
    const parts = await Promise.all([
      db.selectFrom('holder_status').selectAll().where('holder_id', 'in', ids).execute(),
      db.selectFrom('declarations').selectAll().where('holder_id', 'in', ids).execute(),
      db.selectFrom('lab_results').selectAll().where('holder_id', 'in', ids).execute(),
      db.selectFrom('exposures').selectAll().where('holder_id', 'in', ids).execute(),
      db.selectFrom('discharges').selectAll().where('holder_id', 'in', ids).execute(),
      db.selectFrom('check_ins').selectAll().where('holder_id', 'in', ids).execute(),
    ]);
    rows += batch.length + parts.reduce((n, p) => n + p.length, 0);
    after = ids[ids.length - 1]!;
  }
  const ms = performance.now() - t0;
  console.log(`bare scan of the same rows: ${rows.toLocaleString('en')} rows in ${(ms / 1000).toFixed(2)} s — ${rate(N, ms)} holders`);
  return ms;
}

async function main(): Promise<void> {
  console.log(`bench:assess — ${N.toLocaleString('en')} holders on ${store.dialect}, ${os.cpus().length} cores, Node ${process.version}`);
  await build();
  let book = await loadRuleBook(db, now);
  const t1 = performance.now();
  const first = await applyRulesetInForce(db, { rules: book, now, random: cryptoRandom });
  const firstMs = performance.now() - t1;
  console.log(`first assessment of everyone (${first?.version}): ${first?.recorded.toLocaleString('en')} recorded in ${(firstMs / 1000).toFixed(2)} s — ${rate(N, firstMs)} holders`);

  // the rule change: home observation shortened from 7 to 5 days, effective with notice
  const doc = { ...DEFAULT_RULESET.document, version: '2026.12.0', parameters: { ...DEFAULT_RULESET.document.parameters, yellowDays: 5 } };
  const publishedAt = new Date(now.getTime() - 3 * DAY);
  await publishRuleset(db, book, { document: doc, effective: now, emergency: false, publishedBy: 'bench' }, publishedAt);
  book = await loadRuleBook(db, now);

  await sql`select 1`.execute(db);
  const bareMs = await bareScan();
  const t2 = performance.now();
  const change = await applyRulesetInForce(db, { rules: book, now, random: cryptoRandom });
  const changeMs = performance.now() - t2;
  console.log(
    `re-assessment after the rule change: ${change!.assessed.toLocaleString('en')} holders in ${(changeMs / 1000).toFixed(2)} s — ${rate(N, changeMs)} holders; ${change!.recorded.toLocaleString('en')} new assessments, ${change!.colourChanges.toLocaleString('en')} colour changes`,
  );
  const bareAgain = await bareScan();
  const baseline = Math.min(bareMs, bareAgain);
  console.log(`ratio: re-assessment ÷ bare scan = ${(baseline / changeMs).toFixed(2)} (target ≥ 0.3)`);
}

main()
  .finally(async () => {
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  })
  .catch((e: unknown) => {
    console.error(e);
    process.exitCode = 1;
  });
