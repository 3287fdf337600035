import { useCallback, useEffect, useRef, useState } from 'react';
import type { CodeView } from '../../src/contracts/api.ts';
import { ApiError, get } from '../shared/api.ts';

export interface LiveCode {
  code: CodeView | null;
  /** Server time minus local time, estimated when the code arrived (phones' clocks are often wrong). */
  skewMs: number;
  /** The last refresh failed; `offline` when the server could not be reached at all. */
  failure: null | { offline: boolean; message: string };
  loading: boolean;
  refresh: () => void;
}

const REFRESH_BEFORE_MS = 30_000;
const RETRY_MS = 10_000;

/**
 * Fetches the live code and keeps it fresh: a new one ~30 s before expiry, again whenever `key`
 * changes (e.g. a new assessment), when the browser comes back online or the page becomes visible.
 * A failed refresh keeps the last code (the page shows it as expired once it is).
 */
export function useLiveCode(key: string, onUnauthenticated: () => void): LiveCode {
  const [code, setCode] = useState<CodeView | null>(null);
  const [skewMs, setSkew] = useState(0);
  const [failure, setFailure] = useState<LiveCode['failure']>(null);
  const [loading, setLoading] = useState(true);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const inFlight = useRef(false);
  const again = useRef(false);
  const state = useRef<{ code: CodeView | null; skewMs: number }>({ code: null, skewMs: 0 });
  const unauth = useRef(onUnauthenticated);
  unauth.current = onUnauthenticated;

  const fetchCode = useCallback(async () => {
    if (inFlight.current) {
      again.current = true; // the answer in flight may predate what the caller knows
      return;
    }
    inFlight.current = true;
    clearTimeout(timer.current);
    setLoading(true);
    try {
      const c = await get<CodeView>('/api/holder/code');
      const receivedAt = Date.now();
      const issued = Date.parse(c.issuedAt);
      const skew = Number.isFinite(issued) ? issued - receivedAt : 0;
      state.current = { code: c, skewMs: skew };
      setCode(c);
      setSkew(skew);
      setFailure(null);
      const expires = Date.parse(c.expiresAt);
      const lifetime = Number.isFinite(issued) && Number.isFinite(expires) ? expires - issued : 300_000;
      const lead = Math.min(REFRESH_BEFORE_MS, lifetime / 2);
      const serverNow = Date.now() + skew;
      const delay = Math.max(5_000, (Number.isFinite(expires) ? expires : serverNow + lifetime) - lead - serverNow);
      timer.current = setTimeout(() => void fetchCode(), delay);
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) {
        unauth.current();
        return;
      }
      setFailure({
        offline: err instanceof ApiError ? err.offline : false,
        message: err instanceof Error ? err.message : String(err),
      });
      timer.current = setTimeout(() => void fetchCode(), RETRY_MS);
    } finally {
      inFlight.current = false;
      setLoading(false);
      if (again.current) {
        again.current = false;
        void fetchCode();
      }
    }
  }, []);

  useEffect(() => {
    void fetchCode();
    return () => clearTimeout(timer.current);
  }, [key, fetchCode]);

  useEffect(() => {
    const stale = () => {
      const c = state.current.code;
      if (!c) return true;
      return Date.parse(c.expiresAt) - (Date.now() + state.current.skewMs) < REFRESH_BEFORE_MS;
    };
    const onOnline = () => void fetchCode();
    const onVisible = () => {
      if (document.visibilityState === 'visible' && stale()) void fetchCode();
    };
    window.addEventListener('online', onOnline);
    document.addEventListener('visibilitychange', onVisible);
    return () => {
      window.removeEventListener('online', onOnline);
      document.removeEventListener('visibilitychange', onVisible);
    };
  }, [fetchCode]);

  const refresh = useCallback(() => void fetchCode(), [fetchCode]);
  return { code, skewMs, failure, loading, refresh };
}
