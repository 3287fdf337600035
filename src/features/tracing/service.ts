// Tracing a case from scans: the case's visits in its infectious window, the people at those
// venues around those times, their visits, and the pure overlap rules (src/core/tracing).
// Applying it records one exposure per (case, contact) — re-running applies nothing twice, and
// upgrades a secondary contact to close only if new scans show it — and re-assesses the contacts.
// The exposure names the venue and time, never the case.
import crypto from 'node:crypto';
import type { Kysely } from 'kysely';
import { traceContacts, type Contact } from '../../core/tracing/trace.ts';
import { visitsFromScans, type ScanPoint, type Visit } from '../../core/tracing/visits.ts';
import type { Database } from '../../db/schema.ts';
import type { Random } from '../../support/clock.ts';
import { reassessMany } from '../assessments/service.ts';
import type { RuleBook } from '../rules/book.ts';
import { getCase } from '../cases/service.ts';
import { reportedVisits } from '../compliance/service.ts';

const MINUTE = 60_000;

async function scansOf(db: Kysely<Database>, holderIds: string[], from: number, to: number): Promise<Map<string, ScanPoint[]>> {
  const out = new Map<string, ScanPoint[]>();
  for (let i = 0; i < holderIds.length; i += 500) {
    const rows = await db
      .selectFrom('scans')
      .select(['holder_id', 'venue_id', 'scanned_at', 'direction'])
      .where('holder_id', 'in', holderIds.slice(i, i + 500))
      .where('scanned_at', '>=', from)
      .where('scanned_at', '<=', to)
      .execute();
    for (const r of rows) {
      const list = out.get(r.holder_id!) ?? [];
      list.push({ venueId: r.venue_id, at: r.scanned_at, direction: r.direction === 'in' || r.direction === 'out' ? r.direction : null });
      out.set(r.holder_id!, list);
    }
  }
  return out;
}

export interface TraceResult {
  runId: string;
  caseId: string;
  caseVisits: { venueId: string; from: string; to: string }[];
  contacts: (Omit<Contact, 'lastExposureAt' | 'venues'> & {
    lastExposureAt: string;
    venues: { venueId: string; venueName: string; from: string; to: string; minutes: number; kind: string }[];
  })[];
  newExposures: number;
}

/** Finds the contacts of a case (reads only). */
export async function findContacts(db: Kysely<Database>, caseId: string, rules: RuleBook, now: Date) {
  const c = await getCase(db, caseId);
  const p = rules.inForce(now).parameters;
  const stay = p.defaultStayMinutes * MINUTE;
  const after = p.secondaryWindowMinutes * MINUTE;
  const window = { from: c.infectious_from, to: c.infectious_to };
  // the case's own scans, from one default stay before the window (a stay running into it)
  const own = (await scansOf(db, [c.holder_id], window.from - stay, window.to)).get(c.holder_id) ?? [];
  const caseVisits = visitsFromScans(c.holder_id, own, stay).filter((v) => v.end > window.from && v.start < window.to);
  // visits the case reported in an interview that no scan of theirs shows: the scans of everyone else there then
  caseVisits.push(...(await reportedVisits(db, c.id, c.holder_id, window)));
  // for each of the case's visits: who was scanned at that venue from one stay before it to the
  // secondary window after it, and those people's scans around that window (their next scan
  // anywhere cuts a stay short) — the cost follows the case's visits and the people met
  const venues = new Set(caseVisits.map((v) => v.venueId));
  const theirs = new Map<string, Map<string, ScanPoint>>();
  for (const v of caseVisits) {
    const rows = await db
      .selectFrom('scans')
      .select('holder_id')
      .distinct()
      .where('venue_id', '=', v.venueId)
      .where('scanned_at', '>=', v.start - stay)
      .where('scanned_at', '<=', v.end + after)
      .where('holder_id', 'is not', null)
      .execute();
    const ids = rows.map((r) => r.holder_id!).filter((id) => id !== c.holder_id);
    if (ids.length === 0) continue;
    const around = await scansOf(db, ids, v.start - 2 * stay, v.end + after + stay);
    for (const [holderId, scans] of around) {
      const m = theirs.get(holderId) ?? new Map<string, ScanPoint>();
      for (const s of scans) m.set(`${s.at}|${s.venueId}|${s.direction}`, s);
      theirs.set(holderId, m);
    }
  }
  const others: Visit[] = [];
  for (const [holderId, scans] of theirs) {
    for (const v of visitsFromScans(holderId, [...scans.values()], stay)) if (venues.has(v.venueId)) others.push(v);
  }
  const contacts = traceContacts(c.holder_id, caseVisits, others, window, p);
  return { case: c, caseVisits, contacts };
}

