// Test results: upload one's own result (it counts once an official has verified it) and the list
// of results with their review state, in words.
import { useCallback, useEffect, useId, useState, type FormEvent } from 'react';
import { get, post } from '../../shared/api.ts';
import { useLang, useT } from '../../shared/i18n.tsx';
import { formatDateTimeIn } from '../../shared/time.ts';
import { describeError } from '../errors.ts';
import { messages } from '../messages.ts';
import type { LabResultView } from '../types.ts';
import { screenMessages, type ScreenKey } from './messages.ts';
import { ScreenFrame, type ScreenProps } from './ScreenFrame.tsx';
import './screens.css';

/** 'YYYY-MM-DDTHH:mm' of a moment in the browser's zone, for <input type="datetime-local">. */
function localInputValue(d: Date): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
}

const REVIEW_ICON: Record<string, string> = { pending: '…', verified: '✓', rejected: '✕' };

export default function TestsScreen(props: ScreenProps & { timeZone?: string; dateOfBirth: string }) {
  const t = useT(screenMessages);
  const tm = useT(messages);
  const { lang } = useLang();
  const id = useId();
  const [kind, setKind] = useState<'pcr' | 'antigen'>('pcr');
  const [result, setResult] = useState<'negative' | 'positive'>('negative');
  const [sampledAt, setSampledAt] = useState(() => localInputValue(new Date()));
  const [lab, setLab] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [uploaded, setUploaded] = useState<LabResultView | null>(null);
  const [results, setResults] = useState<LabResultView[] | null>(null);
  const [listError, setListError] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      setResults((await get<{ results: LabResultView[] }>('/api/holder/lab-results')).results);
      setListError(null);
    } catch (err) {
      setListError(describeError(err, tm));
    }
  }, [tm]);
  useEffect(() => {
    void load();
  }, []);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    setUploaded(null);
    const at = new Date(sampledAt);
    if (Number.isNaN(at.getTime())) {
      setError(tm('errorBadDate'));
      return;
    }
    setBusy(true);
    try {
      const r = await post<LabResultView>('/api/holder/lab-results', { kind, result, sampledAt: at.toISOString(), lab: lab.trim() });
      setUploaded(r);
      setLab('');
      void load();
    } catch (err) {
      setError(describeError(err, tm));
    } finally {
      setBusy(false);
    }
  }

  return (
    <ScreenFrame {...props} name="tests" title={t('testsTitle')} back="more">
      <form className="card form" onSubmit={submit} aria-labelledby={`${id}-form`}>
        <h3 id={`${id}-form`}>{t('testsForm')}</h3>
        <p className="hint">{t('testsIntro')}</p>
        <fieldset>
          <legend>{t('testsKind')}</legend>
          <div className="choices">
            {(['pcr', 'antigen'] as const).map((k) => (
              <label key={k} className="choice">
                <input type="radio" name="kind" value={k} checked={kind === k} onChange={() => setKind(k)} />
                {t(`kind_${k}`)}
              </label>
            ))}
          </div>
          {kind === 'antigen' && <p className="hint">{t('testsPcrOnly')}</p>}
        </fieldset>
        <fieldset>
          <legend>{t('testsResult')}</legend>
          <div className="choices">
            {(['negative', 'positive'] as const).map((r) => (
              <label key={r} className="choice">
                <input type="radio" name="result" value={r} checked={result === r} onChange={() => setResult(r)} />
                {t(`result_${r}`)}
              </label>
            ))}
          </div>
        </fieldset>
        <label>
          {t('testsSampledAt')}
          <input
            type="datetime-local"
            required
            value={sampledAt}
            min={`${props.dateOfBirth}T00:00`}
            max={localInputValue(new Date(Date.now() + 60_000))}
            onChange={(e) => setSampledAt(e.target.value)}
          />
        </label>
        <label>
          {t('testsLab')}
          <input type="text" required maxLength={200} autoComplete="off" value={lab} onChange={(e) => setLab(e.target.value)} />
        </label>
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        {uploaded && (
          <p className="success c-green" role="status" data-testid="lab-uploaded">
            {t('testsUploaded')}
          </p>
        )}
        <button type="submit" className="primary" disabled={busy}>
          {busy ? t('working') : t('testsSubmit')}
        </button>
      </form>

      <section className="card" aria-labelledby={`${id}-list`}>
        <h3 id={`${id}-list`}>{t('testsListTitle')}</h3>
        {listError && (
          <p className="error" role="alert">
            {listError}
          </p>
        )}
        {results === null && !listError && <p>{t('loading')}</p>}
        {results?.length === 0 && <p className="hint">{t('testsEmpty')}</p>}
        {results && results.length > 0 && (
          <ul className="results">
            {results.map((r) => (
              <li key={r.id} className={`result review-${r.review}`} data-testid="lab-result" data-review={r.review}>
                <p className="result-main">
                  <strong>{t(`kind_${r.kind}` as ScreenKey)}</strong>
                  <span className={`result-value result-${r.result}`}>{t(`result_${r.result}` as ScreenKey)}</span>
                </p>
                <p className="hint">
                  {t('testsSampled', { time: formatDateTimeIn(r.sampledAt, lang, props.timeZone) })} · {r.lab} · {t(r.source === 'holder' ? 'source_holder' : 'source_lab')}
                </p>
                <p className="review">
                  <span className="review-icon" aria-hidden="true">
                    {REVIEW_ICON[r.review] ?? '?'}
                  </span>
                  {t(`review_${r.review}` as ScreenKey)}
                </p>
              </li>
            ))}
          </ul>
        )}
      </section>
    </ScreenFrame>
  );
}
