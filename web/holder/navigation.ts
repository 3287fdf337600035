// Which screen of the holder app is open (in the URL's hash, so Back works and a reload stays),
// and a venue check-in waiting to be confirmed: a venue poster's QR code opens `/?checkin=<id>`,
// which may need a log-in first, so the venue id is kept in sessionStorage until it is confirmed
// or cancelled.
import { useCallback, useEffect, useState } from 'react';

export const SCREENS = ['code', 'inbox', 'visit', 'more', 'tests', 'appeals', 'access', 'data'] as const;
export type Screen = (typeof SCREENS)[number];

/** The screens reached from "More": the tab bar marks "More" while one of them is open. */
export const MORE_SCREENS: readonly Screen[] = ['more', 'tests', 'appeals', 'access', 'data'];

function screenOfHash(hash: string): Screen {
  const name = hash.replace(/^#/, '');
  return (SCREENS as readonly string[]).includes(name) ? (name as Screen) : 'code';
}

/** The open screen and a function to open another (a new history entry). */
export function useScreen(): [Screen, (s: Screen) => void] {
  const [screen, setScreen] = useState<Screen>(() => screenOfHash(window.location.hash));
  useEffect(() => {
    const sync = () => setScreen(screenOfHash(window.location.hash));
    window.addEventListener('hashchange', sync);
    window.addEventListener('popstate', sync);
    return () => {
      window.removeEventListener('hashchange', sync);
      window.removeEventListener('popstate', sync);
    };
  }, []);
  const go = useCallback((s: Screen) => {
    const url = s === 'code' ? window.location.pathname + window.location.search : `#${s}`;
    if (screenOfHash(window.location.hash) !== s) window.history.pushState(null, '', url);
    setScreen(s);
    window.scrollTo(0, 0);
  }, []);
  return [screen, go];
}

// ---------------------------------------------------------------- venue check-in links

const PENDING_KEY = 'hc.pendingCheckIn';
/** The query parameter of a venue poster's URL (src/features/venues/routes.ts VENUE_CHECKIN_PREFIX). */
export const CHECKIN_PARAM = 'checkin';
const VENUE_ID = /^[A-Za-z0-9._-]{1,64}$/;

export function pendingCheckIn(): string | null {
  try {
    const v = sessionStorage.getItem(PENDING_KEY);
    return v && VENUE_ID.test(v) ? v : null;
  } catch {
    return null;
  }
}

export function setPendingCheckIn(venueId: string): void {
  try {
    sessionStorage.setItem(PENDING_KEY, venueId);
  } catch {
    // storage unavailable: the check-in still works on this page, it just does not survive a reload
  }
}

export function clearPendingCheckIn(): void {
  try {
    sessionStorage.removeItem(PENDING_KEY);
  } catch {
    // ignore
  }
}

/**
 * Opened from a poster (`/?checkin=V0001`): remember the venue (it must survive a log-in and a
 * reload) and turn the address into `/#visit`, the check-in screen. Returns the pending venue id.
 */
export function capturePosterLink(): string | null {
  const params = new URLSearchParams(window.location.search);
  const id = params.get(CHECKIN_PARAM);
  if (id !== null) {
    if (VENUE_ID.test(id)) setPendingCheckIn(id);
    params.delete(CHECKIN_PARAM);
    const rest = params.toString();
    window.history.replaceState(null, '', `${window.location.pathname}${rest ? `?${rest}` : ''}#visit`);
  }
  return pendingCheckIn();
}

export type PosterReading = { venueId: string } | { problem: 'personal_code' | 'other_service' | 'not_a_poster' };

/** What a QR code seen by the poster scanner says: a venue of this service, or why not. */
export function readPoster(text: string, origin: string = window.location.origin): PosterReading {
  const s = text.trim();
  if (/^(HCQ1|HC1):/i.test(s)) return { problem: 'personal_code' };
  let url: URL;
  try {
    url = new URL(s);
  } catch {
    return { problem: 'not_a_poster' };
  }
  const id = url.searchParams.get(CHECKIN_PARAM);
  if (id === null || !VENUE_ID.test(id)) return { problem: 'not_a_poster' };
  if (url.origin !== origin) return { problem: 'other_service' };
  return { venueId: id };
}
