// Gathers the facts the rules read, for one holder or a batch (the bulk path reads each table
// once per batch, not once per holder).
import type { Kysely } from 'kysely';
import type { Ruleset } from '../../core/rules/ruleset.ts';
import { declaredStays, scannedStays } from '../../core/rules/stays.ts';
import type { Facts } from '../../core/rules/types.ts';
import { DAY_MS } from '../../core/time/zones.ts';
import type { Database } from '../../db/schema.ts';
import { rowToDeclaration } from '../declarations/model.ts';
import type { Holder } from '../holders/model.ts';
import { riskAreasSince } from '../risk-areas/repository.ts';
import { rowToOverrideFact } from '../overrides/model.ts';

/** How far back facts can still matter: the longest period, plus the look-back, plus slack. */
export function factHorizon(ruleset: Ruleset, now: Date): Date {
  const p = ruleset.parameters;
  const longest = Math.max(p.caseIsolationDays, p.closeContactDays, p.yellowDays, p.caseCheckIns, p.closeContactCheckIns, p.yellowCheckIns);
  return new Date(now.getTime() - (longest + p.highRiskLookbackDays + 30) * DAY_MS);
}

function group<T extends { holder_id: string }>(rows: T[]): Map<string, T[]> {
  const m = new Map<string, T[]>();
  for (const r of rows) {
    const list = m.get(r.holder_id);
    if (list) list.push(r);
    else m.set(r.holder_id, [r]);
  }
  return m;
}

async function scansWithVenues(db: Kysely<Database>, holderIds: string[], since: number) {
  const rows = await db
    .selectFrom('scans')
    .innerJoin('venues', 'venues.id', 'scans.venue_id')
    .select(['scans.holder_id', 'scans.venue_id', 'scans.scanned_at', 'venues.name', 'venues.region'])
    .where('scans.holder_id', 'in', holderIds)
    .where('scans.scanned_at', '>=', since)
    .where('scans.verdict_ok', '=', 1)
    .execute();
  return rows.map((r) => ({ ...r, holder_id: r.holder_id! }));
}

export async function gatherFactsBulk(
  db: Kysely<Database>,
  holders: readonly Pick<Holder, 'id' | 'timeZone' | 'dateOfBirth'>[],
  ruleset: Ruleset,
  now: Date,
): Promise<Map<string, Facts>> {
  const ids = holders.map((h) => h.id);
  const out = new Map<string, Facts>();
  if (ids.length === 0) return out;
  const since = factHorizon(ruleset, now).getTime();
  const [declarations, labs, exposures, discharges, checkIns, areas, overrides] = await Promise.all([
    db.selectFrom('declarations').selectAll().where('holder_id', 'in', ids).where('declared_at', '>=', since).execute(),
    db.selectFrom('lab_results').selectAll().where('holder_id', 'in', ids).where('sampled_at', '>=', since).execute(),
    db.selectFrom('exposures').selectAll().where('holder_id', 'in', ids).where('notified_at', '>=', since).execute(),
    db.selectFrom('discharges').selectAll().where('holder_id', 'in', ids).where('at', '>=', since).execute(),
    db.selectFrom('check_ins').selectAll().where('holder_id', 'in', ids).where('at', '>=', since).execute(),
    riskAreasSince(db, new Date(since)),
    // approved manual decisions (two people), still in force or recently ended
    db.selectFrom('overrides').selectAll().where('holder_id', 'in', ids).where('approved_by', 'is not', null).where('until', '>=', since).execute(),
  ]);
  const byDecl = group(declarations);
  const byLab = group(labs);
  const byExp = group(exposures);
  const byDis = group(discharges);
  const byCheck = group(checkIns);
  const byOverride = group(overrides);
  // scans at venues in risk areas, only when there are areas to be in
  const scans = areas.length === 0 ? [] : await scansWithVenues(db, ids, Math.max(since, now.getTime() - ruleset.parameters.highRiskLookbackDays * DAY_MS));
  const byScan = group(scans);
  for (const h of holders) {
    const decl = (byDecl.get(h.id) ?? []).sort((a, b) => a.declared_at - b.declared_at || a.id.localeCompare(b.id)).map(rowToDeclaration);
    out.set(h.id, {
      holder: { id: h.id, timeZone: h.timeZone, dateOfBirth: h.dateOfBirth },
      declarations: decl,
      labResults: (byLab.get(h.id) ?? []).map((r) => ({
        id: r.id,
        kind: r.kind,
        result: r.result,
        sampledAt: new Date(r.sampled_at),
        reportedAt: new Date(r.reported_at),
        verified: r.verified === 1,
      })),
      exposures: (byExp.get(h.id) ?? []).map((r) => ({
        id: r.id,
        kind: r.kind,
        lastExposureAt: new Date(r.last_exposure_at),
        notifiedAt: new Date(r.notified_at),
        venueName: r.venue_name,
        minutes: r.minutes,
      })),
      riskAreaStays: [
        ...declaredStays(decl, areas, h.timeZone, ruleset.parameters.highRiskLookbackDays),
        ...scannedStays(
          (byScan.get(h.id) ?? []).map((s) => ({ venueId: s.venue_id, venueName: s.name, venueRegion: s.region, at: new Date(s.scanned_at) })),
          areas,
          ruleset.parameters.highRiskLookbackDays,
          now,
        ),
      ],
      discharges: (byDis.get(h.id) ?? []).map((r) => ({ id: r.id, at: new Date(r.at) })),
      checkIns: (byCheck.get(h.id) ?? []).map((r) => ({ id: r.id, at: new Date(r.at) })),
      overrides: (byOverride.get(h.id) ?? []).flatMap((r) => rowToOverrideFact(r) ?? []),
    });
  }
  return out;
}
