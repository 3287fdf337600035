import type { Reason } from '../../src/contracts/api.ts';
import { useLang, useT } from '../shared/i18n.tsx';
import { formatDue } from '../shared/time.ts';
import { messages } from './messages.ts';
import type { Requirement } from './types.ts';

interface Clock {
  /** server time now, ms */
  now: number;
  timeZone?: string;
}

function RequirementItem({ req, clock }: { req: Requirement; clock: Clock }) {
  const t = useT(messages);
  const { lang } = useLang();
  const counted = typeof req.need === 'number' && req.need > 0;
  const have = Math.min(req.have ?? 0, req.need ?? 0);
  const progress = counted
    ? t(req.kind === 'checkIns' ? 'progressCheckIns' : req.kind === 'negativePcrs' ? 'progressTests' : 'progressOf', { have, need: req.need ?? 0 })
    : null;
  const when = req.done
    ? null
    : req.due === null
      ? t(req.kind === 'discharged' ? 'reqAfterDischarge' : 'reqAfterResults')
      : req.kind === 'checkInToday'
        ? null
        : t('reqFrom', { time: formatDue(req.due, lang, clock.timeZone, clock.now) });
  return (
    <li className={`req ${req.done ? 'req-done' : 'req-open'}`} data-kind={req.kind} data-done={req.done}>
      <span className="req-box" aria-hidden="true">
        {req.done ? '✓' : ''}
      </span>
      <div className="req-body">
        <p className="req-text">
          <span className="visually-hidden">{req.done ? t('reqDone') : t('reqNotDone')} </span>
          {req.text[lang]}
        </p>
        {counted && (
          <div className="req-progress">
            <span className="progress-text" data-testid="req-progress">
              {progress}
            </span>
            <span className="bar" aria-hidden="true">
              <span className="bar-fill" style={{ width: `${(100 * have) / (req.need ?? 1)}%` }} />
            </span>
          </div>
        )}
        {when && <p className="req-due">{when}</p>}
        {req.kind === 'checkInToday' && !req.done && (
          <p className="req-due">
            <a href="#check-in">{t('reqCheckInNow')}</a>
          </p>
        )}
      </div>
    </li>
  );
}

/** Every way out of one reason: "any one of these", each with its requirements ticked or not. */
export function WayToGreen({ reason, clock, headingId }: { reason: Reason; clock: Clock; headingId: string }) {
  const t = useT(messages);
  const { lang } = useLang();
  const options = reason.wayToGreen;
  if (options.length === 0) return null;
  return (
    <section className="way" aria-labelledby={headingId} data-testid="way-to-green">
      <h3 id={headingId}>{t('wayBackTitle')}</h3>
      <p className="way-intro">{options.length > 1 ? t('wayBackAnyOne') : t('wayBackOnly')}</p>
      <ol className="options">
        {options.map((o, i) => {
          return (
            <li key={i} className="option" data-testid="way-option">
              <p className="option-head">
                {options.length > 1 && <strong>{t('optionN', { n: i + 1 })}</strong>}
                {o.requirements.length > 1 && <span className="option-all">{t('optionAll')}</span>}
                <span className="option-due">
                  {o.due === null ? t('optionUnknown') : t('optionFrom', { time: formatDue(o.due, lang, clock.timeZone, clock.now) })}
                </span>
              </p>
              <ul className="reqs">
                {o.requirements.map((r, j) => (
                  <RequirementItem key={j} req={r} clock={clock} />
                ))}
              </ul>
            </li>
          );
        })}
      </ol>
    </section>
  );
}
