import { useState } from 'react';
import type { AssessmentView, StatusView } from '../../src/contracts/api.ts';
import { post } from '../shared/api.ts';
import { useT } from '../shared/i18n.tsx';
import { CodeCard } from './CodeCard.tsx';
import { DeclarationForm } from './DeclarationForm.tsx';
import { messages } from './messages.ts';
import { Reasons } from './Reasons.tsx';
import { useLiveCode } from './useLiveCode.ts';
import { useRegions } from './useRegions.ts';

/** Logged in: the live code, its reasons, the declaration form, log out. */
export function Dashboard({ status, onLoggedOut }: { status: StatusView; onLoggedOut: () => void }) {
  const t = useT(messages);
  const regions = useRegions();
  const [assessment, setAssessment] = useState<AssessmentView>(status.assessment);
  const live = useLiveCode(assessment.id, onLoggedOut);

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
      <Reasons assessment={assessment} />
      <DeclarationForm regions={regions} onDeclared={setAssessment} />
      <div className="footer-actions">
        <button type="button" className="secondary" onClick={logout}>
          {t('logOut')}
        </button>
      </div>
    </>
  );
}
