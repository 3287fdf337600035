// Venue compliance: venues that do not scan are found, not guessed.
// - Expected daily footfall: declared by the venue (or an official), then learned from the venue's
//   own history — the median of the same weekday over the previous four weeks, using only days that
//   were not flagged (a venue that stops scanning cannot teach itself a lower expectation). Both
//   numbers are kept and shown; the learned one is used once there are two such days.
// - The daily job counts each venue's scans per local day (the deployment's time zone) against its
//   expectation; a day below `minPercent` of it is flagged. Idempotent: a re-run recomputes the day.
// - An official records a case's route from an interview: each reported visit with no scan of the
//   case at that venue around that time flags the venue, and tracing also uses the scans of everyone
//   else there then (reportedVisits, read by the tracing service).
// - Officials issue compliance notices (text, deadline) that the venue's managers acknowledge.
import { sql, type Kysely } from 'kysely';
import { localDate, nextDate, prevDate, startOfLocalDate } from '../../core/time/zones.ts';
import type { Visit } from '../../core/tracing/visits.ts';
import type { ComplianceNoticeTable, Database, VenueComplianceDayTable } from '../../db/schema.ts';
import { DomainError } from '../../errors.ts';
import type { Random } from '../../support/clock.ts';
import { isStaffOfVenue } from '../venues/repository.ts';

const MINUTE = 60_000;
/** How far a reported visit may be from a scan of the case and still match it. */
export const ROUTE_MATCH_MARGIN_MS = 30 * MINUTE;
/** Same-weekday days looked back at to learn the expectation. */
export const LEARN_WEEKS = 4;
/** Scans are kept 21 days: days older than this cannot be counted from scans any more. */
export const BACKFILL_DAYS = 20;

export interface ComplianceContext {
  now: Date;
  timeZone: string;
  minPercent: number;
  random: Random;
}

function weekday(day: string): number {
  return new Date(`${day}T00:00:00Z`).getUTCDay();
}

function addDays(day: string, n: number): string {
  let d = day;
  for (let i = 0; i < Math.abs(n); i++) d = n > 0 ? nextDate(d) : prevDate(d);
  return d;
}

export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : Math.round((s[mid - 1]! + s[mid]!) / 2);
}

/** The bounds of a declared daily footfall (the API's schemas say the same). */
export const MAX_DECLARED_DAILY = 10_000_000;

/** Sets a venue's declared daily footfall; also inside the venue's registration transaction (`db` may be one). */
export async function declareFootfall(db: Kysely<Database>, venueId: string, declaredDaily: number, by: string, now: Date): Promise<void> {
  if (!Number.isInteger(declaredDaily) || declaredDaily < 0 || declaredDaily > MAX_DECLARED_DAILY) {
    throw new DomainError('invalid_request', `declaredDaily must be a whole number from 0 to ${MAX_DECLARED_DAILY}`);
  }
  const venue = await db.selectFrom('venues').select('id').where('id', '=', venueId).executeTakeFirst();
  if (!venue) throw new DomainError('unknown_venue', `no venue has id ${JSON.stringify(venueId)}`);
  await db
    .insertInto('venue_footfall')
    .values({ venue_id: venueId, declared_daily: declaredDaily, declared_by: by, declared_at: now.getTime() })
    .onConflict((oc) => oc.column('venue_id').doUpdateSet({ declared_daily: declaredDaily, declared_by: by, declared_at: now.getTime() }))
    .execute();
}

/** The same weekday in each of the LEARN_WEEKS weeks before `day`, newest first: the days its expectation is learned from. */
export function learningDays(day: string): string[] {
  return Array.from({ length: LEARN_WEEKS }, (_, i) => addDays(day, -7 * (i + 1)));
}

export interface LearnedFootfall {
  /** median scans of the days below; null with fewer than two of them */
  learned: number | null;
  /** how many same-weekday days (computed by the daily job and not flagged) the median is over */
  days: number;
}

