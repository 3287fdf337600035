import { useEffect, useState } from 'react';
import { locale, type Lang } from './i18n.tsx';

/** The current time, re-rendering every `intervalMs` (aligned to the second). */
export function useNow(intervalMs = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout>;
    const tick = () => {
      setNow(Date.now());
      timer = setTimeout(tick, intervalMs - (Date.now() % intervalMs) + 5);
    };
    timer = setTimeout(tick, intervalMs - (Date.now() % intervalMs) + 5);
    return () => clearTimeout(timer);
  }, [intervalMs]);
  return now;
}

export function formatTime(t: number | string, lang: Lang): string {
  return new Intl.DateTimeFormat(locale(lang), { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false }).format(
    new Date(t),
  );
}

export function formatDateTime(t: number | string, lang: Lang): string {
  const d = new Date(t);
  if (Number.isNaN(d.getTime())) return String(t);
  return new Intl.DateTimeFormat(locale(lang), {
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
  }).format(d);
}

export function formatDate(t: number | string, lang: Lang): string {
  const d = new Date(t);
  if (Number.isNaN(d.getTime())) return String(t);
  return new Intl.DateTimeFormat(locale(lang), { year: 'numeric', month: 'long', day: 'numeric', weekday: 'short' }).format(d);
}

/** m:ss (or h:mm:ss) for a duration in ms; negative durations clamp to 0:00. */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const ss = String(s).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/** Today's local date as YYYY-MM-DD. */
export function localDate(d = new Date()): string {
  const y = d.getFullYear();
  const m = String(d.getMonth() + 1).padStart(2, '0');
  const day = String(d.getDate()).padStart(2, '0');
  return `${y}-${m}-${day}`;
}

/** `tz` if this browser knows the IANA zone, else undefined (the browser's own zone). */
export function safeTimeZone(tz: string | undefined | null): string | undefined {
  if (!tz) return undefined;
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return tz;
  } catch {
    return undefined;
  }
}

/** The browser's own IANA time zone, when it says. */
export function browserTimeZone(): string | undefined {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || undefined;
  } catch {
    return undefined;
  }
}

/** Date-time in a given zone: "23 Nov 2026, 16:00" / "2026年11月23日 16:00". */
export function formatDateTimeIn(t: number | string, lang: Lang, timeZone?: string): string {
  const d = new Date(t);
  if (Number.isNaN(d.getTime())) return String(t);
  return new Intl.DateTimeFormat(locale(lang), {
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
    timeZone: safeTimeZone(timeZone),
  }).format(d);
}

/**
 * A moment in the near future, short and with the weekday: "Mon 30 Nov, 16:00" / "11月30日周一 16:00".
 * The year is added when it is not the year of `nowMs`.
 */
export function formatDue(t: number | string, lang: Lang, timeZone?: string, nowMs: number = Date.now()): string {
  const d = new Date(t);
  if (Number.isNaN(d.getTime())) return String(t);
  const tz = safeTimeZone(timeZone);
  const yearOf = (x: Date) => new Intl.DateTimeFormat('en', { year: 'numeric', timeZone: tz }).format(x);
  const otherYear = yearOf(d) !== yearOf(new Date(nowMs));
  return new Intl.DateTimeFormat(locale(lang), {
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    ...(otherYear ? { year: 'numeric' } : {}),
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
    timeZone: tz,
  }).format(d);
}

/** The calendar date (YYYY-MM-DD) of a moment in a given zone. */
export function localDateIn(t: number | Date, timeZone?: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', { year: 'numeric', month: '2-digit', day: '2-digit', timeZone: safeTimeZone(timeZone) }).formatToParts(
    typeof t === 'number' ? new Date(t) : t,
  );
  const get = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${get('year')}-${get('month')}-${get('day')}`;
}

const SPAN_WORDS: Record<Lang, { day: string; days: string; h: string; min: string; lessThanMinute: string }> = {
  en: { day: '{n} day', days: '{n} days', h: '{n} h', min: '{n} min', lessThanMinute: 'less than a minute' },
  'zh-CN': { day: '{n} 天', days: '{n} 天', h: '{n} 小时', min: '{n} 分钟', lessThanMinute: '不到 1 分钟' },
};

/** A long duration in words, two units at most: "4 days 6 h", "6 h 20 min", "20 min" (rounded up to the minute). */
export function formatSpan(ms: number, lang: Lang): string {
  const w = SPAN_WORDS[lang];
  if (!(ms > 0)) return w.lessThanMinute;
  const minutes = Math.ceil(ms / 60_000);
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const mins = minutes % 60;
  const n = (template: string, v: number) => template.replace('{n}', String(v));
  if (days > 0) return [n(days === 1 ? w.day : w.days, days), hours > 0 ? n(w.h, hours) : ''].filter(Boolean).join(' ');
  if (hours > 0) return [n(w.h, hours), mins > 0 ? n(w.min, mins) : ''].filter(Boolean).join(' ');
  return n(w.min, mins);
}
