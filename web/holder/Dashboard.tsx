import { lazy, Suspense, useCallback, useEffect, useState } from 'react';
import type { AssessmentView, StatusView } from '../../src/contracts/api.ts';
import { get, post } from '../shared/api.ts';
import { useT } from '../shared/i18n.tsx';
import { safeTimeZone, useNow } from '../shared/time.ts';
import { CheckInCard } from './CheckInCard.tsx';
import { CodeCard } from './CodeCard.tsx';
import { DeclarationForm } from './DeclarationForm.tsx';
import { DependantsCard } from './DependantsCard.tsx';
import { LazyBoundary } from './LazyBoundary.tsx';
import { messages } from './messages.ts';
import { clearPendingCheckIn, pendingCheckIn, setPendingCheckIn, useScreen, type Screen } from './navigation.ts';
import { Reasons } from './Reasons.tsx';
import { RulesLink } from './RulesLink.tsx';
import { TabBar } from './TabBar.tsx';
import { Timeline } from './Timeline.tsx';
import type { InboxView } from './types.ts';
import { useLiveCode } from './useLiveCode.ts';
import { useRegions } from './useRegions.ts';

// The secondary screens are loaded when first opened: the code page stays small and fast.
const InboxScreen = lazy(() => import('./screens/InboxScreen.tsx'));
const VisitScreen = lazy(() => import('./screens/VisitScreen.tsx'));
const MoreScreen = lazy(() => import('./screens/MoreScreen.tsx'));
const TestsScreen = lazy(() => import('./screens/TestsScreen.tsx'));
const AppealsScreen = lazy(() => import('./screens/AppealsScreen.tsx'));
const AccessLogScreen = lazy(() => import('./screens/AccessLogScreen.tsx'));
const MyDataScreen = lazy(() => import('./screens/MyDataScreen.tsx'));

/**
 * Logged in. The code page first (the live code, the daily check-in, the reasons and the way back
 * to green, the history, the declaration form, dependants); the other screens behind the tab bar.
 */
export function Dashboard({ status, onLoggedOut }: { status: StatusView; onLoggedOut: () => void }) {
  const t = useT(messages);
  const regions = useRegions();
  const [assessment, setAssessment] = useState<AssessmentView>(status.assessment);
  const live = useLiveCode(assessment.id, onLoggedOut);
  // Countdowns and "today" follow the server's clock (the phone's may be wrong) in the holder's zone.
  const serverNow = useNow(30_000) + live.skewMs;
  const timeZone = safeTimeZone(status.holder.timeZone);
  const clock = { now: serverNow, timeZone };
  const [screen, goScreen] = useScreen();
  // after the first move between screens, each new screen takes the keyboard focus (its heading)
  const [moved, setMoved] = useState(false);
  const go = useCallback(
    (s: Screen) => {
      setMoved(true);
      goScreen(s);
    },
    [goScreen],
  );
  const [unread, setUnread] = useState(0);
  const [venueId, setVenueId] = useState<string | null>(pendingCheckIn);

  const refreshUnread = useCallback(() => {
    get<InboxView>('/api/holder/inbox')
      .then((r) => setUnread(r.unread))
      .catch(() => undefined); // the badge is a hint; the inbox screen reports failures
  }, []);
  useEffect(() => {
    refreshUnread();
  }, [refreshUnread, assessment.id]);
  useEffect(() => {
    const onVisible = () => {
      if (document.visibilityState === 'visible') refreshUnread();
    };
    document.addEventListener('visibilitychange', onVisible);
    return () => document.removeEventListener('visibilitychange', onVisible);
  }, [refreshUnread]);

  const chooseVenue = useCallback((id: string | null) => {
    if (id) setPendingCheckIn(id);
    else clearPendingCheckIn();
    setVenueId(id);
  }, []);

  async function logout() {
    try {
      await post('/api/holder/logout');
    } catch {
      // the session is dropped locally either way
    }
    clearPendingCheckIn();
    onLoggedOut();
  }

  const nav = { go, focusHeading: moved };
  return (
    <>
      {screen === 'code' ? (
        <>
          <CodeCard live={live} fallbackColour={assessment.colour} maskedName={status.holder.maskedName} />
          <CheckInCard now={serverNow} timeZone={timeZone} onCheckedIn={setAssessment} />
          <Reasons assessment={assessment} clock={clock} />
          <Timeline refreshKey={`${assessment.id}|${assessment.assessedAt}`} timeZone={timeZone} />
          <DeclarationForm regions={regions} onDeclared={setAssessment} />
          <DependantsCard regions={regions} />
          <RulesLink fallbackVersion={assessment.rulesetVersion} timeZone={timeZone} now={serverNow} />
          <div className="footer-actions">
            <button type="button" className="secondary" onClick={logout}>
              {t('logOut')}
            </button>
          </div>
        </>
      ) : (
        <LazyBoundary key={screen}>
          <Suspense fallback={<p className="card">{t('loading')}</p>}>
            {screen === 'inbox' && <InboxScreen {...nav} onUnread={setUnread} timeZone={timeZone} />}
            {screen === 'visit' && <VisitScreen {...nav} venueId={venueId} chooseVenue={chooseVenue} timeZone={timeZone} />}
            {screen === 'more' && <MoreScreen {...nav} onLogOut={logout} />}
            {screen === 'tests' && <TestsScreen {...nav} timeZone={timeZone} dateOfBirth={status.holder.dateOfBirth} />}
            {screen === 'appeals' && <AppealsScreen {...nav} assessment={assessment} timeZone={timeZone} />}
            {screen === 'access' && <AccessLogScreen {...nav} timeZone={timeZone} />}
            {screen === 'data' && <MyDataScreen {...nav} timeZone={timeZone} />}
          </Suspense>
        </LazyBoundary>
      )}
      <TabBar screen={screen} go={go} unread={unread} />
    </>
  );
}
