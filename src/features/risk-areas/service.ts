// Risk areas: declared by officials (a region or a set of venues, high or medium, from a start
// time, with a reason), renewed or lifted by them, and lifted automatically once the ruleset's
// clean days have passed with no new case there. Declaring one re-assesses the holders who were
// there (by scan or by declared travel) so their colour names the area.
import type { Kysely } from 'kysely';
import { regionWithin } from '../../core/rules/stays.ts';
import type { Database, RiskAreaTable } from '../../db/schema.ts';
import { DomainError } from '../../errors.ts';
import type { Random } from '../../support/clock.ts';
import { reassessMany } from '../assessments/service.ts';
import type { RuleBook } from '../rules/book.ts';

const DAY = 86_400_000;

export interface RiskAreaInput {
  region?: string;
  venueIds?: string[];
  level: 'high' | 'medium';
  startsAt: Date;
  reason: string;
}

export function presentRiskArea(r: RiskAreaTable, now: Date) {
  return {
    id: r.id,
    region: r.venue_ids ? null : r.region,
    venueIds: r.venue_ids ? (JSON.parse(r.venue_ids) as string[]) : null,
    level: r.level,
    startsAt: new Date(r.starts_at).toISOString(),
    endsAt: r.ends_at === null ? null : new Date(r.ends_at).toISOString(),
    renewedAt: r.renewed_at === null ? null : new Date(r.renewed_at).toISOString(),
    liftedReason: r.lifted_reason,
    reason: r.reason,
    active: r.starts_at <= now.getTime() && (r.ends_at === null || r.ends_at > now.getTime()),
  };
}

interface Ctx {
  now: Date;
  random: Random;
  rules: RuleBook;
}

/** Holders who were in the area since it started: scanned at its venues, or declared travel there. */
async function holdersInArea(db: Kysely<Database>, area: RiskAreaTable, ctx: Ctx): Promise<string[]> {
  const lookback = ctx.rules.inForce(ctx.now).parameters.highRiskLookbackDays;
  const since = Math.max(area.starts_at, ctx.now.getTime() - lookback * DAY);
  const venueIds = area.venue_ids
    ? (JSON.parse(area.venue_ids) as string[])
    : (await db.selectFrom('venues').select(['id', 'region']).execute()).filter((v) => regionWithin(v.region, area.region)).map((v) => v.id);
  const ids = new Set<string>();
  for (let i = 0; i < venueIds.length; i += 500) {
    const rows = await db
      .selectFrom('scans')
      .select('holder_id')
      .distinct()
      .where('venue_id', 'in', venueIds.slice(i, i + 500))
      .where('scanned_at', '>=', since)
      .where('holder_id', 'is not', null)
      .execute();
    for (const r of rows) ids.add(r.holder_id!);
  }
  if (!area.venue_ids) {
    const rows = await db
      .selectFrom('declarations')
      .select('holder_id')
      .distinct()
      .where('declared_at', '>=', ctx.now.getTime() - 2 * lookback * DAY)
      .where('places_visited', 'like', `%"${area.region}%`)
      .execute();
    for (const r of rows) ids.add(r.holder_id);
  }
  return [...ids];
}

async function reassessIds(db: Kysely<Database>, ids: string[], ctx: Ctx, ref: string): Promise<number> {
  let n = 0;
  for (let i = 0; i < ids.length; i += 500) {
    const holders = await db.selectFrom('holders').select(['id', 'time_zone', 'date_of_birth']).where('id', 'in', ids.slice(i, i + 500)).execute();
    n += (await reassessMany(db, holders.map((h) => ({ id: h.id, timeZone: h.time_zone, dateOfBirth: h.date_of_birth })), ctx, { kind: 'risk_area', ref })).length;
  }
  return n;
}

export async function declareRiskArea(db: Kysely<Database>, input: RiskAreaInput, declaredBy: string, ctx: Ctx): Promise<{ area: RiskAreaTable; reassessed: number }> {
  if ((input.region === undefined) === (input.venueIds === undefined)) {
    throw new DomainError('invalid_request', 'a risk area is either a region or a set of venues: give exactly one of region, venueIds');
  }
  if (input.venueIds) {
    const found = await db.selectFrom('venues').select('id').where('id', 'in', input.venueIds).execute();
    const missing = input.venueIds.filter((v) => !found.some((f) => f.id === v));
    if (missing.length > 0) throw new DomainError('unknown_venue', `no venue has id ${missing.map((m) => JSON.stringify(m)).join(', ')}`);
  }
  if (input.startsAt.getTime() > ctx.now.getTime() + 7 * DAY) throw new DomainError('invalid_date', 'a risk area starts at most 7 days ahead');
  const area: RiskAreaTable = {
    id: ctx.random.uuid(),
    region: input.region ?? 'VENUES',
    level: input.level,
    starts_at: input.startsAt.getTime(),
    ends_at: null,
    reason: input.reason,
    created_at: ctx.now.getTime(),
    venue_ids: input.venueIds ? JSON.stringify([...new Set(input.venueIds)].sort()) : null,
    renewed_at: null,
    lifted_reason: null,
    declared_by: declaredBy,
  };
  await db.insertInto('risk_areas').values(area).execute();
  const reassessed = await reassessIds(db, await holdersInArea(db, area, ctx), ctx, area.id);
  return { area, reassessed };
}

