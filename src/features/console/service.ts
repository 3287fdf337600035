// The authority console's reads: dashboard aggregates (colour mix per day, scans per day, the
// epidemic curve), the map (districts, venues with derived points, risk areas), and the paged,
// filtered work queues. Aggregates name nobody; every list that names holders is read with a
// stated reason that goes to the audit log (and so to each holder's access log) before the answer.
import { sql, type Kysely } from 'kysely';
import { maskName } from '../../core/holders/mask.ts';
import { DAY_MS, localDate, nextDate, prevDate, startOfLocalDate } from '../../core/time/zones.ts';
import type { AppealTable, Database, LabResultTable, OverrideTable } from '../../db/schema.ts';
import { DomainError } from '../../errors.ts';
import { auditHolderRead } from '../access-log/service.ts';
import { appendAudit } from '../audit/service.ts';
import { idHash } from '../holders/model.ts';
import { presentAppeals } from '../appeals/service.ts';
import { getCase, presentCase } from '../cases/service.ts';
import { presentOverride } from '../overrides/present.ts';
import { listRiskAreas, presentRiskArea } from '../risk-areas/service.ts';
import type { Staff } from '../staff/service.ts';
import { districts, venuePoint } from './geo.ts';

export const COLOURS = ['green', 'yellow', 'red', 'grey'] as const;
export type Colour = (typeof COLOURS)[number];
type Counts = Record<Colour, number>;
const zero = (): Counts => ({ green: 0, yellow: 0, red: 0, grey: 0 });
const isColour = (c: string | null): c is Colour => c !== null && (COLOURS as readonly string[]).includes(c);

export interface Day {
  date: string;
  start: number;
  end: number;
}

/** The last `n` calendar dates in `timeZone`, today included (today ends now). */
export function lastDays(now: Date, n: number, timeZone: string): Day[] {
  const days: Day[] = [];
  let date = localDate(now, timeZone);
  for (let i = 0; i < n; i++) {
    const start = startOfLocalDate(date, timeZone).getTime();
    const end = Math.min(startOfLocalDate(nextDate(date), timeZone).getTime(), now.getTime());
    days.unshift({ date, start, end });
    date = prevDate(date);
  }
  return days;
}

export interface Dashboard {
  timeZone: string;
  generatedAt: string;
  days: string[];
  /** holders of each colour at the end of each day (today: now) */
  colours: Record<Colour, number[]>;
  current: Counts & { total: number };
  scans: { total: number[]; passes: number[]; stops: number[]; invalid: number[] };
  /** new confirmed cases per day, by the day of confirmation and by the day of onset (or sample, when no onset is known) */
  cases: { confirmed: number[]; byOnset: number[] };
}

/**
 * Colour mix: today's counts are holder_status now; walking back a day undoes that day's
 * status events (an event from A to B: one more A and one fewer B before it; a holder's first
 * event, from nothing, removes them). O(events in the window), not O(holders × days).
 */
