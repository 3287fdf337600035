import { useEffect, useState } from 'react';
import { get } from '../shared/api.ts';
import { colourWord } from '../shared/colour.ts';
import { useLang, useT } from '../shared/i18n.tsx';
import { formatDateTimeIn } from '../shared/time.ts';
import { ColourChip } from './ColourChip.tsx';
import type { HolderKey } from './messages.ts';
import { messages } from './messages.ts';
import type { StatusEvent } from './types.ts';

const CAUSE_KEY: Record<StatusEvent['cause']['kind'], HolderKey> = {
  registration: 'cause_registration',
  declaration: 'cause_declaration',
  check_in: 'cause_check_in',
  lab_result: 'cause_lab_result',
  trace_result: 'cause_trace_result',
  risk_area: 'cause_risk_area',
  time: 'cause_time',
  rule_change: 'cause_rule_change',
  override: 'cause_override',
  discharge: 'cause_discharge',
};

/** Every change of colour, newest first: when, from → to, why, and the reasons after it. Reloads when `refreshKey` changes. */
export function Timeline({ refreshKey, timeZone }: { refreshKey: string; timeZone?: string }) {
  const t = useT(messages);
  const { lang } = useLang();
  const [events, setEvents] = useState<StatusEvent[] | null>(null);
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    let cancelled = false;
    get<{ events: StatusEvent[] }>('/api/holder/history')
      .then((r) => {
        if (cancelled) return;
        setEvents(r.events);
        setFailed(false);
      })
      .catch(() => {
        if (!cancelled) setFailed(true);
      });
    return () => {
      cancelled = true;
    };
  }, [refreshKey]);

  return (
    <section className="card timeline" aria-labelledby="history-title" data-testid="timeline">
      <h2 id="history-title">{t('historyTitle')}</h2>
      {failed && events === null && <p className="error">{t('historyLoadFailed')}</p>}
      {events === null && !failed && <p className="hint">{t('loading')}</p>}
      {events !== null && events.length === 0 && <p>{t('historyEmpty')}</p>}
      {events !== null && events.length > 0 && (
        <ol className="events">
          {events.map((e) => {
            const causeKey: HolderKey | undefined = CAUSE_KEY[e.cause.kind];
            return (
              <li key={e.id} className={`event c-${e.to}`} data-cause={e.cause.kind} data-from={e.from ?? ''} data-to={e.to}>
                <span className="event-dot" aria-hidden="true" />
                <time className="event-time" dateTime={e.at}>
                  {formatDateTimeIn(e.at, lang, timeZone)}
                </time>
                <p className="event-change">
                  {e.from === null ? (
                    <>
                      <span className="event-new">{t('historyNew')}</span> <ColourChip colour={e.to} />
                    </>
                  ) : (
                    <>
                      <span className="visually-hidden">{t('historyFrom')} </span>
                      <ColourChip colour={e.from} />
                      <span className="arrow" aria-hidden="true">
                        →
                      </span>
                      <span className="visually-hidden"> {t('historyTo')} </span>
                      <ColourChip colour={e.to} />
                    </>
                  )}
                </p>
                <p className="event-cause">
                  <span className="visually-hidden">{t('historyCause')} </span>
                  {causeKey ? t(causeKey, { v: e.rulesetVersion }) : e.cause.kind}
                </p>
                <div className="event-reasons">
                  <span className="event-reasons-label">{t('historyReasonsAfter')}</span>{' '}
                  {e.reasons.length === 0 ? (
                    <span>{t('historyNoReasons')}</span>
                  ) : (
                    <ul>
                      {e.reasons.map((r, i) => (
                        <li key={`${r.ruleId}-${i}`}>
                          <span className="visually-hidden">{colourWord(r.colour, lang)}: </span>
                          {r.text[lang]}
                        </li>
                      ))}
                    </ul>
                  )}
                </div>
              </li>
            );
          })}
        </ol>
      )}
    </section>
  );
}