async function activeArea(db: Kysely<Database>, id: string, now: Date): Promise<RiskAreaTable> {
  const area = await db.selectFrom('risk_areas').selectAll().where('id', '=', id).executeTakeFirst();
  if (!area) throw new DomainError('not_found', `no risk area has id ${JSON.stringify(id)}`);
  if (area.ends_at !== null && area.ends_at <= now.getTime()) throw new DomainError('conflict', `risk area ${id} was lifted at ${new Date(area.ends_at).toISOString()}`);
  return area;
}

/** Renewing restarts the clean-days count from now. */
export async function renewRiskArea(db: Kysely<Database>, id: string, ctx: Ctx): Promise<RiskAreaTable> {
  const area = await activeArea(db, id, ctx.now);
  await db.updateTable('risk_areas').set({ renewed_at: ctx.now.getTime() }).where('id', '=', id).execute();
  return { ...area, renewed_at: ctx.now.getTime() };
}

export async function liftRiskArea(db: Kysely<Database>, id: string, reason: string, ctx: Ctx): Promise<RiskAreaTable> {
  const area = await activeArea(db, id, ctx.now);
  await db.updateTable('risk_areas').set({ ends_at: ctx.now.getTime(), lifted_reason: reason }).where('id', '=', id).execute();
  const lifted = { ...area, ends_at: ctx.now.getTime(), lifted_reason: reason };
  await reassessIds(db, await holdersInArea(db, area, ctx), ctx, area.id);
  return lifted;
}

/** The last case "there": a case whose holder scanned at the area's venues in their infectious window. */
async function lastCaseIn(db: Kysely<Database>, area: RiskAreaTable): Promise<number | null> {
  const venueIds = area.venue_ids
    ? (JSON.parse(area.venue_ids) as string[])
    : (await db.selectFrom('venues').select(['id', 'region']).execute()).filter((v) => regionWithin(v.region, area.region)).map((v) => v.id);
  if (venueIds.length === 0) return null;
  const row = await db
    .selectFrom('cases')
    .innerJoin('scans', 'scans.holder_id', 'cases.holder_id')
    .select((eb) => eb.fn.max('cases.confirmed_at').as('last'))
    .where('scans.venue_id', 'in', venueIds)
    .whereRef('scans.scanned_at', '>=', 'cases.infectious_from')
    .whereRef('scans.scanned_at', '<=', 'cases.infectious_to')
    .where('cases.confirmed_at', '>=', area.starts_at)
    .executeTakeFirst();
  return row?.last === null || row?.last === undefined ? null : Number(row.last);
}

/** Lifts every area with no new case for the ruleset's clean days (since its start or renewal). Safe to repeat. */
export async function liftCleanAreas(db: Kysely<Database>, ctx: Ctx): Promise<string[]> {
  const clean = ctx.rules.inForce(ctx.now).parameters.riskAreaCleanDays * DAY;
  const now = ctx.now.getTime();
  const areas = await db.selectFrom('risk_areas').selectAll().where('ends_at', 'is', null).where('starts_at', '<=', now).execute();
  const lifted: string[] = [];
  for (const area of areas) {
    const last = Math.max(area.starts_at, area.renewed_at ?? 0, (await lastCaseIn(db, area)) ?? 0);
    if (now < last + clean) continue;
    const endsAt = last + clean;
    const res = await db.updateTable('risk_areas').set({ ends_at: endsAt, lifted_reason: 'clean_days' }).where('id', '=', area.id).where('ends_at', 'is', null).executeTakeFirst();
    if (Number(res.numUpdatedRows) === 0) continue;
    lifted.push(area.id);
    await reassessIds(db, await holdersInArea(db, area, ctx), ctx, area.id);
  }
  return lifted;
}

export async function listRiskAreas(db: Kysely<Database>): Promise<RiskAreaTable[]> {
  return db.selectFrom('risk_areas').selectAll().orderBy('starts_at', 'desc').limit(500).execute();
}

export interface RiskAreaFilter {
  /** current: not lifted (active, or starting later); ended: lifted by an official or after the clean days */
  status?: 'current' | 'ended';
  level?: 'high' | 'medium';
  limit: number;
  offset: number;
}

/** For officials: a page of risk areas (newest start first), filtered in the store, with who declared each and the venues' names. */
export async function riskAreaPage(db: Kysely<Database>, f: RiskAreaFilter, now: Date) {
  const t = now.getTime();
  let q = db.selectFrom('risk_areas');
  if (f.status === 'current') q = q.where((eb) => eb.or([eb('ends_at', 'is', null), eb('ends_at', '>', t)]));
  else if (f.status === 'ended') q = q.where('ends_at', '<=', t);
  if (f.level) q = q.where('level', '=', f.level);
  const total = Number((await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst())?.n ?? 0);
  const rows = await q.selectAll().orderBy('starts_at', 'desc').orderBy('id').limit(f.limit).offset(f.offset).execute();
  const venueIds = [...new Set(rows.flatMap((r) => (r.venue_ids ? (JSON.parse(r.venue_ids) as string[]) : [])))];
  const names = new Map(venueIds.length ? (await db.selectFrom('venues').select(['id', 'name']).where('id', 'in', venueIds).execute()).map((v) => [v.id, v.name]) : []);
  return {
    total,
    areas: rows.map((r) => {
      const view = presentRiskArea(r, now);
      return {
        ...view,
        state: (view.active ? 'active' : r.ends_at !== null && r.ends_at <= t ? 'lifted' : 'upcoming') as 'active' | 'upcoming' | 'lifted',
        declaredBy: r.declared_by,
        declaredAt: new Date(r.created_at).toISOString(),
        venues: (view.venueIds ?? []).map((id) => ({ id, name: names.get(id) ?? id })),
      };
    }),
  };
}