/**
 * The learned expectation for `day`: per venue, the median scans of the same weekday in the previous
 * LEARN_WEEKS weeks, over the days the daily job computed and did not flag (a venue that stops
 * scanning cannot teach itself a lower expectation); used once there are two such days. The daily
 * job and the venue manager's page both read it from here. Without `venueIds`, every venue with
 * such days; venues without any are absent from the map.
 */
export async function learnedFootfall(db: Kysely<Database>, day: string, venueIds?: readonly string[]): Promise<Map<string, LearnedFootfall>> {
  const sameDays = learningDays(day);
  const history: { venue_id: string; scans: number }[] = [];
  const query = () => db.selectFrom('venue_compliance_days').select(['venue_id', 'scans']).where('day', 'in', sameDays).where('flagged', '=', 0);
  if (!venueIds) history.push(...(await query().execute()));
  else for (let i = 0; i < venueIds.length; i += 500) history.push(...(await query().where('venue_id', 'in', venueIds.slice(i, i + 500)).execute()));
  const scansOf = new Map<string, number[]>();
  for (const h of history) scansOf.set(h.venue_id, [...(scansOf.get(h.venue_id) ?? []), Number(h.scans)]);
  const out = new Map<string, LearnedFootfall>();
  for (const [venueId, past] of scansOf) out.set(venueId, { learned: past.length >= 2 ? median(past) : null, days: past.length });
  return out;
}

export interface ExpectedFootfall {
  /** what the venue (or an official) declared; null when never declared */
  declaredDaily: number | null;
  /** learned from the venue's own scans for `learnedFor` (see learnedFootfall); null with too little history */
  learnedDaily: number | null;
  /** the day the learned number is for (its weekday is the one learned from) */
  learnedFor: string;
  /** same-weekday days the learned number is the median of */
  learnedDays: number;
}

/** Both expectations of the given venues for `day` (a venue manager's own venues): declared, and learned as the daily job learns it. */
export async function expectedFootfall(db: Kysely<Database>, venueIds: readonly string[], day: string): Promise<Map<string, ExpectedFootfall>> {
  const declared = new Map<string, number>();
  for (let i = 0; i < venueIds.length; i += 500) {
    const rows = await db.selectFrom('venue_footfall').select(['venue_id', 'declared_daily']).where('venue_id', 'in', venueIds.slice(i, i + 500)).execute();
    for (const r of rows) declared.set(r.venue_id, Number(r.declared_daily));
  }
  const learned = venueIds.length ? await learnedFootfall(db, day, venueIds) : new Map<string, LearnedFootfall>();
  return new Map(
    venueIds.map((id) => [
      id,
      { declaredDaily: declared.get(id) ?? null, learnedDaily: learned.get(id)?.learned ?? null, learnedFor: day, learnedDays: learned.get(id)?.days ?? 0 },
    ]),
  );
}