export async function dashboard(db: Kysely<Database>, now: Date, timeZone: string, n: number): Promise<Dashboard> {
  const days = lastDays(now, n, timeZone);
  const first = days[0]!.start;
  const current = zero();
  for (const r of await db.selectFrom('holder_status').select(['colour', (eb) => eb.fn.countAll<number>().as('n')]).groupBy('colour').execute()) {
    if (isColour(r.colour)) current[r.colour] = Number(r.n);
  }
  // per day: status-event transitions, scans by outcome, cases
  const transitions: { from: Counts; to: Counts }[] = [];
  const scans = { total: [] as number[], passes: [] as number[], stops: [] as number[], invalid: [] as number[] };
  for (const d of days) {
    const rows = await db
      .selectFrom('status_events')
      .select(['from_colour', 'to_colour', (eb) => eb.fn.countAll<number>().as('n')])
      .where('at', '>=', d.start)
      .where('at', '<', d.end)
      .groupBy(['from_colour', 'to_colour'])
      .execute();
    const t = { from: zero(), to: zero() };
    for (const r of rows) {
      if (isColour(r.from_colour)) t.from[r.from_colour] += Number(r.n);
      if (isColour(r.to_colour)) t.to[r.to_colour] += Number(r.n);
    }
    transitions.push(t);
    const s = await db
      .selectFrom('scans')
      .select([
        (eb) => eb.fn.countAll<number>().as('n'),
        sql<number>`sum(case when verdict_ok = 1 and verdict_colour = 'green' then 1 else 0 end)`.as('passes'),
        sql<number>`sum(case when verdict_ok = 1 and (verdict_colour is null or verdict_colour <> 'green') then 1 else 0 end)`.as('stops'),
        sql<number>`sum(case when verdict_ok = 0 then 1 else 0 end)`.as('invalid'),
      ])
      .where('scanned_at', '>=', d.start)
      .where('scanned_at', '<', d.end)
      .executeTakeFirst();
    scans.total.push(Number(s?.n ?? 0));
    scans.passes.push(Number(s?.passes ?? 0));
    scans.stops.push(Number(s?.stops ?? 0));
    scans.invalid.push(Number(s?.invalid ?? 0));
  }
  // scans past retention live on as daily counts per venue (UTC days): they fill days with no scans left
  const kept = await db
    .selectFrom('scan_daily_counts')
    .select(['day', (eb) => eb.fn.sum<number>('scans').as('scans'), (eb) => eb.fn.sum<number>('passes').as('passes'), (eb) => eb.fn.sum<number>('invalid').as('invalid')])
    .where('day', '>=', days[0]!.date)
    .groupBy('day')
    .execute();
  for (const k of kept) {
    const i = days.findIndex((d) => d.date === k.day);
    if (i < 0 || scans.total[i]! > 0) continue;
    scans.total[i] = Number(k.scans);
    scans.passes[i] = Number(k.passes);
    scans.invalid[i] = Number(k.invalid);
    scans.stops[i] = Number(k.scans) - Number(k.passes) - Number(k.invalid);
  }
  // colour mix, from today backwards
  const colours: Record<Colour, number[]> = { green: [], yellow: [], red: [], grey: [] };
  let at = { ...current };
  for (let i = days.length - 1; i >= 0; i--) {
    for (const c of COLOURS) colours[c][i] = Math.max(0, at[c]);
    const t = transitions[i]!;
    const before = zero();
    for (const c of COLOURS) before[c] = at[c] - t.to[c] + t.from[c];
    at = before;
  }
  // the epidemic curve
  const caseRows = await db
    .selectFrom('cases')
    .select(['confirmed_at', 'onset_at', 'sampled_at'])
    .where((eb) => eb.or([eb('confirmed_at', '>=', first), eb('sampled_at', '>=', first), eb('onset_at', '>=', first)]))
    .execute();
  const index = new Map(days.map((d, i) => [d.date, i]));
  const dayIndex = (t: number) => (t > now.getTime() ? -1 : (index.get(localDate(new Date(t), timeZone)) ?? -1));
  const confirmed = days.map(() => 0);
  const byOnset = days.map(() => 0);
  for (const c of caseRows) {
    const i = dayIndex(Number(c.confirmed_at));
    if (i >= 0) confirmed[i]!++;
    const j = dayIndex(Number(c.onset_at ?? c.sampled_at));
    if (j >= 0) byOnset[j]!++;
  }
  return {
    timeZone,
    generatedAt: now.toISOString(),
    days: days.map((d) => d.date),
    colours,
    current: { ...current, total: COLOURS.reduce((s, c) => s + current[c], 0) },
    scans,
    cases: { confirmed, byOnset },
  };
}

export interface MapVenue {
  id: string;
  name: string;
  kind: string;
  region: string;
  lat: number | null;
  lon: number | null;
  scans7d: number;
  /** ids of the active risk areas that list this venue or its district */
  riskAreas: string[];
}

