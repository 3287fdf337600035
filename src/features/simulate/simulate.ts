// `healthcode simulate`: writes the synthetic city (city.ts) into the store through the bulk
// path. What it shares with the HTTP ingest path: the scan rows go through insertScansIn (the
// event-id ledger, exactly once, the same tables and indexes), each scan's time is checked by
// checkScanTime (retention, clock skew) and its venue against the venues in the store. What it
// skips: no code is signed or verified per scan (code_id is null; the verdict is the one the
// holder's valid code would have given at that moment: green, or yellow for a holder who
// declared symptoms and went out anyway), and the operator is the simulator's own account.
// Declared symptoms of the outbreak are written as declarations, a risk area is declared where
// most cases live.
//
// Resumable: the work is cut into units (static rows, holder chunks, then one unit per day and
// holder chunk of scans); each unit commits with its progress in job_checkpoints, in the same
// transaction. A restart with the same parameters regenerates only the units not yet done (every
// unit is a pure function of the parameters). Different parameters are refused.
import crypto from 'node:crypto';
import type { Kysely } from 'kysely';
import { maskName } from '../../core/holders/mask.ts';
import { localDate, startOfLocalDate } from '../../core/time/zones.ts';
import { dayOf, ensureScanPartitions, isPostgres } from '../../db/partitions.ts';
import type { Database, DeclarationTable, HolderTable, ScanTable } from '../../db/schema.ts';
import { DEMO_REGIONS } from '../demo/city.ts';
import { idHash } from '../holders/model.ts';
import { checkScanTime, RETENTION_DAYS } from '../scans/service.ts';
import { insertScansIn } from '../scans/writer.ts';
import {
  DECLARES_ON,
  dayVisits,
  isolated,
  simHolder,
  simulateOutbreak,
  VenueIndex,
  YELLOW_DAYS,
  type CityParams,
  type SimHolder,
} from './city.ts';

export const JOB = 'simulate';
export const SIM_OPERATOR = 'simulator';
const HOLDER_CHUNK = 5000;
const SCAN_CHUNK = 20_000; // holders per scan unit (≈ 40–60 k scans)
const ROWS_PER_STATEMENT = 1000;

export class SimulateError extends Error {
  override name = 'SimulateError';
}

export interface SimulateContext {
  now: Date;
  timeZone: string;
  region: string;
  idHashKey: Buffer;
  /** one argon2 hash shared by every simulated holder (hashing a million passwords is not the point) */
  passwordHash: string;
  rulesetVersion: string;
}

export interface SimulateProgress {
  phase: 'outbreak' | 'write';
  done: number;
  total: number;
  scans: number;
}

export interface SimulateSummary {
  holders: number;
  venues: number;
  days: number;
  scansWritten: number;
  declarations: number;
  infected: number;
  indexCases: number;
  resumedFrom: number;
  units: number;
}

/** Ordered ids (sim1-00000042): each unit's holders are neighbours in every index keyed by holder. */
export function simHolderId(seed: number, i: number): string {
  return `sim${seed}-${String(i).padStart(8, '0')}`;
}

export function simPhone(i: number): string {
  return `15${String(i).padStart(9, '0')}`;
}