/** Computes one local day for every venue (idempotent); returns the venues flagged that day. */
export async function computeComplianceDay(db: Kysely<Database>, day: string, ctx: ComplianceContext): Promise<{ day: string; venues: number; flagged: string[] }> {
  const from = startOfLocalDate(day, ctx.timeZone).getTime();
  const to = startOfLocalDate(nextDate(day), ctx.timeZone).getTime();
  const [venues, declared, counts] = await Promise.all([
    db.selectFrom('venues').select('id').where('created_at', '<', to).execute(),
    db.selectFrom('venue_footfall').select(['venue_id', 'declared_daily']).execute(),
    db
      .selectFrom('scans')
      .select(['venue_id', (eb) => eb.fn.countAll<number>().as('n')])
      .where('scanned_at', '>=', from)
      .where('scanned_at', '<', to)
      .groupBy('venue_id')
      .execute(),
  ]);
  const declaredOf = new Map(declared.map((d) => [d.venue_id, Number(d.declared_daily)]));
  const countOf = new Map(counts.map((c) => [c.venue_id, Number(c.n)]));
  const learnedOf = await learnedFootfall(db, day);
  const rows: VenueComplianceDayTable[] = [];
  const flagged: string[] = [];
  for (const v of venues) {
    const scans = countOf.get(v.id) ?? 0;
    const dec = declaredOf.get(v.id) ?? null;
    const learned = learnedOf.get(v.id)?.learned ?? null;
    const expected = learned ?? dec;
    const isFlagged = expected !== null && expected > 0 && scans * 100 < expected * ctx.minPercent;
    if (isFlagged) flagged.push(v.id);
    rows.push({ venue_id: v.id, day, scans, declared: dec, learned, expected, flagged: isFlagged ? 1 : 0, computed_at: ctx.now.getTime() });
  }
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom('venue_compliance_days').where('day', '=', day).execute();
    for (let i = 0; i < rows.length; i += 500) await trx.insertInto('venue_compliance_days').values(rows.slice(i, i + 500)).execute();
    for (const r of rows) {
      if (!r.flagged) continue;
      await trx
        .insertInto('venue_flags')
        .values({
          id: ctx.random.uuid(),
          key: `low_scans:${r.venue_id}:${day}`,
          venue_id: r.venue_id,
          kind: 'low_scans',
          day,
          case_id: null,
          detail: JSON.stringify({ scans: r.scans, expected: r.expected, minPercent: ctx.minPercent }),
          raised_at: ctx.now.getTime(),
        })
        .onConflict((oc) => oc.column('key').doNothing())
        .execute();
    }
    // a recomputed day that is no longer low loses its flag
    const ok = rows.filter((r) => !r.flagged).map((r) => `low_scans:${r.venue_id}:${day}`);
    for (let i = 0; i < ok.length; i += 500) await trx.deleteFrom('venue_flags').where('key', 'in', ok.slice(i, i + 500)).execute();
  });
  return { day, venues: venues.length, flagged };
}

/**
 * The daily job: yesterday (local) is computed, and any of the days before it (as far back as
 * scans are kept) that were never computed, oldest first, so the learned expectations have their
 * history. Safe to run any number of times.
 */
export async function runDailyCompliance(db: Kysely<Database>, ctx: ComplianceContext): Promise<{ days: string[]; flagged: Record<string, string[]> }> {
  const yesterday = prevDate(localDate(ctx.now, ctx.timeZone));
  const first = addDays(yesterday, -(BACKFILL_DAYS - 1));
  const done = new Set((await db.selectFrom('venue_compliance_days').select('day').distinct().where('day', '>=', first).execute()).map((r) => r.day));
  const days: string[] = [];
  for (let d = first; d <= yesterday; d = nextDate(d)) if (!done.has(d) || d === yesterday) days.push(d);
  const flagged: Record<string, string[]> = {};
  for (const d of days) flagged[d] = (await computeComplianceDay(db, d, ctx)).flagged;
  return { days, flagged };
}

// ---------------------------------------------------------------- console reads

export type Trend = 'improving' | 'worsening' | 'steady' | 'unknown';

export interface VenueComplianceView {
  venueId: string;
  name: string;
  kind: string;
  region: string;
  day: string | null;
  scans: number | null;
  declared: number | null;
  learned: number | null;
  expected: number | null;
  /** scans / expected, in percent */
  percent: number | null;
  flagged: boolean;
  /** flagged days among the last 7 computed */
  flaggedDays7: number;
  trend: Trend;
  missedCaseVisits: number;
  notices: { issued: number; acknowledged: number; overdue: number };
}

function percentOf(r: { scans: number; expected: number | null }): number | null {
  return r.expected && r.expected > 0 ? Math.round((r.scans * 100) / r.expected) : null;
}

/**
 * Mean percent of the last 7 days against the 7 before, each day capped at 100 (scanning more
 * people than expected is full compliance, not more): a change of 10 points or more is a trend.
 */
