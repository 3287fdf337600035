import { lazy, Suspense, useCallback, useEffect, useState, type FormEvent } from 'react';
import { ApiError, get, post } from '../shared/api.ts';
import { useLang, useT } from '../shared/i18n.tsx';
import { LangSwitch } from '../shared/LangSwitch.tsx';
import { describeError } from './errors.ts';
import { messages, roleWord, type ConsoleKey } from './messages.ts';
import { ReasonBar, ReasonContext } from './reason.tsx';
import type { StaffInfo } from './types.ts';

// each screen (and its chart, graph or map library) loads on first use
const Dashboard = lazy(() => import('./Dashboard.tsx').then((m) => ({ default: m.Dashboard })));
const Cases = lazy(() => import('./Cases.tsx').then((m) => ({ default: m.Cases })));
const CaseDetail = lazy(() => import('./CaseDetail.tsx').then((m) => ({ default: m.CaseDetail })));
const MapView = lazy(() => import('./MapView.tsx').then((m) => ({ default: m.MapView })));
const LabQueue = lazy(() => import('./LabQueue.tsx').then((m) => ({ default: m.LabQueue })));
const AppealQueue = lazy(() => import('./AppealQueue.tsx').then((m) => ({ default: m.AppealQueue })));
const OverrideQueue = lazy(() => import('./OverrideQueue.tsx').then((m) => ({ default: m.OverrideQueue })));
const AuditView = lazy(() => import('./AuditView.tsx').then((m) => ({ default: m.AuditView })));

const CONSOLE_ROLES = ['official', 'supervisor', 'auditor'];
type Section = 'dashboard' | 'cases' | 'map' | 'lab' | 'appeals' | 'overrides' | 'audit';
const SECTIONS: { id: Section; key: ConsoleKey; roles: string[] }[] = [
  { id: 'dashboard', key: 'navDashboard', roles: CONSOLE_ROLES },
  { id: 'cases', key: 'navCases', roles: ['official', 'supervisor'] },
  { id: 'map', key: 'navMap', roles: CONSOLE_ROLES },
  { id: 'lab', key: 'navLab', roles: ['official', 'supervisor'] },
  { id: 'appeals', key: 'navAppeals', roles: ['official', 'supervisor'] },
  { id: 'overrides', key: 'navOverrides', roles: ['official', 'supervisor'] },
  { id: 'audit', key: 'navAudit', roles: ['auditor'] },
];

function useHash(): string[] {
  const read = () => window.location.hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);
  const [parts, setParts] = useState(read);
  useEffect(() => {
    const on = () => setParts(read());
    window.addEventListener('hashchange', on);
    return () => window.removeEventListener('hashchange', on);
  }, []);
  return parts;
}

type Session = { kind: 'loading' } | { kind: 'anonymous'; notice: string | null } | { kind: 'staff'; staff: StaffInfo } | { kind: 'error'; message: string };

