import { useState, type FormEvent } from 'react';
import { post } from '../shared/api.ts';
import { useT } from '../shared/i18n.tsx';
import { describeError } from './errors.ts';
import { ColourTag, Pager, qs, Status, useLoad, When } from './data.tsx';
import { messages } from './messages.ts';
import { useReason } from './reason.tsx';
import type { AppealRow, Paged } from './types.ts';

const REASON_CODES = ['lab_result_error', 'exposure_disproved', 'identity_mix_up', 'clinical_assessment', 'positive_test_not_yet_recorded', 'isolation_completed_elsewhere'];

function DecisionForm({ appeal, onDone, onCancel }: { appeal: AppealRow; onDone: (msg: string) => void; onCancel: () => void }) {
  const t = useT(messages);
  const [outcome, setOutcome] = useState<'rejected' | 'upheld'>('rejected');
  const [text, setText] = useState('');
  const [colour, setColour] = useState('green');
  const [code, setCode] = useState(REASON_CODES[0]!);
  const [until, setUntil] = useState(() => new Date(Date.now() + 7 * 86_400_000).toISOString().slice(0, 10));
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await post(`/api/official/appeals/${encodeURIComponent(appeal.id)}/decision`, {
        outcome,
        reason: text,
        ...(outcome === 'upheld' ? { override: { colour, reasonCode: code, until: new Date(`${until}T23:59:00`).toISOString() } } : {}),
      });
      onDone(t('decided', { id: appeal.id.slice(0, 8) }));
    } catch (err) {
      setError(describeError(err, t));
    } finally {
      setBusy(false);
    }
  }
  return (
    <form className="card form decision" onSubmit={submit} aria-label={t('decide')}>
      <fieldset>
        <legend>{t('outcome')}</legend>
        <label className="check">
          <input type="radio" name="outcome" checked={outcome === 'rejected'} onChange={() => setOutcome('rejected')} /> {t('rejectAppeal')}
        </label>
        <label className="check">
          <input type="radio" name="outcome" checked={outcome === 'upheld'} onChange={() => setOutcome('upheld')} /> {t('uphold')}
        </label>
      </fieldset>
      <label>
        {t('decisionReason')}
        <textarea required minLength={10} maxLength={4000} rows={3} value={text} onChange={(e) => setText(e.target.value)} />
      </label>
      {outcome === 'upheld' && (
        <>
          <label>
            {t('overrideColour')}
            <select value={colour} onChange={(e) => setColour(e.target.value)}>
              <option value="green">GREEN</option>
              <option value="yellow">YELLOW</option>
              <option value="red">RED</option>
            </select>
          </label>
          <label>
            {t('overrideReason')}
            <select value={code} onChange={(e) => setCode(e.target.value)}>
              {REASON_CODES.map((c) => (
                <option key={c} value={c}>
                  {c.replaceAll('_', ' ')}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t('overrideUntil')}
            <input type="date" required value={until} onChange={(e) => setUntil(e.target.value)} />
          </label>
        </>
      )}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <div className="row">
        <button type="submit" className="primary" disabled={busy}>
          {busy ? t('working') : t('submitDecision')}
        </button>
        <button type="button" onClick={onCancel}>
          {t('cancel')}
        </button>
      </div>
    </form>
  );
}

export function AppealQueue() {
  const t = useT(messages);
  const { reason } = useReason();
  const [status, setStatus] = useState('open');
  const [overdue, setOverdue] = useState(false);
  const [page, setPage] = useState(1);
  const [open, setOpen] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const url = reason ? `/api/console/appeals?${qs({ reason, status, overdue: overdue ? 'true' : false, page, pageSize: 20 })}` : null;
  const { data, error, loading, reload } = useLoad<Paged<AppealRow>>(url);
  const words: Record<string, string> = { open: t('pending'), upheld: t('uphold'), rejected: t('rejected') };
  return (
    <section aria-labelledby="appeals-title">
      <h2 id="appeals-title">{t('appealsTitle')}</h2>
      <div className="filters">
        <label>
          {t('status')}{' '}
          <select value={status} onChange={(e) => (setStatus(e.target.value), setPage(1))}>
            <option value="">{t('all')}</option>
            <option value="open">{t('pending')}</option>
            <option value="upheld">{t('uphold')}</option>
            <option value="rejected">{t('rejected')}</option>
          </select>
        </label>
        <label className="check">
          <input type="checkbox" checked={overdue} onChange={(e) => (setOverdue(e.target.checked), setPage(1))} /> {t('overdueOnly')}
        </label>
      </div>
      {!reason && <p className="notice">{t('reasonNeeded')}</p>}
      {notice && (
        <p className="notice ok" role="status">
          {notice}
        </p>
      )}
      <Status loading={loading} error={error} onRetry={reload} />
      {data && data.items.length === 0 && <p>{t('emptyQueue')}</p>}
      {data && data.items.length > 0 && (
        <>
          <ul className="queue">
            {data.items.map((a) => (
              <li key={a.id} className="card">
                <div className="queue-head">
                  <strong>{a.maskedName}</strong> <ColourTag colour={a.colour} />
                  <span>
                    {t('filed')}: <When at={a.filedAt} />
                  </span>
                  <span className={a.overdue ? 'overdue' : ''}>
                    {t('deadline')}: <When at={a.deadlineAt} /> {a.overdue && <strong>⚠ {t('overdue')}</strong>}
                  </span>
                  <span>
                    {t('status')}: {words[a.status]}
                  </span>
                </div>
                <blockquote>{a.text}</blockquote>
                {a.decision && (
                  <p>
                    {t('decision')}: {words[a.decision.outcome]} — {a.decision.reason}
                  </p>
                )}
                {a.status === 'open' && open !== a.id && (
                  <button type="button" onClick={() => setOpen(a.id)}>
                    {t('decide')}
                  </button>
                )}
                {open === a.id && (
                  <DecisionForm
                    appeal={a}
                    onCancel={() => setOpen(null)}
                    onDone={(m) => {
                      setOpen(null);
                      setNotice(m);
                      reload();
                    }}
                  />
                )}
              </li>
            ))}
          </ul>
          <Pager page={data.page} pageSize={data.pageSize} total={data.total} onPage={setPage} />
        </>
      )}
    </section>
  );
}