export function trendOf(series: readonly { scans: number; expected: number | null }[]): Trend {
  const pct = series
    .map(percentOf)
    .filter((p): p is number => p !== null)
    .map((p) => Math.min(p, 100));
  if (pct.length < 4) return 'unknown';
  const recent = pct.slice(-7);
  const before = pct.slice(-14, -7);
  if (before.length === 0) return 'unknown';
  const mean = (a: number[]) => a.reduce((s, x) => s + x, 0) / a.length;
  const d = mean(recent) - mean(before);
  return d >= 10 ? 'improving' : d <= -10 ? 'worsening' : 'steady';
}

export type NoticeCounts = { issued: number; acknowledged: number; overdue: number };

/** Notices issued, acknowledged and overdue (unacknowledged past their deadline), counted in the store. */
export async function noticeCounts(db: Kysely<Database>, now: Date, venueId?: string): Promise<NoticeCounts> {
  let q = db
    .selectFrom('compliance_notices')
    .select([
      (eb) => eb.fn.countAll<number>().as('issued'),
      sql<number>`sum(case when acknowledged_at is not null then 1 else 0 end)`.as('acknowledged'),
      sql<number>`sum(case when acknowledged_at is null and deadline_at < ${now.getTime()} then 1 else 0 end)`.as('overdue'),
    ]);
  if (venueId) q = q.where('venue_id', '=', venueId);
  const r = await q.executeTakeFirst();
  return { issued: Number(r?.issued ?? 0), acknowledged: Number(r?.acknowledged ?? 0), overdue: Number(r?.overdue ?? 0) };
}

/** The latest day the daily job computed (null before its first run). */
export async function latestComplianceDay(db: Kysely<Database>): Promise<string | null> {
  const latest = await db.selectFrom('venue_compliance_days').select((eb) => eb.fn.max('day').as('day')).executeTakeFirst();
  return latest?.day ?? null;
}

/** The compliance view of the given venues: the latest day, the last 14 days' trend, flags and notices (a few queries per 500 venues). */
async function complianceOf(
  db: Kysely<Database>,
  venues: readonly { id: string; name: string; kind: string; region: string }[],
  lastDay: string | null,
  now: Date,
): Promise<VenueComplianceView[]> {
  const ids = venues.map((v) => v.id);
  const series = new Map<string, VenueComplianceDayTable[]>();
  const missed = new Map<string, number>();
  const notices = new Map<string, NoticeCounts>();
  for (let i = 0; i < ids.length; i += 500) {
    const chunk = ids.slice(i, i + 500);
    if (lastDay) {
      const rows = await db
        .selectFrom('venue_compliance_days')
        .selectAll()
        .where('venue_id', 'in', chunk)
        .where('day', '>', addDays(lastDay, -14))
        .orderBy('day')
        .execute();
      for (const r of rows) series.set(r.venue_id, [...(series.get(r.venue_id) ?? []), r]);
    }
    const flags = await db
      .selectFrom('venue_flags')
      .select(['venue_id', (eb) => eb.fn.countAll<number>().as('n')])
      .where('venue_id', 'in', chunk)
      .where('kind', '=', 'missed_case_visit')
      .groupBy('venue_id')
      .execute();
    for (const f of flags) missed.set(f.venue_id, Number(f.n));
    const ns = await db.selectFrom('compliance_notices').select(['venue_id', 'acknowledged_at', 'deadline_at']).where('venue_id', 'in', chunk).execute();
    for (const n of ns) {
      const c = notices.get(n.venue_id) ?? { issued: 0, acknowledged: 0, overdue: 0 };
      c.issued++;
      if (n.acknowledged_at !== null) c.acknowledged++;
      else if (Number(n.deadline_at) < now.getTime()) c.overdue++;
      notices.set(n.venue_id, c);
    }
  }
  return venues.map((v) => {
    const s = (series.get(v.id) ?? []).map((r) => ({ ...r, scans: Number(r.scans), expected: r.expected === null ? null : Number(r.expected) }));
    const last = s.length && s[s.length - 1]!.day === lastDay ? s[s.length - 1]! : null;
    return {
      venueId: v.id,
      name: v.name,
      kind: v.kind,
      region: v.region,
      day: last?.day ?? null,
      scans: last?.scans ?? null,
      declared: last?.declared === null || last?.declared === undefined ? null : Number(last.declared),
      learned: last?.learned === null || last?.learned === undefined ? null : Number(last.learned),
      expected: last?.expected ?? null,
      percent: last ? percentOf(last) : null,
      flagged: Number(last?.flagged ?? 0) === 1,
      flaggedDays7: s.slice(-7).filter((r) => Number(r.flagged) === 1).length,
      trend: trendOf(s),
      missedCaseVisits: missed.get(v.id) ?? 0,
      notices: notices.get(v.id) ?? { issued: 0, acknowledged: 0, overdue: 0 },
    };
  });
}

