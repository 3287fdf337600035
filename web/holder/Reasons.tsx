import type { AssessmentView } from '../../src/contracts/api.ts';
import { COLOUR_ICON, colourWord } from '../shared/colour.ts';
import { useLang, useT } from '../shared/i18n.tsx';
import { formatDateTime } from '../shared/time.ts';
import { messages } from './messages.ts';

/** Why the code has its colour: every active reason, since when, and how long the colour holds. */
export function Reasons({ assessment }: { assessment: AssessmentView }) {
  const t = useT(messages);
  const { lang } = useLang();
  return (
    <section className="card reasons" aria-labelledby="reasons-title" data-testid="reasons">
      <h2 id="reasons-title">{t('reasonsTitle')}</h2>
      {assessment.reasons.length === 0 ? (
        <p>{t('noReasons')}</p>
      ) : (
        <ul>
          {assessment.reasons.map((r, i) => (
            <li key={`${r.ruleId}-${i}`} className={`reason c-${r.colour}`} data-rule={r.ruleId}>
              <span className="reason-icon" aria-hidden="true">
                {COLOUR_ICON[r.colour]}
              </span>
              <div>
                <p className="reason-text">
                  <span className="visually-hidden">{colourWord(r.colour, lang)}: </span>
                  {r.text[lang]}
                </p>
                <p className="reason-since">{t('since', { time: formatDateTime(r.since, lang) })}</p>
              </div>
            </li>
          ))}
        </ul>
      )}
      <p className="valid-until">{t('assessmentValidUntil', { time: formatDateTime(assessment.validUntil, lang) })}</p>
      <p className="meta">
        {t('assessedAt', { time: formatDateTime(assessment.assessedAt, lang) })} · {t('rulesetVersion', { v: assessment.rulesetVersion })}
      </p>
    </section>
  );
}
