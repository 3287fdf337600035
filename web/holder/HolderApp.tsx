import { useCallback, useEffect, useState } from 'react';
import type { StatusView } from '../../src/contracts/api.ts';
import { ApiError, get } from '../shared/api.ts';
import { useT } from '../shared/i18n.tsx';
import { LangSwitch } from '../shared/LangSwitch.tsx';
import { LargePrintToggle } from './LargePrint.tsx';
import { AuthPanel } from './AuthPanel.tsx';
import { Dashboard } from './Dashboard.tsx';
import { describeError } from './errors.ts';
import { messages } from './messages.ts';
import { capturePosterLink, clearPendingCheckIn } from './navigation.ts';
import { PendingVisitNotice } from './PendingVisitNotice.tsx';

type Session = { kind: 'loading' } | { kind: 'anonymous' } | { kind: 'holder'; status: StatusView } | { kind: 'error'; message: string };

export function HolderApp() {
  const t = useT(messages);
  const [session, setSession] = useState<Session>({ kind: 'loading' });
  // opened from a venue poster (/?checkin=<id>): kept until confirmed or dropped, across a log-in
  const [pendingVenue, setPendingVenue] = useState<string | null>(capturePosterLink);

  const load = useCallback(async () => {
    try {
      const status = await get<StatusView>('/api/holder/status');
      setSession({ kind: 'holder', status });
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) setSession({ kind: 'anonymous' });
      else setSession({ kind: 'error', message: describeError(err, t) });
    }
  }, [t]);

  useEffect(() => {
    void load();
    // load once on start; later loads are explicit
  }, []);

  useEffect(() => {
    document.title = t('appTitle');
  }, [t]);

  return (
    <div className="app holder-app">
      <header className="topbar">
        <h1>{t('appTitle')}</h1>
        <LargePrintToggle />
        <LangSwitch />
      </header>
      <main>
        {session.kind === 'loading' && <p className="card">{t('loading')}</p>}
        {session.kind === 'error' && (
          <div className="card">
            <p className="error" role="alert">
              {session.message}
            </p>
            <button type="button" className="primary" onClick={() => void load()}>
              {t('retry')}
            </button>
          </div>
        )}
        {session.kind === 'anonymous' && (
          <>
            {pendingVenue && (
              <PendingVisitNotice
                venueId={pendingVenue}
                onCancel={() => {
                  clearPendingCheckIn();
                  setPendingVenue(null);
                  window.history.replaceState(null, '', window.location.pathname);
                }}
              />
            )}
            <AuthPanel onAuthenticated={() => void load()} />
          </>
        )}
        {session.kind === 'holder' && (
          <Dashboard key={session.status.holder.id} status={session.status} onLoggedOut={() => setSession({ kind: 'anonymous' })} />
        )}
      </main>
    </div>
  );
}