export interface RankFilter {
  kind?: string;
  /** a district, and the regions within it */
  region?: string;
  /** only venues flagged on the latest day */
  flagged?: boolean;
  limit: number;
  offset?: number;
}

/**
 * Venues ranked by compliance on the latest computed day — lowest percent first, venues without an
 * expectation last, then by name — filtered and paged in the store: the rank is computed in SQL
 * (percent rounded half up in integers, as percentOf does), the details only for the page.
 */
export async function rankVenues(db: Kysely<Database>, filter: RankFilter, now: Date): Promise<{ total: number; venues: VenueComplianceView[] }> {
  const lastDay = await latestComplianceDay(db);
  let q = db
    .selectFrom('venues as v')
    .leftJoin('venue_compliance_days as d', (j) => j.onRef('d.venue_id', '=', 'v.id').on('d.day', '=', lastDay ?? ''));
  if (filter.kind) q = q.where('v.kind', '=', filter.kind);
  if (filter.region) q = q.where((eb) => eb.or([eb('v.region', '=', filter.region!), eb('v.region', 'like', `${filter.region}-%`)]));
  if (filter.flagged) q = q.where('d.flagged', '=', 1);
  const total = Number((await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst())?.n ?? 0);
  const percent = sql<number | null>`case when d.expected > 0 then (cast(d.scans as bigint) * 200 + d.expected) / (cast(d.expected as bigint) * 2) else null end`;
  const page = await q
    .select(['v.id', 'v.name', 'v.kind', 'v.region'])
    .orderBy(sql`case when d.expected > 0 then 0 else 1 end`)
    .orderBy(percent)
    .orderBy('v.name')
    .orderBy('v.id')
    .limit(filter.limit)
    .offset(filter.offset ?? 0)
    .execute();
  return { total, venues: await complianceOf(db, page, lastDay, now) };
}

/** One venue's compliance view, with its address and the footfall declared for it now. */
export async function venueCompliance(db: Kysely<Database>, venueId: string, now: Date): Promise<VenueComplianceView & { address: string; declaredNow: number | null }> {
  const venue = await db.selectFrom('venues').select(['id', 'name', 'kind', 'region', 'address']).where('id', '=', venueId).executeTakeFirst();
  if (!venue) throw new DomainError('unknown_venue', `no venue has id ${JSON.stringify(venueId)}`);
  const [view] = await complianceOf(db, [venue], await latestComplianceDay(db), now);
  const declared = await db.selectFrom('venue_footfall').select('declared_daily').where('venue_id', '=', venueId).executeTakeFirst();
  return { ...view!, address: venue.address, declaredNow: declared ? Number(declared.declared_daily) : null };
}

export interface ComplianceDayView {
  day: string;
  scans: number;
  declared: number | null;
  learned: number | null;
  expected: number | null;
  percent: number | null;
  flagged: boolean;
}

