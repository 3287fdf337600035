import { useLang, useT } from '../shared/i18n.tsx';
import { formatDate, formatTime } from '../shared/time.ts';
import { messages } from './messages.ts';

/** Seconds ticking under the code: a screenshot cannot keep time. */
export function LiveClock({ now }: { now: number }) {
  const t = useT(messages);
  const { lang } = useLang();
  return (
    <div className="live-clock" aria-label={t('liveClock')}>
      <time className="clock-time" dateTime={new Date(now).toISOString()}>
        {formatTime(now, lang)}
      </time>
      <span className="clock-date">{formatDate(now, lang)}</span>
    </div>
  );
}
