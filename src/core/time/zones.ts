// Calendar dates in a holder's time zone ↔ instants. Pure; no clock.

// Building an Intl.DateTimeFormat costs far more than using one: keep one per zone and shape.
const formats = new Map<string, Intl.DateTimeFormat>();
function format(kind: 'parts' | 'date' | 'minute', timeZone: string): Intl.DateTimeFormat {
  const key = `${kind}|${timeZone}`;
  let f = formats.get(key);
  if (!f) {
    f =
      kind === 'date'
        ? new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' })
        : new Intl.DateTimeFormat(kind === 'parts' ? 'en-US' : 'en-CA', {
            timeZone,
            hourCycle: 'h23',
            year: 'numeric',
            month: '2-digit',
            day: '2-digit',
            hour: '2-digit',
            minute: '2-digit',
            ...(kind === 'parts' ? { second: '2-digit' } : {}),
          });
    formats.set(key, f);
  }
  return f;
}

function offsetMs(instant: number, timeZone: string): number {
  const parts = format('parts', timeZone).formatToParts(new Date(instant));
  const get = (t: string): number => Number(parts.find((p) => p.type === t)?.value);
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return asUtc - Math.floor(instant / 1000) * 1000;
}

/** The instant at which the calendar date `date` (YYYY-MM-DD) begins in `timeZone`. */
export function startOfLocalDate(date: string, timeZone: string): Date {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const guess = Date.UTC(y, m - 1, d);
  let instant = guess - offsetMs(guess, timeZone);
  // a second pass settles dates whose midnight falls near an offset change
  instant = guess - offsetMs(instant, timeZone);
  // where the clocks jump forward at midnight (America/Santiago, America/Havana) the date has no
  // 00:00: it begins at the first moment that is on it
  for (let i = 0; i < 8 && localDate(new Date(instant), timeZone) < date; i++) instant += 30 * 60_000;
  return new Date(instant);
}

/** The calendar date (YYYY-MM-DD) of an instant in `timeZone`. */
export function localDate(instant: Date, timeZone: string): string {
  return format('date', timeZone).format(instant);
}

/** The day after a calendar date. */
export function nextDate(date: string): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10);
}

/** True when `date` is a real calendar date (rejects 2026-02-30). */
export function isCalendarDate(date: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) return false;
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const t = new Date(Date.UTC(y, m - 1, d));
  return t.getUTCFullYear() === y && t.getUTCMonth() === m - 1 && t.getUTCDate() === d;
}

export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;

/** "2026-11-30 16:48" in `timeZone`, for reason texts a holder reads. */
export function formatLocal(instant: Date, timeZone: string): string {
  const p = format('minute', timeZone).formatToParts(instant);
  const get = (t: string): string => p.find((x) => x.type === t)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')} ${get('hour')}:${get('minute')}`;
}

/** The day before a calendar date. */
export function prevDate(date: string): string {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d - 1)).toISOString().slice(0, 10);
}
