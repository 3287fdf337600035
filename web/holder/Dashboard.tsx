import { useState } from 'react';
import type { AssessmentView, StatusView } from '../../src/contracts/api.ts';
import { post } from '../shared/api.ts';
import { useT } from '../shared/i18n.tsx';
import { safeTimeZone, useNow } from '../shared/time.ts';
import { CheckInCard } from './CheckInCard.tsx';
import { CodeCard } from './CodeCard.tsx';
import { DeclarationForm } from './DeclarationForm.tsx';
import { DependantsCard } from './DependantsCard.tsx';
import { messages } from './messages.ts';
import { Reasons } from './Reasons.tsx';
import { RulesLink } from './RulesLink.tsx';
import { Timeline } from './Timeline.tsx';
import { useLiveCode } from './useLiveCode.ts';
import { useRegions } from './useRegions.ts';

/** Logged in: the live code, the daily check-in, the reasons and the way back to green, the history, the declaration form. */
export function Dashboard({ status, onLoggedOut }: { status: StatusView; onLoggedOut: () => void }) {
  const t = useT(messages);
  const regions = useRegions();
  const [assessment, setAssessment] = useState<AssessmentView>(status.assessment);
  const live = useLiveCode(assessment.id, onLoggedOut);
  // Countdowns and "today" follow the server's clock (the phone's may be wrong) in the holder's zone.
  const serverNow = useNow(30_000) + live.skewMs;
  const timeZone = safeTimeZone(status.holder.timeZone);
  const clock = { now: serverNow, timeZone };

  async function logout() {
    try {
      await post('/api/holder/logout');
    } catch {
      // the session is dropped locally either way
    }
    onLoggedOut();
  }

  return (
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
  );
}
