// Overrides: the queue (filtered and paged by the server) and the second person's decision. Each
// item names who proposed it and who decided it; the proposer is never offered the decision.
import { useState } from 'react';
import { post } from '../shared/api.ts';
import { useT } from '../shared/i18n.tsx';
import { describeError } from './errors.ts';
import { ColourTag, Pager, qs, Status, useLoad, When } from './data.tsx';
import { messages } from './messages.ts';
import { alarmText, reasonText } from './ProposeOverride.tsx';
import { useReason } from './reason.tsx';
import type { OverrideRow, Paged, StaffInfo } from './types.ts';

export function OverrideQueue({ staff }: { staff: StaffInfo }) {
  const t = useT(messages);
  const { reason } = useReason();
  const [status, setStatus] = useState('proposed');
  const [mine, setMine] = useState(false);
  const [page, setPage] = useState(1);
  const [notes, setNotes] = useState<Record<string, string>>({});
  const [outcome, setOutcome] = useState<{ ok: boolean; text: string } | null>(null);
  const url = reason ? `/api/console/overrides?${qs({ reason, status, mine: mine ? 'true' : false, page, pageSize: 20 })}` : null;
  const { data, error, loading, reload } = useLoad<Paged<OverrideRow>>(url);
  const words: Record<string, string> = { proposed: t('proposed'), approved: t('approved'), rejected: t('rejected'), expired: t('expired') };
  const who = (id: string, name: string) => (id === staff.id ? `${name} (${t('you')})` : name);

  async function act(o: OverrideRow, what: 'approve' | 'reject') {
    setOutcome(null);
    const note = (notes[o.id] ?? '').trim();
    if (what === 'reject' && note.length < 10) {
      setOutcome({ ok: false, text: t('rejectNoteNeeded') });
      return;
    }
    try {
      const r = await post<{ override: OverrideRow }>(`/api/official/overrides/${encodeURIComponent(o.id)}/${what}`, what === 'approve' ? (note ? { note } : {}) : { note });
      setOutcome({ ok: true, text: t('overrideDone', { name: o.maskedName, status: words[r.override.status] ?? r.override.status }) });
      reload();
    } catch (err) {
      setOutcome({ ok: false, text: describeError(err, t) });
      reload();
    }
  }

  return (
    <section aria-labelledby="ov-title">
      <div className="section-head">
        <h2 id="ov-title">{t('overridesTitle')}</h2>
        <a className="button-link" href="#/overrides/propose">
          {t('proposeLink')}
        </a>
      </div>
      <div className="filters">
        <label>
          {t('status')}{' '}
          <select value={status} onChange={(e) => (setStatus(e.target.value), setPage(1))}>
            <option value="">{t('all')}</option>
            {Object.entries(words).map(([k, w]) => (
              <option key={k} value={k}>
                {w}
              </option>
            ))}
          </select>
        </label>
        <label className="check">
          <input type="checkbox" checked={mine} onChange={(e) => (setMine(e.target.checked), setPage(1))} /> {t('mineOnly')}
        </label>
      </div>
      <p className="hint">{t('supervisorOnly')}</p>
      {!reason && <p className="notice">{t('reasonNeeded')}</p>}
      {outcome && (
        <p className={outcome.ok ? 'notice ok' : 'notice error-box'} role={outcome.ok ? 'status' : 'alert'}>
          {outcome.text}
        </p>
      )}
      <Status loading={loading && !data} error={error} onRetry={reload} />
      {data && data.items.length === 0 && <p>{t('emptyQueue')}</p>}
      {data && data.items.length > 0 && (
        <>
          <ul className="queue" data-testid="override-queue">
            {data.items.map((o) => {
              const own = o.proposedBy === staff.id;
              const canDecide = staff.role === 'supervisor' && o.status === 'proposed' && !own;
              return (
                <li key={o.id} className="card" data-id={o.id} data-status={o.status}>
                  <div className="queue-head">
                    <strong>{o.maskedName}</strong> → <ColourTag colour={o.colour} />
                    <span>
                      {t('until')}{t('colon')}<When at={o.until} />
                    </span>
                    <span>
                      {t('status')}{t('colon')}<strong>{words[o.status] ?? o.status}</strong>
                      {o.inForce && ` (${t('inForce')})`}
                    </span>
                    {o.flags.length > 0 && (
                      <strong className="overdue">
                        ⚠ {t('flags')}{t('colon')}{o.flags.map((f) => alarmText(f, t)).join('; ')}
                      </strong>
                    )}
                  </div>
                  <p>
                    {t('reason')}{t('colon')}{reasonText(o.reasonCode, t)}
                  </p>
                  <p>
                    {t('note')}{t('colon')}{o.note}
                  </p>
                  <ol className="four-eyes-steps" aria-label={t('fourEyesTitle')}>
                    <li>
                      <span aria-hidden="true">① </span>
                      {t('proposedByLine', { name: who(o.proposedBy, o.proposedByName) })} · <When at={o.proposedAt} />
                    </li>
                    <li>
                      <span aria-hidden="true">② </span>
                      {o.decidedBy && o.decidedByName ? (
                        <>
                          {t('decidedByLine', { name: who(o.decidedBy, o.decidedByName) })} · <When at={o.decidedAt} />
                          {o.decisionNote ? ` — ${t('decisionNoteLabel')}${t('colon')}${o.decisionNote}` : ''}
                        </>
                      ) : (
                        t('awaitingSupervisor')
                      )}
                    </li>
                  </ol>
                  {own && o.status === 'proposed' && (
                    <p className="notice four-eyes-own">
                      {t('youProposed')}
                    </p>
                  )}
                  {canDecide && (
                    <div className="row">
                      <label>
                        {t('approveNote')}
                        <input value={notes[o.id] ?? ''} onChange={(e) => setNotes({ ...notes, [o.id]: e.target.value })} />
                      </label>
                      <button type="button" onClick={() => void act(o, 'approve')} aria-label={`${t('approve')}: ${o.maskedName}`}>
                        {t('approve')}
                      </button>
                      <button type="button" onClick={() => void act(o, 'reject')} aria-label={`${t('reject')}: ${o.maskedName}`}>
                        {t('reject')}
                      </button>
                    </div>
                  )}
                </li>
              );
            })}
          </ul>
          <Pager page={data.page} pageSize={data.pageSize} total={data.total} onPage={setPage} />
        </>
      )}
    </section>
  );
}
