import { useEffect, useId, useState, type FormEvent } from 'react';
import type { AssessmentView } from '../../src/contracts/api.ts';
import { get, post } from '../shared/api.ts';
import { useLang, useT } from '../shared/i18n.tsx';
import { formatDateTimeIn, localDateIn } from '../shared/time.ts';
import { describeError } from './errors.ts';
import { messages } from './messages.ts';
import type { CheckInResult, CheckInView } from './types.ts';

/**
 * The daily check-in: one button (temperature optional). "Today" is the holder's calendar date by
 * the server's clock (`now` already carries the skew), as the server counts it.
 */
export function CheckInCard({ now, timeZone, onCheckedIn }: { now: number; timeZone?: string; onCheckedIn: (a: AssessmentView) => void }) {
  const t = useT(messages);
  const { lang } = useLang();
  const id = useId();
  const [checkIns, setCheckIns] = useState<CheckInView[] | null>(null);
  const [temperature, setTemperature] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  /** the server's answer to our check-in: the one that counts for the server's today */
  const [confirmed, setConfirmed] = useState<CheckInView | null>(null);

  useEffect(() => {
    let cancelled = false;
    get<{ checkIns: CheckInView[] }>('/api/holder/check-ins')
      .then((r) => {
        if (!cancelled) setCheckIns(r.checkIns);
      })
      .catch(() => {
        if (!cancelled) setCheckIns([]); // the button still works; the server refuses a second one anyway
      });
    return () => {
      cancelled = true;
    };
  }, []);

  const today = localDateIn(now, timeZone);
  const todays = checkIns?.find((c) => c.localDate === today) ?? (confirmed && confirmed.localDate >= today ? confirmed : null);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    const temp = temperature.trim() === '' ? undefined : Number(temperature);
    try {
      const res = await post<CheckInResult>('/api/holder/check-ins', temp !== undefined && Number.isFinite(temp) ? { temperatureC: temp } : {});
      setConfirmed(res.checkIn);
      setCheckIns((prev) => [res.checkIn, ...(prev ?? []).filter((c) => c.id !== res.checkIn.id)]);
      setTemperature('');
      onCheckedIn(res.assessment);
    } catch (err) {
      setError(describeError(err, t));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section id="check-in" className="card check-in" aria-labelledby={`${id}-title`} data-testid="check-in" data-checked-in={todays !== null}>
      <h2 id={`${id}-title`}>{t('checkInTitle')}</h2>
      {todays ? (
        <p className="checked-in" role="status">
          <strong>{t('checkedInToday')}</strong>{' '}
          <span className="checked-in-at">{t('checkedInAt', { time: formatDateTimeIn(todays.at, lang, timeZone) })}</span>
        </p>
      ) : (
        <form className="form" onSubmit={submit}>
          <p className="hint">{t('checkInHelp')}</p>
          <label>
            {t('checkInTemp')}
            <input
              name="checkInTemperatureC"
              type="number"
              inputMode="decimal"
              min={30}
              max={45}
              step={0.1}
              value={temperature}
              onChange={(e) => setTemperature(e.target.value)}
            />
          </label>
          {error && (
            <p className="error" role="alert">
              {error}
            </p>
          )}
          <button type="submit" className="primary big" disabled={busy || checkIns === null}>
            {busy ? t('working') : t('checkInButton')}
          </button>
        </form>
      )}
    </section>
  );
}
