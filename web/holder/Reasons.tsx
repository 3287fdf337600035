import type { AssessmentView, Reason } from '../../src/contracts/api.ts';
import { COLOUR_ICON, colourWord } from '../shared/colour.ts';
import { useLang, useT } from '../shared/i18n.tsx';
import { browserTimeZone, formatDateTimeIn, formatDue, formatSpan, safeTimeZone } from '../shared/time.ts';
import { messages } from './messages.ts';
import { WayToGreen } from './WayToGreen.tsx';

interface Clock {
  /** server time now, ms */
  now: number;
  timeZone?: string;
}

/** Only discharge (not a test result) stands between this reason and its end. */
function waitsForDischarge(r: Reason): boolean {
  const open = r.wayToGreen.flatMap((o) => o.requirements).filter((q) => !q.done && q.due === null);
  return open.length > 0 && open.every((q) => q.kind === 'discharged');
}

/** A small clock face (a glyph like ⧗ is missing from many fonts). */
function ClockIcon() {
  return (
    <svg className="clock-icon" viewBox="0 0 16 16" width="16" height="16" aria-hidden="true" focusable="false">
      <circle cx="8" cy="8" r="6.5" fill="none" stroke="currentColor" strokeWidth="1.6" />
      <path d="M8 4.2V8l2.6 1.6" fill="none" stroke="currentColor" strokeWidth="1.6" strokeLinecap="round" />
    </svg>
  );
}

/** "Green earliest in 4 days 6 h (Mon 30 Nov, 16:00)", or what it depends on. */
function Countdown({ reason, clock }: { reason: Reason; clock: Clock }) {
  const t = useT(messages);
  const { lang } = useLang();
  if (reason.until === null) {
    return (
      <p className="countdown-green" data-testid="reason-countdown" data-until="">
        <ClockIcon />
        {t(waitsForDischarge(reason) ? 'greenDependsDischarge' : 'greenDependsResults')}
      </p>
    );
  }
  const left = Date.parse(reason.until) - clock.now;
  return (
    <p className="countdown-green" data-testid="reason-countdown" data-until={reason.until}>
      <ClockIcon />
      {left > 0 ? (
        <>
          <strong>{t('greenEarliest', { left: formatSpan(left, lang) })}</strong>{' '}
          {t('greenEarliestAt', { time: formatDue(reason.until, lang, clock.timeZone, clock.now) })}
        </>
      ) : (
        t('greenAnyMoment')
      )}
    </p>
  );
}

/** Why the code has its colour: every active reason, since when, the way back to green, and how long it holds. */
export function Reasons({ assessment, clock }: { assessment: AssessmentView; clock: Clock }) {
  const t = useT(messages);
  const { lang } = useLang();
  const tz = safeTimeZone(clock.timeZone);
  const showZone = tz !== undefined && tz !== browserTimeZone();
  const reasons = assessment.reasons;
  const untils = reasons.map((r) => r.until);
  const overall = untils.length > 1 && untils.every((u): u is string => u !== null) ? Math.max(...untils.map((u) => Date.parse(u))) : null;
  return (
    <section className="card reasons" aria-labelledby="reasons-title" data-testid="reasons">
      <h2 id="reasons-title">{t('reasonsTitle')}</h2>
      {reasons.length === 0 ? (
        <p>{t('noReasons')}</p>
      ) : (
        <ul className="reason-list">
          {reasons.map((r, i) => (
            <li key={`${r.ruleId}-${i}`} className={`reason c-${r.colour}`} data-rule={r.ruleId}>
              <div className="reason-head">
                <span className="reason-icon" aria-hidden="true">
                  {COLOUR_ICON[r.colour]}
                </span>
                <div>
                  <p className="reason-text">
                    <span className="visually-hidden">{colourWord(r.colour, lang)}: </span>
                    {r.text[lang]}
                  </p>
                  <p className="reason-since">
                    {t('since', { time: formatDateTimeIn(r.since, lang, tz) })}
                    {r.periodStart && r.periodStart !== r.since && <> · {t('periodFrom', { time: formatDateTimeIn(r.periodStart, lang, tz) })}</>}
                  </p>
                </div>
              </div>
              <Countdown reason={r} clock={clock} />
              <WayToGreen reason={r} clock={clock} headingId={`way-${i}`} />
            </li>
          ))}
        </ul>
      )}
      {reasons.length > 1 && (
        <p className="overall-green">
          {overall === null
            ? t('overallGreenUnknown')
            : t('overallGreen', { left: formatSpan(overall - clock.now, lang), time: formatDue(overall, lang, tz, clock.now) })}
        </p>
      )}
      {reasons.length > 0 && showZone && <p className="meta">{t('timesIn', { tz: tz ?? '' })}</p>}
      <p className="valid-until">{t('assessmentValidUntil', { time: formatDateTimeIn(assessment.validUntil, lang, tz) })}</p>
      <p className="meta">
        {t('assessedAt', { time: formatDateTimeIn(assessment.assessedAt, lang, tz) })} · {t('rulesetVersion', { v: assessment.rulesetVersion })}
      </p>
    </section>
  );
}