export function ConsoleApp() {
  const t = useT(messages);
  const { lang } = useLang();
  const [session, setSession] = useState<Session>({ kind: 'loading' });
  const [reason, setReason] = useState<string>(() => sessionStorage.getItem('hc.console.reason') ?? '');
  const hash = useHash();

  const load = useCallback(async () => {
    setSession({ kind: 'loading' });
    try {
      const res = await get<{ staff: StaffInfo }>('/api/staff/me');
      setSession({ kind: 'staff', staff: res.staff });
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) setSession({ kind: 'anonymous', notice: null });
      else setSession({ kind: 'error', message: describeError(err, t) });
    }
  }, [t]);
  useEffect(() => {
    void load();
  }, []); // once
  useEffect(() => {
    document.title = t('appTitle');
  }, [t]);

  const useReason = useCallback((r: string) => {
    setReason(r);
    sessionStorage.setItem('hc.console.reason', r);
  }, []);
  const onUnauthenticated = useCallback(() => setSession({ kind: 'anonymous', notice: t('errorUnauthenticated') }), [t]);

  async function logout() {
    try {
      await post('/api/staff/logout');
    } catch {
      // dropped locally either way
    }
    sessionStorage.removeItem('hc.console.reason');
    setReason('');
    setSession({ kind: 'anonymous', notice: null });
  }

  const staff = session.kind === 'staff' ? session.staff : null;
  const allowed = staff ? SECTIONS.filter((s) => s.roles.includes(staff.role)) : [];
  const section = (allowed.find((s) => s.id === hash[0])?.id ?? allowed[0]?.id ?? 'dashboard') as Section;
  const casework = staff !== null && ['official', 'supervisor'].includes(staff.role);

  return (
    <ReasonContext.Provider value={{ reason, onUnauthenticated }}>
      <div className="console-app">
        <header className="console-top">
          <h1>{t('appTitle')}</h1>
          <div className="console-top-right">
            {staff && <span className="who">{t('signedInAs', { name: staff.displayName, role: roleWord(staff.role, lang) })}</span>}
            {staff && (
              <button type="button" onClick={() => void logout()}>
                {t('logOut')}
              </button>
            )}
            <LangSwitch />
          </div>
        </header>
        {session.kind === 'loading' && <p className="card narrow">{t('loading')}</p>}
        {session.kind === 'error' && (
          <div className="card narrow">
            <p className="error" role="alert">
              {session.message}
            </p>
            <button type="button" className="primary" onClick={() => void load()}>
              {t('retry')}
            </button>
          </div>
        )}
        {session.kind === 'anonymous' && <Login notice={session.notice} onIn={(s) => setSession({ kind: 'staff', staff: s })} />}
        {staff && !CONSOLE_ROLES.includes(staff.role) && (
          <p className="card narrow error" role="alert">
            {t('wrongRole', { role: roleWord(staff.role, lang) })}
          </p>
        )}
        {staff && CONSOLE_ROLES.includes(staff.role) && (
          <div className="console-body">
            <nav aria-label={t('nav')} className="console-nav">
              <ul>
                {allowed.map((s) => (
                  <li key={s.id}>
                    <a href={`#/${s.id}`} aria-current={s.id === section ? 'page' : undefined}>
                      {t(s.key)}
                    </a>
                  </li>
                ))}
              </ul>
            </nav>
            <main className="console-main" id="main">
              {casework && <ReasonBar reason={reason} onSet={useReason} />}
              <Suspense fallback={<p>{t('loading')}</p>}>
                {section === 'dashboard' && <Dashboard />}
                {section === 'cases' && (hash[1] ? <CaseDetail id={hash[1]} /> : <Cases />)}
                {section === 'map' && <MapView />}
                {section === 'lab' && <LabQueue role={staff.role} />}
                {section === 'appeals' && <AppealQueue />}
                {section === 'overrides' && <OverrideQueue staff={staff} />}
                {section === 'audit' && <AuditView />}
              </Suspense>
            </main>
          </div>
        )}
      </div>
    </ReasonContext.Provider>
  );
}

function Login({ onIn, notice }: { onIn: (s: StaffInfo) => void; notice: string | null }) {
  const t = useT(messages);
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const totp = code.replace(/\s+/g, '');
      const res = await post<{ staff: StaffInfo }>('/api/staff/login', { username: username.trim(), password, ...(totp ? { totp } : {}) });
      onIn(res.staff);
    } catch (err) {
      setError(describeError(err, t, 'login'));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="card form narrow" onSubmit={submit} aria-labelledby="login-title">
      <h2 id="login-title">{t('loginTitle')}</h2>
      <p className="hint">{t('loginHint')}</p>
      {notice && <p className="error">{notice}</p>}
      <label>
        {t('username')}
        <input name="username" autoComplete="username" autoCapitalize="none" required value={username} onChange={(e) => setUsername(e.target.value)} />
      </label>
      <label>
        {t('password')}
        <input name="password" type="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} />
      </label>
      <label>
        {t('totp')}
        <input
          name="totp"
          inputMode="numeric"
          autoComplete="one-time-code"
          pattern="[0-9 ]{6,7}"
          aria-describedby="totp-hint"
          value={code}
          onChange={(e) => setCode(e.target.value)}
        />
        <span id="totp-hint" className="hint">
          {t('totpHint')}
        </span>
      </label>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <button type="submit" className="primary" disabled={busy}>
        {busy ? t('working') : t('logIn')}
      </button>
    </form>
  );
}