function stableUuid(text: string): string {
  const h = crypto.createHash('sha256').update(text).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** A time-ordered (UUIDv7 layout) event id, unique per (instant, holder, day, visit). */
function eventId(ms: number, holder: number, day: number, k: number, seed: number): string {
  const t = ms.toString(16).padStart(12, '0');
  const hx = (n: number, w: number) => (n >>> 0).toString(16).padStart(w, '0').slice(-w);
  return `${t.slice(0, 8)}-${t.slice(8, 12)}-7${hx(k, 3)}-${hx(0x8000 | (seed & 0x3fff), 4)}-${hx(holder, 8)}${hx(day, 4)}`;
}

export function validateParams(p: CityParams): void {
  const bad = (m: string) => {
    throw new SimulateError(m);
  };
  if (!Number.isInteger(p.holders) || p.holders < 1 || p.holders > 10_000_000) bad('--holders must be from 1 to 10,000,000');
  if (!Number.isInteger(p.venues) || p.venues < 10 || p.venues > 1_000_000) bad('--venues must be from 10 to 1,000,000');
  if (!Number.isInteger(p.days) || p.days < 1 || p.days >= RETENTION_DAYS) bad(`--days must be from 1 to ${RETENTION_DAYS - 1} (scans older than the retention period are refused)`);
  if (!Number.isInteger(p.seed) || p.seed < 0) bad('--seed must be a whole number');
}

export async function simulateCity(
  db: Kysely<Database>,
  p: CityParams,
  ctx: SimulateContext,
  onProgress?: (s: SimulateProgress) => void,
): Promise<SimulateSummary> {
  validateParams(p);
  const params = JSON.stringify({ holders: p.holders, venues: p.venues, days: p.days, seed: p.seed });
  const prior = await db.selectFrom('job_checkpoints').selectAll().where('job', '=', JOB).executeTakeFirst();
  if (prior && prior.params !== params) {
    throw new SimulateError(`this store holds a simulation with other parameters (${prior.params}); simulate again with those to resume it`);
  }

  // the simulated days end yesterday, in the city's time zone; scan times are checked against now
  const today = localDate(ctx.now, ctx.timeZone);
  const firstDate = localDate(new Date(startOfLocalDate(today, ctx.timeZone).getTime() - p.days * 86_400_000 + 43_200_000), ctx.timeZone);
  const dayStart: number[] = [];
  const weekday: number[] = [];
  for (let d = 0; d < p.days; d++) {
    const noon = startOfLocalDate(firstDate, ctx.timeZone).getTime() + d * 86_400_000 + 43_200_000;
    const date = localDate(new Date(noon), ctx.timeZone);
    dayStart.push(startOfLocalDate(date, ctx.timeZone).getTime());
    weekday.push(new Date(`${date}T12:00:00Z`).getUTCDay());
  }

  const venues = new VenueIndex(p.seed, p.venues);
  const holders: SimHolder[] = Array.from({ length: p.holders }, (_, i) => simHolder(p.seed, i, venues));
  const outbreak = simulateOutbreak(p, venues, (i) => holders[i]!, (d) => weekday[d]!, (d) =>
    onProgress?.({ phase: 'outbreak', done: d + 1, total: p.days, scans: 0 }),
  );

  const holderUnits = Math.ceil(p.holders / HOLDER_CHUNK);
  const scanChunks = Math.ceil(p.holders / SCAN_CHUNK);
  const units = 1 + holderUnits + p.days * scanChunks;
  const resumedFrom = Number(prior?.done ?? 0);
  let scansWritten = 0;
  let declarations = 0;

  const commitUnit = async (unit: number, work: (trx: Kysely<Database>) => Promise<void>) => {
    await db.transaction().execute(async (trx) => {
      await work(trx);
      const row = { job: JOB, params, done: unit + 1, total: units, updated_at: Date.now() };
      await trx.insertInto('job_checkpoints').values(row).onConflict((oc) => oc.column('job').doUpdateSet({ done: row.done, total: row.total, updated_at: row.updated_at })).execute();
    });
    onProgress?.({ phase: 'write', done: unit + 1, total: units, scans: scansWritten });
    // better-sqlite3 runs synchronously: without a turn of the event loop no timer (the progress bar's redraw) would ever fire
    await new Promise((r) => setImmediate(r));
  };

  // unit 0: regions, venues, the simulator's checkpoint account, a risk area where most cases live
  let operatorId = stableUuid(`sim:${p.seed}:operator`);
  if (resumedFrom < 1) {
    await commitUnit(0, async (trx) => {
      await trx.insertInto('regions').values([...DEMO_REGIONS]).onConflict((oc) => oc.column('code').doNothing()).execute();
      for (let i = 0; i < venues.all.length; i += ROWS_PER_STATEMENT) {
        const chunk = venues.all.slice(i, i + ROWS_PER_STATEMENT).map((v) => ({
          id: v.id, name: v.name, kind: v.kind, region: v.region, address: `${v.index + 1} ${v.region} Road`, created_at: ctx.now.getTime(),
        }));
        await trx.insertInto('venues').values(chunk).onConflict((oc) => oc.column('id').doNothing()).execute();
      }
      const existing = await trx.selectFrom('staff_accounts').select('id').where('username', '=', SIM_OPERATOR).executeTakeFirst();
      if (existing) operatorId = existing.id;
      else {
        await trx.insertInto('staff_accounts').values({ id: operatorId, username: SIM_OPERATOR, display_name: 'City simulator (bulk scans)', role: 'checkpoint_operator', password_hash: ctx.passwordHash, created_at: ctx.now.getTime() }).execute();
      }
      for (let i = 0; i < venues.all.length; i += ROWS_PER_STATEMENT) {
        const chunk = venues.all.slice(i, i + ROWS_PER_STATEMENT).map((v) => ({ staff_id: operatorId, venue_id: v.id }));
        await trx.insertInto('staff_venues').values(chunk).onConflict((oc) => oc.columns(['staff_id', 'venue_id']).doNothing()).execute();
      }
      const cases = new Map<string, number>();
      outbreak.infectedDay.forEach((d, i) => d >= 0 && cases.set(holders[i]!.region, (cases.get(holders[i]!.region) ?? 0) + 1));
      const worst = [...cases.entries()].sort((a, b) => b[1] - a[1])[0];
      if (worst && worst[1] >= 10) {
        const startsAt = dayStart[Math.max(0, p.days - 3)]!;
        await trx
          .insertInto('risk_areas')
          .values({ id: `sim-${p.seed}-outbreak`, region: worst[0], level: 'high', starts_at: startsAt, ends_at: null, reason: `simulated outbreak: ${worst[1]} infections`, created_at: startsAt, declared_by: 'simulator' })
          .onConflict((oc) => oc.column('id').doNothing())
          .execute();
      }
    });
  } else {
    const existing = await db.selectFrom('staff_accounts').select('id').where('username', '=', SIM_OPERATOR).executeTakeFirst();
    if (existing) operatorId = existing.id;
  }
  const knownVenues = new Set((await db.selectFrom('venues').select('id').where('id', 'like', 'C%').execute()).map((v) => v.id));

  // holders, with the declarations the outbreak makes them file
  for (let u = 0; u < holderUnits; u++) {
    const unit = 1 + u;
    if (unit < resumedFrom) continue;
    await commitUnit(unit, async (trx) => {
      const rows: HolderTable[] = [];
      const decl: DeclarationTable[] = [];
      for (let i = u * HOLDER_CHUNK; i < Math.min(p.holders, (u + 1) * HOLDER_CHUNK); i++) {
        const h = holders[i]!;
        const id = simHolderId(p.seed, i);
        rows.push({
          id, name: h.name, id_hash: idHash(`SIM${p.seed}X${i}`, ctx.idHashKey), id_last4: String(i % 10_000).padStart(4, '0'), date_of_birth: h.dateOfBirth,
          phone: simPhone(i), region: h.region, time_zone: ctx.timeZone, password_hash: ctx.passwordHash, created_at: dayStart[0]! - 86_400_000,
        });
        const inf = outbreak.infectedDay[i]!;
        if (inf >= 0 && h.symptomatic && inf + DECLARES_ON < p.days) {
          decl.push({
            id: stableUuid(`sim:${p.seed}:declaration:${i}`), holder_id: id, symptoms: JSON.stringify(['fever', 'cough']),
            temperature_c: 38 + (i % 10) / 10, places_visited: '[]', declared_at: dayStart[inf + DECLARES_ON]! + 8 * 3_600_000,
          });
        }
      }
      for (let i = 0; i < rows.length; i += 2000) await trx.insertInto('holders').values(rows.slice(i, i + 2000)).onConflict((oc) => oc.column('id').doNothing()).execute();
      for (let i = 0; i < decl.length; i += 2000) await trx.insertInto('declarations').values(decl.slice(i, i + 2000)).onConflict((oc) => oc.column('id').doNothing()).execute();
      declarations += decl.length;
    });
  }

  // scans, day by day
  await ensureScanPartitions(db, dayOf(dayStart[0]!), dayOf(dayStart[p.days - 1]! + 86_400_000));
  for (let d = 0; d < p.days; d++) {
    for (let c = 0; c < scanChunks; c++) {
      const unit = 1 + holderUnits + d * scanChunks + c;
      if (unit < resumedFrom) continue;
      const rows: ScanTable[] = [];
      for (let i = c * SCAN_CHUNK; i < Math.min(p.holders, (c + 1) * SCAN_CHUNK); i++) {
        const h = holders[i]!;
        const inf = outbreak.infectedDay[i]!;
        if (isolated(h, inf, d)) continue;
        const declaredDay = inf >= 0 && h.symptomatic ? inf + DECLARES_ON : -1;
        const colour = declaredDay >= 0 && d >= declaredDay && d < declaredDay + YELLOW_DAYS ? 'yellow' : 'green';
        const visits = dayVisits(p.seed, h, d, weekday[d]!, venues);
        for (let k = 0; k < visits.length; k++) {
          const v = visits[k]!;
          const at = dayStart[d]! + v.minute * 60_000 + v.second * 1000;
          const venue = venues.all[v.venue]!.id;
          checkScanTime(at, ctx.now);
          if (!knownVenues.has(venue)) throw new SimulateError(`venue ${venue} is not in the store`);
          const verdict = {
            ok: true, pass: colour === 'green', error: null, colour, maskedName: maskName(h.name), birthYear: h.birthYear,
            validUntil: new Date(at + 300_000).toISOString(), region: ctx.region, rulesetVersion: ctx.rulesetVersion,
          };
          rows.push({
            event_id: eventId(at, i, d, k, p.seed), venue_id: venue, operator_id: operatorId, holder_id: simHolderId(p.seed, i), code_id: null,
            scanned_at: at, received_at: at + 1000, mode: 'camera', direction: null, temperature_c: null, verdict_ok: 1, verdict_error: null,
            verdict_colour: colour, verdict: JSON.stringify(verdict),
            fingerprint: crypto.createHash('sha256').update(`${venue}|sim|${at}|${i}|${k}`).digest('hex'),
          });
        }
      }
      await commitUnit(unit, async (trx) => {
        const outcomes = await insertScansIn(trx, rows);
        scansWritten += outcomes.filter((o) => o.status === 'stored').length;
      });
    }
  }

  return {
    holders: p.holders, venues: p.venues, days: p.days, scansWritten, declarations,
    infected: outbreak.infectedDay.reduce((n, d) => n + (d >= 0 ? 1 : 0), 0), indexCases: outbreak.indexCases, resumedFrom, units,
  };
}

/** SQLite settings for a long bulk load on this connection: a big page cache, fewer checkpoints. */
export async function tuneForBulkLoad(db: Kysely<Database>): Promise<void> {
  if (isPostgres(db)) return;
  const { sql } = await import('kysely');
  await sql`pragma cache_size = -1048576`.execute(db); // 1 GiB
  await sql`pragma wal_autocheckpoint = 100000`.execute(db);
}
