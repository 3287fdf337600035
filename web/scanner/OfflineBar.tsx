import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError } from '../shared/api.ts';
import { useLang, useT } from '../shared/i18n.tsx';
import { formatDateTime, useNow } from '../shared/time.ts';
import { messages } from './messages.ts';
import { cachedLists, onChange, queueCount, refreshLists, staleness, syncQueue, type CachedLists, type SyncReport } from './offline.ts';

export interface OfflineState {
  online: boolean;
  lists: CachedLists | null;
  queue: number;
  syncing: boolean;
  lastSync: SyncReport | null;
  syncError: string | null;
  stale: { trust: boolean; revocation: boolean; missing: boolean };
  /** marks the server unreachable (a failed request) until the next successful sync */
  markUnreachable: () => void;
  syncNow: () => void;
}

const SYNC_EVERY_MS = 15_000;
const REFRESH_LISTS_MS = 10 * 60_000;

/** The checkpoint's offline state: connectivity, cached lists and their age, the queue; syncs when back online. */
export function useOffline(onUnauthenticated: () => void): OfflineState {
  const now = useNow(5000);
  const [online, setOnline] = useState(() => navigator.onLine);
  const [reachable, setReachable] = useState(true);
  const [lists, setLists] = useState<CachedLists | null>(null);
  const [queue, setQueue] = useState(0);
  const [syncing, setSyncing] = useState(false);
  const [lastSync, setLastSync] = useState<SyncReport | null>(null);
  const [syncError, setSyncError] = useState<string | null>(null);
  const unauth = useRef(onUnauthenticated);
  unauth.current = onUnauthenticated;

  const reload = useCallback(async () => {
    setLists(await cachedLists());
    setQueue(await queueCount());
  }, []);

  const syncNow = useCallback(async () => {
    if (!navigator.onLine) return;
    setSyncing(true);
    try {
      await refreshLists().catch(() => undefined);
      if ((await queueCount()) > 0) {
        const r = await syncQueue();
        setLastSync(r);
      }
      setSyncError(null);
      setReachable(true);
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) unauth.current();
      else if (err instanceof ApiError && (err.offline || err.status >= 500)) setReachable(false);
      else setSyncError(err instanceof Error ? err.message : String(err));
    } finally {
      setSyncing(false);
      await reload();
    }
  }, [reload]);

  useEffect(() => {
    void reload();
    const off = onChange(() => void reload());
    const up = () => {
      setOnline(true);
      void syncNow();
    };
    const down = () => setOnline(false);
    window.addEventListener('online', up);
    window.addEventListener('offline', down);
    void syncNow();
    return () => {
      off();
      window.removeEventListener('online', up);
      window.removeEventListener('offline', down);
    };
  }, [reload, syncNow]);

  // retry the queue while it is not empty; refresh the lists now and then
  useEffect(() => {
    const timer = setInterval(() => {
      if (!navigator.onLine) return;
      if (queue > 0 || (lists && Date.now() - lists.fetchedAt > REFRESH_LISTS_MS)) void syncNow();
    }, SYNC_EVERY_MS);
    return () => clearInterval(timer);
  }, [queue, lists, syncNow]);

  return {
    online: online && reachable,
    lists,
    queue,
    syncing,
    lastSync,
    syncError,
    stale: staleness(lists, now),
    markUnreachable: () => setReachable(false),
    syncNow: () => void syncNow(),
  };
}

/** Always visible on the scan screen: online/offline, the age of the cached lists, the queue. */
export function OfflineBar({ state }: { state: OfflineState }) {
  const t = useT(messages);
  const { lang } = useLang();
  const { online, lists, queue, stale } = state;
  const anyStale = stale.missing || stale.trust || stale.revocation;
  return (
    <section
      className={`card offline-bar ${online ? 'is-online' : 'is-offline'} ${anyStale ? 'is-stale' : ''}`}
      aria-label={t('connectionStatus')}
      data-testid="offline-bar"
      data-online={String(online)}
      data-queue={queue}
      data-stale={String(anyStale)}
    >
      <p className="offline-state">
        <span className="dot" aria-hidden="true" />
        {online ? t('online') : t('offlineMode')}
      </p>
      {lists ? (
        <p className="hint">{t('trustListFrom', { time: formatDateTime(lists.trustIssuedAt, lang) })}</p>
      ) : null}
      {stale.missing && (
        <p className="stale-warning" role="alert">
          {t('noTrustList')}
        </p>
      )}
      {!stale.missing && stale.trust && lists && (
        <p className="stale-warning" role="alert">
          {t('trustListStale', { time: formatDateTime(lists.trustExpiresAt, lang) })}
        </p>
      )}
      {!stale.missing && !stale.trust && stale.revocation && (
        <p className="stale-warning" role="alert">
          {lists?.revocationExpiresAt ? t('revocationStale', { time: formatDateTime(lists.revocationExpiresAt, lang) }) : t('noRevocationList')}
        </p>
      )}
      <p className="queue-line" data-testid="queue-count" aria-live="polite">
        {queue > 0 ? t('queueWaiting', { n: queue }) : t('queueEmpty')}
        {state.syncing ? ` · ${t('syncing')}` : ''}
      </p>
      {state.lastSync && state.lastSync.sent > 0 && (
        <p className="hint" data-testid="last-sync">
          {t('lastSync', { stored: state.lastSync.stored, duplicate: state.lastSync.duplicate })}
          {state.lastSync.refused.length > 0 ? ` ${t('syncRefused', { n: state.lastSync.refused.length, reason: state.lastSync.refused[0]!.message })}` : ''}
        </p>
      )}
      {state.syncError && (
        <p className="error" role="alert">
          {t('errorGeneric', { message: state.syncError })}
        </p>
      )}
      {online && queue > 0 && !state.syncing && (
        <button type="button" className="secondary" onClick={state.syncNow}>
          {t('syncNow')}
        </button>
      )}
    </section>
  );
}
