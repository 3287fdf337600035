// Visits from scans. Pure.
//
// A scan with direction "in" followed by the holder's next scan being an "out" at the same
// venue makes one visit between them. Any other scan starts a stay of the ruleset's default
// length, cut short by the holder's next scan anywhere (nobody is in two places at once).
// A lone "out" closes nothing and is ignored.

export interface ScanPoint {
  venueId: string;
  at: number;
  direction: 'in' | 'out' | null;
}

export interface Visit {
  holderId: string;
  venueId: string;
  start: number;
  end: number;
}

export function visitsFromScans(holderId: string, scans: readonly ScanPoint[], defaultStayMs: number): Visit[] {
  const sorted = [...scans].sort((a, b) => a.at - b.at || (a.direction === 'out' ? 1 : 0) - (b.direction === 'out' ? 1 : 0));
  const visits: Visit[] = [];
  for (let i = 0; i < sorted.length; i++) {
    const s = sorted[i]!;
    if (s.direction === 'out') continue;
    const next = sorted[i + 1];
    if (s.direction === 'in' && next && next.direction === 'out' && next.venueId === s.venueId) {
      visits.push({ holderId, venueId: s.venueId, start: s.at, end: next.at });
      i++;
      continue;
    }
    const end = Math.min(s.at + defaultStayMs, next ? next.at : Number.POSITIVE_INFINITY);
    visits.push({ holderId, venueId: s.venueId, start: s.at, end });
  }
  return visits;
}