export async function traceCase(
  db: Kysely<Database>,
  caseId: string,
  ctx: { now: Date; random: Random; rules: RuleBook; runBy: string },
): Promise<TraceResult> {
  const { case: c, caseVisits, contacts } = await findContacts(db, caseId, ctx.rules, ctx.now);
  const venueIds = [...new Set(contacts.flatMap((x) => x.venues.map((v) => v.venueId)))];
  const venueNames = new Map(
    venueIds.length === 0 ? [] : (await db.selectFrom('venues').select(['id', 'name']).where('id', 'in', venueIds).execute()).map((v) => [v.id, v.name]),
  );
  const changed: string[] = [];
  for (const contact of contacts) {
    // deterministic (re-runs find it) but opaque: nothing the holder sees leads to the case
    const id = crypto.createHash('sha256').update(`exposure:${c.id}:${contact.holderId}`).digest('hex').slice(0, 32);
    const main = [...contact.venues].sort((a, b) => b.minutes - a.minutes || b.to - a.to)[0]!;
    const row = {
      id,
      holder_id: contact.holderId,
      kind: contact.kind,
      last_exposure_at: contact.lastExposureAt,
      notified_at: ctx.now.getTime(),
      venue_id: main.venueId,
      venue_name: venueNames.get(main.venueId) ?? main.venueId,
      minutes: contact.minutes,
      source_ref: c.id,
    };
    const existing = await db.selectFrom('exposures').select(['kind', 'minutes', 'last_exposure_at']).where('id', '=', id).executeTakeFirst();
    if (!existing) {
      await db.insertInto('exposures').values(row).onConflict((oc) => oc.column('id').doNothing()).execute();
      changed.push(contact.holderId);
    } else if ((existing.kind === 'secondary' && contact.kind === 'close') || existing.last_exposure_at < contact.lastExposureAt) {
      // later scans showed more: the stronger finding applies, known from now
      await db
        .updateTable('exposures')
        .set({ kind: contact.kind === 'close' || existing.kind === 'close' ? 'close' : 'secondary', minutes: Math.max(existing.minutes, contact.minutes), last_exposure_at: contact.lastExposureAt, notified_at: ctx.now.getTime() })
        .where('id', '=', id)
        .execute();
      changed.push(contact.holderId);
    }
  }
  if (changed.length > 0) {
    const holders = await db.selectFrom('holders').select(['id', 'time_zone', 'date_of_birth']).where('id', 'in', changed).execute();
    for (let i = 0; i < holders.length; i += 500) {
      await reassessMany(
        db,
        holders.slice(i, i + 500).map((h) => ({ id: h.id, timeZone: h.time_zone, dateOfBirth: h.date_of_birth })),
        ctx,
        { kind: 'trace_result', ref: null },
      );
    }
  }
  const result: TraceResult = {
    runId: ctx.random.uuid(),
    caseId: c.id,
    caseVisits: caseVisits.map((v) => ({ venueId: v.venueId, from: new Date(v.start).toISOString(), to: new Date(v.end).toISOString() })),
    contacts: contacts.map((x) => ({
      holderId: x.holderId,
      kind: x.kind,
      minutes: x.minutes,
      lastExposureAt: new Date(x.lastExposureAt).toISOString(),
      venues: x.venues.map((v) => ({ venueId: v.venueId, venueName: venueNames.get(v.venueId) ?? v.venueId, from: new Date(v.from).toISOString(), to: new Date(v.to).toISOString(), minutes: v.minutes, kind: v.kind })),
    })),
    newExposures: changed.length,
  };
  await db
    .insertInto('trace_runs')
    .values({
      id: result.runId,
      case_id: c.id,
      run_at: ctx.now.getTime(),
      run_by: ctx.runBy,
      case_visits: caseVisits.length,
      close_contacts: contacts.filter((x) => x.kind === 'close').length,
      secondary_contacts: contacts.filter((x) => x.kind === 'secondary').length,
      new_exposures: changed.length,
      result: JSON.stringify(result),
    })
    .execute();
  return result;
}
