import { lazy, Suspense, useCallback, useEffect, useState } from 'react';
import { ApiError, get, post } from '../shared/api.ts';
import { useLang, useT } from '../shared/i18n.tsx';
import { LangSwitch } from '../shared/LangSwitch.tsx';
import { StaffLogin } from '../shared/StaffLogin.tsx';
import type { StaffRole } from '../../src/features/security/roles.ts';
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
const Compliance = lazy(() => import('./Compliance.tsx').then((m) => ({ default: m.Compliance })));
const RiskAreas = lazy(() => import('./RiskAreas.tsx').then((m) => ({ default: m.RiskAreas })));
const ProposeOverride = lazy(() => import('./ProposeOverride.tsx').then((m) => ({ default: m.ProposeOverride })));

const CONSOLE_ROLES: readonly StaffRole[] = ['official', 'supervisor', 'auditor'];
const isConsoleRole = (role: string) => (CONSOLE_ROLES as readonly string[]).includes(role);
type Section = 'dashboard' | 'cases' | 'map' | 'risk-areas' | 'compliance' | 'lab' | 'appeals' | 'overrides' | 'audit';
const SECTIONS: { id: Section; key: ConsoleKey; roles: readonly string[] }[] = [
  { id: 'dashboard', key: 'navDashboard', roles: CONSOLE_ROLES },
  { id: 'cases', key: 'navCases', roles: ['official', 'supervisor'] },
  { id: 'map', key: 'navMap', roles: CONSOLE_ROLES },
  // declaring risk areas and venue compliance are officials' work (the /api/official audience)
  { id: 'risk-areas', key: 'navRiskAreas', roles: ['official'] },
  { id: 'compliance', key: 'navCompliance', roles: ['official'] },
  { id: 'lab', key: 'navLab', roles: ['official', 'supervisor'] },
  { id: 'appeals', key: 'navAppeals', roles: ['official', 'supervisor'] },
  { id: 'overrides', key: 'navOverrides', roles: ['official', 'supervisor'] },
  { id: 'audit', key: 'navAudit', roles: ['auditor'] },
];

/** Sections whose lists name people: read with a stated reason. */
const NAMES_PEOPLE: readonly Section[] = ['cases', 'lab', 'appeals', 'overrides'];

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
        {session.kind === 'anonymous' && (
          <div className="narrow">
            <StaffLogin
              title={t('loginTitle')}
              hint={t('loginHint')}
              allowedRoles={CONSOLE_ROLES}
              notice={session.notice}
              idPrefix="console-login"
              onLoggedIn={(s) => setSession({ kind: 'staff', staff: { id: s.id, username: s.username, displayName: s.displayName, role: s.role } })}
            />
          </div>
        )}
        {staff && !isConsoleRole(staff.role) && (
          <p className="card narrow error" role="alert">
            {t('wrongRole', { role: roleWord(staff.role, lang) })}
          </p>
        )}
        {staff && isConsoleRole(staff.role) && (
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
              {casework && NAMES_PEOPLE.includes(section) && <ReasonBar reason={reason} onSet={useReason} />}
              <Suspense fallback={<p>{t('loading')}</p>}>
                {section === 'dashboard' && <Dashboard />}
                {section === 'cases' && (hash[1] ? <CaseDetail id={hash[1]} role={staff.role} /> : <Cases />)}
                {section === 'map' && <MapView />}
                {section === 'lab' && <LabQueue role={staff.role} />}
                {section === 'appeals' && <AppealQueue />}
                {section === 'risk-areas' && <RiskAreas />}
                {section === 'compliance' && <Compliance view={hash[1] ?? 'venues'} venueId={hash[1] === 'venue' ? (hash[2] ?? null) : null} />}
                {section === 'overrides' && (hash[1] === 'propose' ? <ProposeOverride staff={staff} holderId={hash[2] ?? null} /> : <OverrideQueue staff={staff} />)}
                {section === 'audit' && <AuditView />}
              </Suspense>
            </main>
          </div>
        )}
      </div>
    </ReasonContext.Provider>
  );
}