/** A venue's daily series, oldest first (for the console's chart). */
export async function venueSeries(db: Kysely<Database>, venueId: string, days: number): Promise<ComplianceDayView[]> {
  const rows = await db.selectFrom('venue_compliance_days').selectAll().where('venue_id', '=', venueId).orderBy('day', 'desc').limit(days).execute();
  return rows.reverse().map((r) => {
    const scans = Number(r.scans);
    const expected = r.expected === null ? null : Number(r.expected);
    return {
      day: r.day,
      scans,
      declared: r.declared === null ? null : Number(r.declared),
      learned: r.learned === null ? null : Number(r.learned),
      expected,
      percent: percentOf({ scans, expected }),
      flagged: Number(r.flagged) === 1,
    };
  });
}

export async function venueFlags(db: Kysely<Database>, venueId: string, limit: number) {
  const rows = await db.selectFrom('venue_flags').selectAll().where('venue_id', '=', venueId).orderBy('raised_at', 'desc').limit(limit).execute();
  return rows.map((r) => ({ id: r.id, kind: r.kind, day: r.day, caseId: r.case_id, detail: JSON.parse(r.detail) as Record<string, unknown>, raisedAt: new Date(Number(r.raised_at)).toISOString() }));
}

// ---------------------------------------------------------------- interview routes

export interface RouteVisitInput {
  venueId: string;
  from: Date;
  to: Date;
}

/**
 * Records the venues and times a case reported in an interview. A visit with no scan of the case at
 * that venue within ROUTE_MATCH_MARGIN_MS of it flags the venue (once per case and visit).
 */
export async function recordCaseRoute(
  db: Kysely<Database>,
  caseId: string,
  visits: readonly RouteVisitInput[],
  ctx: { now: Date; random: Random; by: string; timeZone: string },
): Promise<{ visits: { venueId: string; from: string; to: string; matched: boolean }[]; flaggedVenues: string[] }> {
  const c = await db.selectFrom('cases').select(['id', 'holder_id']).where('id', '=', caseId).executeTakeFirst();
  if (!c) throw new DomainError('not_found', `no case has id ${JSON.stringify(caseId)}`);
  const venueIds = [...new Set(visits.map((v) => v.venueId))];
  const known = new Set((await db.selectFrom('venues').select('id').where('id', 'in', venueIds).execute()).map((v) => v.id));
  const unknown = venueIds.find((id) => !known.has(id));
  if (unknown) throw new DomainError('unknown_venue', `no venue has id ${JSON.stringify(unknown)}`);
  visits.forEach((v, i) => {
    if (!(v.from.getTime() <= v.to.getTime())) throw new DomainError('invalid_date', `visits[${i}]: from is after to`);
    if (v.to.getTime() > ctx.now.getTime() + 5 * MINUTE) throw new DomainError('invalid_date', `visits[${i}]: the visit ends in the future`);
  });
  const out: { venueId: string; from: string; to: string; matched: boolean }[] = [];
  const flaggedVenues: string[] = [];
  await db.transaction().execute(async (trx) => {
    for (const v of visits) {
      const scan = await trx
        .selectFrom('scans')
        .select('event_id')
        .where('holder_id', '=', c.holder_id)
        .where('venue_id', '=', v.venueId)
        .where('scanned_at', '>=', v.from.getTime() - ROUTE_MATCH_MARGIN_MS)
        .where('scanned_at', '<=', v.to.getTime() + ROUTE_MATCH_MARGIN_MS)
        .limit(1)
        .executeTakeFirst();
      const matched = scan !== undefined;
      await trx
        .insertInto('case_route_visits')
        .values({ id: ctx.random.uuid(), case_id: c.id, venue_id: v.venueId, from_at: v.from.getTime(), to_at: v.to.getTime(), matched: matched ? 1 : 0, recorded_by: ctx.by, recorded_at: ctx.now.getTime() })
        .execute();
      if (!matched) {
        const r = await trx
          .insertInto('venue_flags')
          .values({
            id: ctx.random.uuid(),
            key: `missed:${c.id}:${v.venueId}:${v.from.getTime()}`,
            venue_id: v.venueId,
            kind: 'missed_case_visit',
            day: localDate(v.from, ctx.timeZone),
            case_id: c.id,
            detail: JSON.stringify({ from: v.from.toISOString(), to: v.to.toISOString() }),
            raised_at: ctx.now.getTime(),
          })
          .onConflict((oc) => oc.column('key').doNothing())
          .executeTakeFirst();
        if (Number(r.numInsertedOrUpdatedRows ?? 0) > 0) flaggedVenues.push(v.venueId);
      }
      out.push({ venueId: v.venueId, from: v.from.toISOString(), to: v.to.toISOString(), matched });
    }
  });
  return { visits: out, flaggedVenues: [...new Set(flaggedVenues)] };
}