export async function mapData(db: Kysely<Database>, now: Date) {
  const venues = await db.selectFrom('venues').select(['id', 'name', 'kind', 'region']).orderBy('id').limit(5000).execute();
  const counts = new Map(
    (
      await db
        .selectFrom('scans')
        .select(['venue_id', (eb) => eb.fn.countAll<number>().as('n')])
        .where('scanned_at', '>=', now.getTime() - 7 * DAY_MS)
        .where('scanned_at', '<=', now.getTime())
        .groupBy('venue_id')
        .execute()
    ).map((r) => [r.venue_id, Number(r.n)]),
  );
  const areas = (await listRiskAreas(db)).map((a) => presentRiskArea(a, now));
  const active = areas.filter((a) => a.active);
  const map = districts();
  const out: MapVenue[] = venues.map((v) => {
    const p = venuePoint(v.id, v.region, map);
    return {
      id: v.id,
      name: v.name,
      kind: v.kind,
      region: v.region,
      lat: p?.lat ?? null,
      lon: p?.lon ?? null,
      scans7d: counts.get(v.id) ?? 0,
      riskAreas: active.filter((a) => a.region === v.region || (a.venueIds ?? []).includes(v.id)).map((a) => a.id),
    };
  });
  // current areas (active, or declared to start later) and those lifted in the last 14 days
  return { districts: map, venues: out, riskAreas: areas.filter((a) => a.endsAt === null || Date.parse(a.endsAt) > now.getTime() - 14 * DAY_MS) };
}

// ------------------------------------------------------------------ queues (personal data: audited)

export interface Page {
  page: number;
  pageSize: number;
}

export interface Read {
  staff: Staff;
  reason: string;
  now: Date;
}

function offset(p: Page): number {
  return (p.page - 1) * p.pageSize;
}

async function holderLabels(db: Kysely<Database>, ids: string[]): Promise<Map<string, { maskedName: string; birthYear: number }>> {
  if (ids.length === 0) return new Map();
  const rows = await db.selectFrom('holders').select(['id', 'name', 'date_of_birth']).where('id', 'in', [...new Set(ids)]).execute();
  return new Map(rows.map((r) => [r.id, { maskedName: maskName(r.name), birthYear: Number(r.date_of_birth.slice(0, 4)) }]));
}

export interface LabFilter {
  review?: LabResultTable['review'];
  kind?: LabResultTable['kind'];
  result?: LabResultTable['result'];
  source?: string;
}

export async function labQueue(db: Kysely<Database>, f: LabFilter, p: Page, read: Read) {
  let q = db.selectFrom('lab_results');
  if (f.review) q = q.where('review', '=', f.review);
  if (f.kind) q = q.where('kind', '=', f.kind);
  if (f.result) q = q.where('result', '=', f.result);
  if (f.source) q = q.where('source', '=', f.source);
  const total = Number((await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst())?.n ?? 0);
  // the pending queue is worked oldest first; everything else reads newest first
  const rows = await q
    .selectAll()
    .orderBy('created_at', f.review === 'pending' ? 'asc' : 'desc')
    .orderBy('id')
    .limit(p.pageSize)
    .offset(offset(p))
    .execute();
  await auditHolderRead(db, read.staff, rows.map((r) => r.holder_id), { action: 'console.lab_results.read', reason: read.reason, now: read.now });
  const labels = await holderLabels(db, rows.map((r) => r.holder_id));
  return {
    total,
    ...p,
    items: rows.map((r) => ({
      id: r.id,
      holderId: r.holder_id,
      maskedName: labels.get(r.holder_id)?.maskedName ?? '',
      birthYear: labels.get(r.holder_id)?.birthYear ?? null,
      kind: r.kind,
      result: r.result,
      sampledAt: new Date(Number(r.sampled_at)).toISOString(),
      reportedAt: new Date(Number(r.reported_at)).toISOString(),
      lab: r.lab,
      source: r.source,
      review: r.review,
    })),
  };
}

