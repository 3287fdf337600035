// Contact tracing over visits. Pure.
//
// MISSION.md: a close contact was at the same venue at the same time as a case for ≥ 15 minutes
// in total, within the case's infectious window. Each overlap between one of the case's visits
// and one of the contact's visits is rounded down to whole 10-minute intervals, and these are
// summed; a close contact's sum is ≥ 15 minutes. Any shorter overlap makes a secondary contact,
// and so does arriving at the venue within 30 minutes after the case left. Visits under 10
// minutes are ignored. Times are compared to the second.

import type { Visit } from './visits.ts';

export interface TraceParams {
  closeContactMinutes: number;
  overlapIntervalMinutes: number;
  minVisitMinutes: number;
  secondaryWindowMinutes: number;
}

export interface ContactVenue {
  venueId: string;
  /** the contact's visit */
  from: number;
  to: number;
  /** whole-interval minutes of overlap with the case there (0 for an arrival after the case left) */
  minutes: number;
  kind: 'overlap' | 'after';
}

export interface Contact {
  holderId: string;
  kind: 'close' | 'secondary';
  minutes: number;
  /** the end of the last exposure: periods count from here */
  lastExposureAt: number;
  venues: ContactVenue[];
}

const SECOND = 1000;
const MINUTE = 60 * SECOND;

function seconds(t: number): number {
  return Math.floor(t / SECOND) * SECOND;
}

/** Clips a visit to a window; null when nothing of it is inside. */
function clip(v: Visit, from: number, to: number): Visit | null {
  const start = Math.max(v.start, from);
  const end = Math.min(v.end, to);
  return end > start ? { ...v, start, end } : null;
}

/**
 * The contacts of a case: `caseVisits` are the case's visits (clipped here to the infectious
 * window), `others` everyone else's visits at those venues around those times.
 */
export function traceContacts(
  caseHolderId: string,
  caseVisits: readonly Visit[],
  others: readonly Visit[],
  window: { from: number; to: number },
  p: TraceParams,
): Contact[] {
  const minVisit = p.minVisitMinutes * MINUTE;
  const interval = p.overlapIntervalMinutes * MINUTE;
  const after = p.secondaryWindowMinutes * MINUTE;
  const exposures = caseVisits
    .map((v) => ({ ...v, start: seconds(v.start), end: seconds(v.end) }))
    .filter((v) => v.end - v.start >= minVisit)
    .map((v) => clip(v, window.from, window.to))
    .filter((v): v is Visit => v !== null);
  const byHolder = new Map<string, { minutes: number; last: number; venues: ContactVenue[]; overlapped: boolean }>();
  for (const o of others) {
    if (o.holderId === caseHolderId) continue;
    const start = seconds(o.start);
    const end = seconds(o.end);
    if (end - start < minVisit) continue;
    for (const c of exposures) {
      if (c.venueId !== o.venueId) continue;
      const overlap = Math.min(end, c.end) - Math.max(start, c.start);
      let entry: ContactVenue | null = null;
      let lastAt = 0;
      if (overlap > 0) {
        entry = { venueId: o.venueId, from: start, to: end, minutes: (Math.floor(overlap / interval) * interval) / MINUTE, kind: 'overlap' };
        lastAt = Math.min(end, c.end);
      } else if (start >= c.end && start - c.end <= after) {
        // arrived after the case left, within the secondary window
        entry = { venueId: o.venueId, from: start, to: end, minutes: 0, kind: 'after' };
        lastAt = start;
      }
      if (!entry) continue;
      const acc = byHolder.get(o.holderId) ?? { minutes: 0, last: 0, venues: [], overlapped: false };
      acc.minutes += entry.minutes;
      acc.last = Math.max(acc.last, lastAt);
      acc.venues.push(entry);
      acc.overlapped ||= entry.kind === 'overlap';
      byHolder.set(o.holderId, acc);
    }
  }
  const contacts: Contact[] = [];
  for (const [holderId, acc] of byHolder) {
    contacts.push({
      holderId,
      kind: acc.minutes >= p.closeContactMinutes ? 'close' : 'secondary',
      minutes: acc.minutes,
      lastExposureAt: acc.last,
      venues: acc.venues.sort((a, b) => a.from - b.from || a.venueId.localeCompare(b.venueId)),
    });
  }
  return contacts.sort((a, b) => a.holderId.localeCompare(b.holderId));
}
