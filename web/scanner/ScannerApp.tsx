import { useCallback, useEffect, useState } from 'react';
import type { StaffView, VenueView } from '../../src/contracts/api.ts';
import { ApiError, get, post } from '../shared/api.ts';
import { useT } from '../shared/i18n.tsx';
import { LangSwitch } from '../shared/LangSwitch.tsx';
import { StaffLogin } from '../shared/StaffLogin.tsx';
import { unlockAudio } from './beep.ts';
import { messages } from './messages.ts';
import { forgetSession, rememberedSession, rememberSession } from './offline.ts';
import { ScanScreen } from './ScanScreen.tsx';
import { VenuePicker } from './VenuePicker.tsx';

type Session =
  | { kind: 'loading' }
  | { kind: 'anonymous'; notice: string | null }
  | { kind: 'staff'; staff: StaffView; venue: VenueView | null }
  | { kind: 'error'; message: string };

/** The roles the checkpoint routes admit (app.ts: the /api/checkpoint audience). */
const SCANNER_ROLES = ['checkpoint_operator', 'venue_manager'] as const;

export function ScannerApp() {
  const t = useT(messages);
  const [session, setSession] = useState<Session>({ kind: 'loading' });

  const load = useCallback(async () => {
    try {
      const res = await get<{ staff: StaffView }>('/api/staff/me');
      setSession({ kind: 'staff', staff: res.staff, venue: null });
    } catch (err) {
      const remembered = rememberedSession<{ staff: StaffView; venue: VenueView | null }>();
      if (err instanceof ApiError && err.status === 401) setSession({ kind: 'anonymous', notice: null });
      // offline start (the service worker served the page): carry on with the last session; scans queue
      else if (err instanceof ApiError && (err.offline || err.status >= 500) && remembered) setSession({ kind: 'staff', ...remembered });
      else if (err instanceof ApiError && err.offline) setSession({ kind: 'error', message: t('errorNetwork') });
      else setSession({ kind: 'error', message: t('errorGeneric', { message: err instanceof Error ? err.message : String(err) }) });
    }
  }, [t]);

  useEffect(() => {
    void load();
  }, []); // once on start

  useEffect(() => {
    document.title = t('appTitle');
  }, [t]);

  useEffect(() => {
    if (session.kind === 'staff') rememberSession({ staff: session.staff, venue: session.venue });
  }, [session]);

  const onUnauthenticated = useCallback(() => setSession({ kind: 'anonymous', notice: t('errorUnauthenticated') }), [t]);

  async function logout() {
    try {
      await post('/api/staff/logout');
    } catch {
      // dropped locally either way
    }
    forgetSession();
    setSession({ kind: 'anonymous', notice: null });
  }

  return (
    <div className="app scanner-app">
      <header className="topbar">
        <h1>{t('appTitle')}</h1>
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
              {t('logIn')}
            </button>
          </div>
        )}
        {session.kind === 'anonymous' && (
          <StaffLogin
            title={t('loginTitle')}
            allowedRoles={SCANNER_ROLES}
            notice={session.notice}
            onSubmitGesture={unlockAudio /* a user gesture: allow verdict beeps later */}
            onLoggedIn={(staff) => setSession({ kind: 'staff', staff, venue: null })}
          />
        )}
        {session.kind === 'staff' && session.venue === null && (
          <VenuePicker staff={session.staff} onPick={(venue) => setSession({ kind: 'staff', staff: session.staff, venue })} />
        )}
        {session.kind === 'staff' && session.venue !== null && (
          <ScanScreen
            key={session.venue.id}
            staff={session.staff}
            venue={session.venue}
            onChangeVenue={() => setSession({ kind: 'staff', staff: session.staff, venue: null })}
            onLogout={() => void logout()}
            onUnauthenticated={onUnauthenticated}
          />
        )}
      </main>
    </div>
  );
}