/** The case's reported visits that no scan of theirs shows, as visits for tracing (the fallback). */
export async function reportedVisits(db: Kysely<Database>, caseId: string, holderId: string, window: { from: number; to: number }): Promise<Visit[]> {
  const rows = await db
    .selectFrom('case_route_visits')
    .select(['venue_id', 'from_at', 'to_at'])
    .where('case_id', '=', caseId)
    .where('matched', '=', 0)
    .where('to_at', '>', window.from)
    .where('from_at', '<', window.to)
    .execute();
  return rows.map((r) => ({ holderId, venueId: r.venue_id, start: Number(r.from_at), end: Number(r.to_at) }));
}

// ---------------------------------------------------------------- compliance notices

export interface NoticeView {
  id: string;
  venueId: string;
  text: string;
  deadline: string;
  issuedAt: string;
  status: 'open' | 'acknowledged' | 'overdue';
  acknowledgedAt: string | null;
}

export function presentNotice(r: ComplianceNoticeTable, now: Date): NoticeView {
  const ack = r.acknowledged_at !== null;
  return {
    id: r.id,
    venueId: r.venue_id,
    text: r.text,
    deadline: new Date(Number(r.deadline_at)).toISOString(),
    issuedAt: new Date(Number(r.issued_at)).toISOString(),
    status: ack ? 'acknowledged' : Number(r.deadline_at) < now.getTime() ? 'overdue' : 'open',
    acknowledgedAt: ack ? new Date(Number(r.acknowledged_at)).toISOString() : null,
  };
}

export async function issueNotice(db: Kysely<Database>, input: { venueId: string; text: string; deadline: Date; by: string }, ctx: { now: Date; random: Random }): Promise<NoticeView> {
  const venue = await db.selectFrom('venues').select('id').where('id', '=', input.venueId).executeTakeFirst();
  if (!venue) throw new DomainError('unknown_venue', `no venue has id ${JSON.stringify(input.venueId)}`);
  if (input.deadline.getTime() <= ctx.now.getTime()) throw new DomainError('invalid_date', 'the deadline must be in the future');
  const row: ComplianceNoticeTable = {
    id: ctx.random.uuid(),
    venue_id: input.venueId,
    text: input.text.trim(),
    deadline_at: input.deadline.getTime(),
    issued_by: input.by,
    issued_at: ctx.now.getTime(),
    acknowledged_by: null,
    acknowledged_at: null,
  };
  await db.insertInto('compliance_notices').values(row).execute();
  return presentNotice(row, ctx.now);
}

export type NoticeStatus = NoticeView['status'];

export interface NoticeFilter {
  venueIds?: string[];
  status?: NoticeStatus;
  limit: number;
  offset?: number;
}

function noticeQuery(db: Kysely<Database>, filter: NoticeFilter, now: Date) {
  let q = db.selectFrom('compliance_notices');
  if (filter.venueIds) q = q.where('venue_id', 'in', filter.venueIds);
  if (filter.status === 'acknowledged') q = q.where('acknowledged_at', 'is not', null);
  else if (filter.status === 'overdue') q = q.where('acknowledged_at', 'is', null).where('deadline_at', '<', now.getTime());
  else if (filter.status === 'open') q = q.where('acknowledged_at', 'is', null).where('deadline_at', '>=', now.getTime());
  return q;
}

