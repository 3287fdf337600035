// Impossible facts, found before they are stored: a time in the future, a result reported before
// it was sampled, a sample before the holder was born, an exposure notified before it happened,
// a stay known before it ended. Pure: the clock is a parameter. The rules would evaluate such
// facts without complaint, and give a colour nobody could explain; the services refuse them.
import { isCalendarDate, localDate, startOfLocalDate } from '../time/zones.ts';
import type { Facts } from './types.ts';

export type FactProblemCode =
  /** not a time at all (an invalid Date, or a date that is not on the calendar) */
  | 'invalid_date'
  /** later than now plus the allowed clock skew */
  | 'future_date'
  /** before the holder's date of birth */
  | 'before_birth'
  /** two times of one fact in an impossible order (reported before sampled, notified before exposed…) */
  | 'order'
  /** two facts of one kind with the same id */
  | 'duplicate_id'
  /** a value out of its possible range (a temperature, minutes, a time zone) */
  | 'invalid_value';

export interface FactProblem {
  /** where, e.g. "labResults[2].reportedAt" */
  path: string;
  code: FactProblemCode;
  message: string;
}

/** Clocks of phones, labs and checkpoints differ: a time up to this far ahead of ours is accepted. */
export const CLOCK_SKEW_MS = 5 * 60_000;

/** Plausible declared body temperatures, as the declaration form accepts them. */
export const TEMPERATURE_RANGE_C = { min: 30, max: 45 } as const;

function validTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/** Every impossible date or value in `facts` as of `now`; an empty list when there is none. */
export function checkFacts(facts: Facts, now: Date, opts: { dateOfBirth?: string } = {}): FactProblem[] {
  const problems: FactProblem[] = [];
  const add = (path: string, code: FactProblemCode, message: string): void => {
    problems.push({ path, code, message });
  };
  const latest = now.getTime() + CLOCK_SKEW_MS;

  let tz = facts.holder.timeZone;
  if (!validTimeZone(tz)) {
    add('holder.timeZone', 'invalid_value', `unknown time zone ${JSON.stringify(tz)}`);
    tz = 'UTC';
  }
  const today = localDate(new Date(latest), tz);

  // the holder's birth, as the instant their date of birth began where they live
  let bornAt: number | null = null;
  let bornOn: string | null = null;
  const dob = opts.dateOfBirth ?? facts.holder.dateOfBirth;
  if (dob !== undefined) {
    const path = opts.dateOfBirth === undefined ? 'holder.dateOfBirth' : 'dateOfBirth';
    if (!isCalendarDate(dob)) add(path, 'invalid_date', `${JSON.stringify(dob)} is not a calendar date (YYYY-MM-DD)`);
    else if (dob > today) add(path, 'future_date', `date of birth ${dob} is in the future`);
    else {
      bornOn = dob;
      bornAt = startOfLocalDate(dob, tz).getTime();
    }
  }

  /** Checks one instant; returns its time, or null when it is not a valid time. */
  const instant = (path: string, d: Date, what: string, opts2: { birth?: boolean } = {}): number | null => {
    const t = d instanceof Date ? d.getTime() : Number.NaN;
    if (Number.isNaN(t)) {
      add(path, 'invalid_date', `${what} is not a valid time`);
      return null;
    }
    if (t > latest) add(path, 'future_date', `${what} (${d.toISOString()}) is in the future (now is ${now.toISOString()})`);
    if (opts2.birth !== false && bornAt !== null && t < bornAt) add(path, 'before_birth', `${what} (${d.toISOString()}) is before the holder's date of birth ${bornOn}`);
    return t;
  };
  /** `earlier` must not be after `later` */
  const ordered = (path: string, earlier: number | null, later: number | null, message: string): void => {
    if (earlier !== null && later !== null && later < earlier) add(path, 'order', message);
  };
  const uniqueIds = (kind: string, items: readonly { id: string }[]): void => {
    const seen = new Set<string>();
    items.forEach((x, i) => {
      if (seen.has(x.id)) add(`${kind}[${i}].id`, 'duplicate_id', `another ${kind} fact has the id ${JSON.stringify(x.id)}`);
      seen.add(x.id);
    });
  };

  facts.declarations.forEach((d, i) => {
    const p = `declarations[${i}]`;
    const at = instant(`${p}.declaredAt`, d.declaredAt, 'the declaration');
    if (d.temperatureC !== null && !(Number.isFinite(d.temperatureC) && d.temperatureC >= TEMPERATURE_RANGE_C.min && d.temperatureC <= TEMPERATURE_RANGE_C.max)) {
      add(`${p}.temperatureC`, 'invalid_value', `a body temperature of ${d.temperatureC} °C is outside ${TEMPERATURE_RANGE_C.min}–${TEMPERATURE_RANGE_C.max} °C`);
    }
    const declaredOn = at === null ? null : localDate(d.declaredAt, tz);
    d.placesVisited.forEach((place, j) => {
      const q = `${p}.placesVisited[${j}]`;
      const from = isCalendarDate(place.from) ? place.from : null;
      const to = isCalendarDate(place.to) ? place.to : null;
      if (from === null) add(`${q}.from`, 'invalid_date', `${JSON.stringify(place.from)} is not a calendar date (YYYY-MM-DD)`);
      if (to === null) add(`${q}.to`, 'invalid_date', `${JSON.stringify(place.to)} is not a calendar date (YYYY-MM-DD)`);
      if (from !== null && to !== null && to < from) add(`${q}.to`, 'order', `the visit ends (${to}) before it starts (${from})`);
      if (to !== null && declaredOn !== null && to > declaredOn) add(`${q}.to`, 'order', `the visit ends (${to}) after the day it was declared (${declaredOn})`);
      if (from !== null && bornOn !== null && from < bornOn) add(`${q}.from`, 'before_birth', `the visit starts (${from}) before the holder's date of birth ${bornOn}`);
    });
  });
  uniqueIds('declarations', facts.declarations);

  facts.labResults.forEach((l, i) => {
    const p = `labResults[${i}]`;
    const sampled = instant(`${p}.sampledAt`, l.sampledAt, 'the sample');
    const reported = instant(`${p}.reportedAt`, l.reportedAt, 'the report', { birth: false });
    ordered(`${p}.reportedAt`, sampled, reported, 'the result was reported before it was sampled');
  });
  uniqueIds('labResults', facts.labResults);

  facts.exposures.forEach((e, i) => {
    const p = `exposures[${i}]`;
    const exposed = instant(`${p}.lastExposureAt`, e.lastExposureAt, 'the exposure');
    const notified = instant(`${p}.notifiedAt`, e.notifiedAt, 'the notification', { birth: false });
    ordered(`${p}.notifiedAt`, exposed, notified, 'the exposure was notified before it happened');
    if (!(Number.isFinite(e.minutes) && e.minutes >= 0)) add(`${p}.minutes`, 'invalid_value', `${e.minutes} is not a number of minutes`);
  });
  uniqueIds('exposures', facts.exposures);

  facts.riskAreaStays.forEach((s, i) => {
    const p = `riskAreaStays[${i}]`;
    const ended = instant(`${p}.lastPresentAt`, s.lastPresentAt, 'the end of the stay');
    const known = instant(`${p}.knownAt`, s.knownAt, 'the time the stay became known', { birth: false });
    ordered(`${p}.knownAt`, ended, known, 'the stay was known before it ended');
  });
  uniqueIds('riskAreaStays', facts.riskAreaStays);

  facts.discharges.forEach((d, i) => {
    instant(`discharges[${i}].at`, d.at, 'the discharge');
  });
  uniqueIds('discharges', facts.discharges);

  facts.checkIns.forEach((c, i) => {
    instant(`checkIns[${i}].at`, c.at, 'the check-in');
  });
  uniqueIds('checkIns', facts.checkIns);

  return problems;
}