export async function caseList(db: Kysely<Database>, f: { from?: number; to?: number }, p: Page, read: Read) {
  let q = db.selectFrom('cases');
  if (f.from !== undefined) q = q.where('confirmed_at', '>=', f.from);
  if (f.to !== undefined) q = q.where('confirmed_at', '<', f.to);
  const total = Number((await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst())?.n ?? 0);
  const rows = await q.selectAll().orderBy('confirmed_at', 'desc').orderBy('id').limit(p.pageSize).offset(offset(p)).execute();
  await auditHolderRead(db, read.staff, rows.map((r) => r.holder_id), { action: 'console.cases.read', reason: read.reason, now: read.now });
  const labels = await holderLabels(db, rows.map((r) => r.holder_id));
  const runs = rows.length
    ? await db
        .selectFrom('trace_runs')
        .select(['case_id', 'run_at', 'close_contacts', 'secondary_contacts'])
        .where('case_id', 'in', rows.map((r) => r.id))
        .orderBy('run_at', 'desc')
        .execute()
    : [];
  return {
    total,
    ...p,
    items: rows.map((r) => {
      const run = runs.find((x) => x.case_id === r.id);
      return {
        ...presentCase(r),
        maskedName: labels.get(r.holder_id)?.maskedName ?? '',
        lastTrace: run ? { runAt: new Date(Number(run.run_at)).toISOString(), closeContacts: Number(run.close_contacts), secondaryContacts: Number(run.secondary_contacts) } : null,
      };
    }),
  };
}

interface StoredTrace {
  caseVisits: { venueId: string; from: string; to: string }[];
  contacts: { holderId: string; kind: string; minutes: number; lastExposureAt: string; venues: { venueId: string; venueName: string; minutes: number; kind: string }[] }[];
}

export interface GraphNode {
  id: string;
  kind: 'case' | 'venue' | 'close' | 'secondary';
  label: string;
}
export interface GraphEdge {
  id: string;
  source: string;
  target: string;
  kind: 'visit' | 'close' | 'secondary';
  minutes: number | null;
}

/** A case, its latest trace and the contact graph (case → venues it visited → contacts there). */
export async function caseGraph(db: Kysely<Database>, caseId: string, read: Read) {
  const c = await getCase(db, caseId);
  const run = await db.selectFrom('trace_runs').select(['result', 'run_at']).where('case_id', '=', c.id).orderBy('run_at', 'desc').limit(1).executeTakeFirst();
  const trace = run ? (JSON.parse(run.result) as StoredTrace) : null;
  const contacts = trace?.contacts ?? [];
  await auditHolderRead(db, read.staff, [c.holder_id, ...contacts.map((x) => x.holderId)], {
    action: 'console.case_graph.read',
    reason: read.reason,
    now: read.now,
    detail: { case: c.id },
  });
  const venueIds = [...new Set([...(trace?.caseVisits ?? []).map((v) => v.venueId), ...contacts.flatMap((x) => x.venues.map((v) => v.venueId))])];
  const venueNames = new Map(venueIds.length ? (await db.selectFrom('venues').select(['id', 'name']).where('id', 'in', venueIds).execute()).map((v) => [v.id, v.name]) : []);
  const labels = await holderLabels(db, [c.holder_id, ...contacts.map((x) => x.holderId)]);
  const nodes: GraphNode[] = [{ id: `h:${c.holder_id}`, kind: 'case', label: labels.get(c.holder_id)?.maskedName ?? c.holder_id }];
  const edges: GraphEdge[] = [];
  for (const v of venueIds) nodes.push({ id: `v:${v}`, kind: 'venue', label: venueNames.get(v) ?? v });
  for (const v of new Set((trace?.caseVisits ?? []).map((x) => x.venueId))) edges.push({ id: `e:case:${v}`, source: `h:${c.holder_id}`, target: `v:${v}`, kind: 'visit', minutes: null });
  for (const x of contacts) {
    const kind = x.kind === 'close' ? 'close' : 'secondary';
    nodes.push({ id: `h:${x.holderId}`, kind, label: labels.get(x.holderId)?.maskedName ?? x.holderId });
    for (const v of x.venues) {
      edges.push({ id: `e:${x.holderId}:${v.venueId}`, source: `v:${v.venueId}`, target: `h:${x.holderId}`, kind: kind === 'close' && v.kind === 'overlap' ? 'close' : 'secondary', minutes: v.minutes });
    }
  }
  // one edge per contact and venue (a contact seen twice at a venue: the stronger finding, the minutes summed)
  const merged = new Map<string, GraphEdge>();
  for (const e of edges) {
    const prev = merged.get(e.id);
    if (!prev) merged.set(e.id, { ...e });
    else {
      prev.kind = prev.kind === 'close' || e.kind === 'close' ? (prev.kind === 'visit' ? 'visit' : 'close') : prev.kind;
      prev.minutes = (prev.minutes ?? 0) + (e.minutes ?? 0);
    }
  }
  return {
    case: { ...presentCase(c), maskedName: labels.get(c.holder_id)?.maskedName ?? '' },
    trace: run && trace ? { runAt: new Date(Number(run.run_at)).toISOString(), caseVisits: trace.caseVisits.map((v) => ({ ...v, venueName: venueNames.get(v.venueId) ?? v.venueId })), contacts: trace.contacts.map((x) => ({ holderId: x.holderId, maskedName: labels.get(x.holderId)?.maskedName ?? '', kind: x.kind, minutes: x.minutes, lastExposureAt: x.lastExposureAt, venues: x.venues.map((v) => v.venueName) })) } : null,
    graph: { nodes, edges: [...merged.values()] },
  };
}