export async function listNotices(db: Kysely<Database>, filter: NoticeFilter, now: Date): Promise<NoticeView[]> {
  if (filter.venueIds && filter.venueIds.length === 0) return [];
  const rows = await noticeQuery(db, filter, now)
    .selectAll()
    .orderBy('issued_at', 'desc')
    .orderBy('id')
    .limit(filter.limit)
    .offset(filter.offset ?? 0)
    .execute();
  return rows.map((r) => presentNotice(r, now));
}

/** For the console: a page of notices (newest first) with the venue's name, the filtered total, and the counts of all notices. */
export async function noticePage(db: Kysely<Database>, filter: NoticeFilter, now: Date): Promise<{ total: number; counts: NoticeCounts; notices: (NoticeView & { venueName: string })[] }> {
  if (filter.venueIds && filter.venueIds.length === 0) return { total: 0, counts: await noticeCounts(db, now), notices: [] };
  const total = Number((await noticeQuery(db, filter, now).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst())?.n ?? 0);
  const notices = await listNotices(db, filter, now);
  const ids = [...new Set(notices.map((n) => n.venueId))];
  const names = new Map(ids.length ? (await db.selectFrom('venues').select(['id', 'name']).where('id', 'in', ids).execute()).map((v) => [v.id, v.name]) : []);
  return { total, counts: await noticeCounts(db, now), notices: notices.map((n) => ({ ...n, venueName: names.get(n.venueId) ?? n.venueId })) };
}

/** A manager of the notice's venue acknowledges it (once). */
export async function acknowledgeNotice(db: Kysely<Database>, noticeId: string, managerId: string, now: Date): Promise<NoticeView> {
  const row = await db.selectFrom('compliance_notices').selectAll().where('id', '=', noticeId).executeTakeFirst();
  if (!row || !(await isStaffOfVenue(db, managerId, row.venue_id))) throw new DomainError('not_found', 'no such notice for your venues');
  if (row.acknowledged_at !== null) throw new DomainError('notice_already_acknowledged', `this notice was acknowledged on ${new Date(Number(row.acknowledged_at)).toISOString()}`);
  const r = await db
    .updateTable('compliance_notices')
    .set({ acknowledged_by: managerId, acknowledged_at: now.getTime() })
    .where('id', '=', noticeId)
    .where('acknowledged_at', 'is', null)
    .executeTakeFirst();
  if (Number(r.numUpdatedRows) !== 1) throw new DomainError('notice_already_acknowledged', 'this notice was acknowledged a moment ago');
  return presentNotice({ ...row, acknowledged_by: managerId, acknowledged_at: now.getTime() }, now);
}

/** For the transparency page: notices and flags in aggregate, nothing about a single venue. */
export async function publicComplianceSummary(db: Kysely<Database>, now: Date) {
  const latest = await db.selectFrom('venue_compliance_days').select((eb) => eb.fn.max('day').as('day')).executeTakeFirst();
  let flaggedVenues = 0;
  let venuesCounted = 0;
  if (latest?.day) {
    const rows = await db.selectFrom('venue_compliance_days').select(['flagged']).where('day', '=', latest.day).execute();
    venuesCounted = rows.length;
    flaggedVenues = rows.filter((r) => Number(r.flagged) === 1).length;
  }
  const missed = await db.selectFrom('venue_flags').select((eb) => eb.fn.countAll<number>().as('n')).where('kind', '=', 'missed_case_visit').executeTakeFirst();
  return { day: latest?.day ?? null, venuesCounted, flaggedVenues, missedCaseVisits: Number(missed?.n ?? 0), notices: await noticeCounts(db, now) };
}
