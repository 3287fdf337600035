// Stays in risk areas, derived from declared travel (and, with tracing, from scans at venues in
// an area). Pure.
import { DAY_MS, nextDate, startOfLocalDate } from '../time/zones.ts';
import type { DeclarationFact, RiskAreaFact, RiskAreaStayFact } from './types.ts';

/** A region is in an area when it is the area's region or one of its sub-regions (CN-LX-03-A1 in CN-LX-03). */
export function regionWithin(region: string, areaRegion: string): boolean {
  return region === areaRegion || region.startsWith(areaRegion + '-');
}

/**
 * For each declared place and each risk area it overlaps in time: a stay, known when declared,
 * ending where the overlap ends. Stays that ended more than `lookbackDays` before they were
 * declared are left out ("in a high-risk area in the last 14 days").
 */
export function declaredStays(
  declarations: readonly DeclarationFact[],
  areas: readonly RiskAreaFact[],
  timeZone: string,
  lookbackDays: number,
): RiskAreaStayFact[] {
  const out: RiskAreaStayFact[] = [];
  for (const d of declarations) {
    d.placesVisited.forEach((place, i) => {
      const stayStart = startOfLocalDate(place.from, timeZone).getTime();
      const stayEnd = startOfLocalDate(nextDate(place.to), timeZone).getTime();
      for (const area of areas) {
        if (area.venueIds || !regionWithin(place.region, area.region)) continue;
        const from = Math.max(stayStart, area.startsAt.getTime());
        const to = Math.min(stayEnd, area.endsAt?.getTime() ?? Number.POSITIVE_INFINITY, d.declaredAt.getTime());
        if (to <= from) continue;
        if (to < d.declaredAt.getTime() - lookbackDays * DAY_MS) continue;
        out.push({
          id: `${d.id}/${i}/${area.id}`,
          areaId: area.id,
          region: area.region,
          level: area.level,
          place: place.region,
          lastPresentAt: new Date(to),
          knownAt: d.declaredAt,
          source: 'declaration',
        });
      }
    });
  }
  return out;
}

export interface ScanAt {
  venueId: string;
  venueName: string;
  venueRegion: string;
  at: Date;
}

/**
 * Stays in risk areas from the holder's own scans: one per area, ending at the last scan there
 * while it was a risk area, known when both the scan and the area were (a fact takes effect when
 * it becomes known). Scans older than `lookbackDays` before now are left out.
 */
export function scannedStays(scans: readonly ScanAt[], areas: readonly RiskAreaFact[], lookbackDays: number, now: Date): RiskAreaStayFact[] {
  const out: RiskAreaStayFact[] = [];
  for (const area of areas) {
    let last: ScanAt | null = null;
    for (const s of scans) {
      const inArea = area.venueIds ? area.venueIds.includes(s.venueId) : regionWithin(s.venueRegion, area.region);
      if (!inArea) continue;
      const t = s.at.getTime();
      if (t < area.startsAt.getTime() || (area.endsAt !== null && t >= area.endsAt.getTime())) continue;
      if (t < now.getTime() - lookbackDays * DAY_MS || t > now.getTime()) continue;
      if (!last || t > last.at.getTime()) last = s;
    }
    if (!last) continue;
    out.push({
      id: `scan/${area.id}`,
      areaId: area.id,
      region: area.venueIds ? last.venueRegion : area.region,
      level: area.level,
      place: last.venueName,
      lastPresentAt: last.at,
      knownAt: new Date(Math.max(last.at.getTime(), area.declaredAt?.getTime() ?? area.startsAt.getTime())),
      source: 'scan',
    });
  }
  return out;
}