export async function appealQueue(db: Kysely<Database>, f: { status?: AppealTable['status']; overdue?: boolean }, p: Page, read: Read) {
  let q = db.selectFrom('appeals');
  if (f.status) q = q.where('status', '=', f.status);
  if (f.overdue) q = q.where('status', '=', 'open').where('deadline_at', '<', read.now.getTime());
  const total = Number((await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst())?.n ?? 0);
  const rows = await q.selectAll().orderBy('deadline_at').orderBy('id').limit(p.pageSize).offset(offset(p)).execute();
  await auditHolderRead(db, read.staff, rows.map((r) => r.holder_id), { action: 'console.appeals.read', reason: read.reason, now: read.now });
  const labels = await holderLabels(db, rows.map((r) => r.holder_id));
  const items = await presentAppeals(db, rows, read.now, null);
  return { total, ...p, items: items.map((a) => ({ ...a, maskedName: labels.get(a.holderId)?.maskedName ?? '' })) };
}

export async function overrideQueue(db: Kysely<Database>, f: { status?: OverrideTable['status']; mine?: boolean }, p: Page, read: Read) {
  const t = read.now.getTime();
  let q = db.selectFrom('overrides');
  // the status as of now: proposed or approved past their end are expired
  if (f.status === 'expired') q = q.where((eb) => eb.or([eb('status', '=', 'expired'), eb.and([eb('status', 'in', ['approved', 'proposed']), eb('until', '<=', t)])]));
  else if (f.status === 'proposed' || f.status === 'approved') q = q.where('status', '=', f.status).where('until', '>', t);
  else if (f.status) q = q.where('status', '=', f.status);
  if (f.mine) q = q.where('proposed_by', '=', read.staff.id);
  const total = Number((await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst())?.n ?? 0);
  const rows = await q.selectAll().orderBy('proposed_at', 'desc').orderBy('id').limit(p.pageSize).offset(offset(p)).execute();
  await auditHolderRead(db, read.staff, rows.map((r) => r.holder_id), { action: 'console.overrides.read', reason: read.reason, now: read.now });
  const labels = await holderLabels(db, rows.map((r) => r.holder_id));
  // the officials by name, so that the two people of the four-eyes rule are visible
  const staffIds = [...new Set(rows.flatMap((r) => [r.proposed_by, ...(r.decided_by ? [r.decided_by] : [])]))];
  const names = new Map(staffIds.length ? (await db.selectFrom('staff_accounts').select(['id', 'display_name']).where('id', 'in', staffIds).execute()).map((s) => [s.id, s.display_name]) : []);
  return {
    total,
    ...p,
    items: rows.map((r) => ({
      ...presentOverride(r, read.now, null),
      maskedName: labels.get(r.holder_id)?.maskedName ?? '',
      proposedByName: names.get(r.proposed_by) ?? r.proposed_by,
      decidedByName: r.decided_by ? (names.get(r.decided_by) ?? r.decided_by) : null,
    })),
  };
}

/**
 * Finds a holder by ID document number (compared by its keyed hash, as stored) for casework such
 * as proposing an override; the look-up, found or not, is audited with the stated reason.
 */
export async function findHolderForCasework(db: Kysely<Database>, idNumber: string, idHashKey: Buffer, read: Read) {
  const row = await db.selectFrom('holders').select(['id', 'name', 'date_of_birth', 'id_last4', 'region']).where('id_hash', '=', idHash(idNumber, idHashKey)).executeTakeFirst();
  if (!row) {
    await appendAudit(db, [{ at: read.now, actor: { kind: 'staff', id: read.staff.id, role: read.staff.role }, action: 'console.holder_lookup', subject: null, reason: read.reason, detail: { outcome: 'not_found' } }]);
    throw new DomainError('not_found', 'no holder is registered with this ID document number');
  }
  await auditHolderRead(db, read.staff, [row.id], { action: 'console.holder_lookup', reason: read.reason, now: read.now, detail: { outcome: 'found' } });
  const status = await db.selectFrom('holder_status').select(['colour']).where('holder_id', '=', row.id).executeTakeFirst();
  return { id: row.id, maskedName: maskName(row.name), birthYear: Number(row.date_of_birth.slice(0, 4)), idLast4: row.id_last4, region: row.region, colour: status?.colour ?? null };
}

export interface AuditFilter {
  action?: string;
  actorId?: string;
  actorRole?: string;
  subjectId?: string;
  from?: number;
  to?: number;
  /** keyset paging, newest first: entries with seq below this */
  before?: number;
}

/** The audit log newest first, filtered, in keyset pages (seq), with the filtered total. */
export async function auditPage(db: Kysely<Database>, f: AuditFilter, pageSize: number) {
  let q = db.selectFrom('audit_log');
  // a prefix match without LIKE's wildcards (action names contain '_')
  if (f.action) q = q.where(sql<string>`substr(action, 1, ${f.action.length})`, '=', f.action);
  if (f.actorId) q = q.where('actor_id', '=', f.actorId);
  if (f.actorRole) q = q.where('actor_role', '=', f.actorRole);
  if (f.subjectId) q = q.where('subject_id', '=', f.subjectId);
  if (f.from !== undefined) q = q.where('at', '>=', f.from);
  if (f.to !== undefined) q = q.where('at', '<', f.to);
  const total = Number((await q.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst())?.n ?? 0);
  if (f.before !== undefined) q = q.where('seq', '<', f.before);
  const rows = await q.selectAll().orderBy('seq', 'desc').limit(pageSize + 1).execute();
  const page = rows.slice(0, pageSize);
  return {
    total,
    pageSize,
    next: rows.length > pageSize ? Number(page[page.length - 1]!.seq) : null,
    items: page.map((r) => ({
      seq: Number(r.seq),
      at: new Date(Number(r.at)).toISOString(),
      actor: { kind: r.actor_kind, id: r.actor_id, role: r.actor_role },
      action: r.action,
      subject: r.subject_kind && r.subject_id ? { kind: r.subject_kind, id: r.subject_id } : null,
      reason: r.reason,
      detail: r.detail,
      hash: r.hash,
    })),
  };
}

export function checkReason(reason: string | undefined): string {
  if (!reason || reason.trim().length < 5) throw new DomainError('reason_required', 'state why you read this data (at least a few words); it is recorded and shown to the holders concerned');
  return reason.trim();
}
