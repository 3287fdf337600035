import { useState } from 'react';
import { post } from '../shared/api.ts';
import { useT } from '../shared/i18n.tsx';
import { describeError } from './errors.ts';
import { ColourTag, Pager, qs, Status, useLoad, When } from './data.tsx';
import { messages } from './messages.ts';
import { useReason } from './reason.tsx';
import type { OverrideRow, Paged, StaffInfo } from './types.ts';

export function OverrideQueue({ staff }: { staff: StaffInfo }) {
  const t = useT(messages);
  const { reason } = useReason();
  const [status, setStatus] = useState('proposed');
  const [page, setPage] = useState(1);
  const [notes, setNotes] = useState<Record<string, string>>({});
  const [outcome, setOutcome] = useState<{ ok: boolean; text: string } | null>(null);
  const url = reason ? `/api/console/overrides?${qs({ reason, status, page, pageSize: 20 })}` : null;
  const { data, error, loading, reload } = useLoad<Paged<OverrideRow>>(url);
  const words: Record<string, string> = { proposed: t('proposed'), approved: t('approved'), rejected: t('rejected'), expired: t('expired') };

  async function act(o: OverrideRow, what: 'approve' | 'reject') {
    setOutcome(null);
    try {
      const note = notes[o.id] ?? '';
      const r = await post<{ override: OverrideRow }>(`/api/official/overrides/${encodeURIComponent(o.id)}/${what}`, what === 'approve' ? (note ? { note } : {}) : { note });
      setOutcome({ ok: true, text: t('overrideDone', { id: o.id.slice(0, 8), status: words[r.override.status] ?? r.override.status }) });
      reload();
    } catch (err) {
      setOutcome({ ok: false, text: describeError(err, t) });
    }
  }

  return (
    <section aria-labelledby="ov-title">
      <h2 id="ov-title">{t('overridesTitle')}</h2>
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
      </div>
      {staff.role !== 'supervisor' && <p className="hint">{t('supervisorOnly')}</p>}
      {!reason && <p className="notice">{t('reasonNeeded')}</p>}
      {outcome && (
        <p className={outcome.ok ? 'notice ok' : 'notice error-box'} role={outcome.ok ? 'status' : 'alert'}>
          {outcome.text}
        </p>
      )}
      <Status loading={loading} error={error} onRetry={reload} />
      {data && data.items.length === 0 && <p>{t('emptyQueue')}</p>}
      {data && data.items.length > 0 && (
        <>
          <ul className="queue">
            {data.items.map((o) => (
              <li key={o.id} className="card">
                <div className="queue-head">
                  <strong>{o.maskedName}</strong> → <ColourTag colour={o.colour} />
                  <span>
                    {t('until')}: <When at={o.until} />
                  </span>
                  <span>
                    {t('status')}: {words[o.status] ?? o.status}
                  </span>
                  {o.flags.length > 0 && (
                    <strong className="overdue">
                      ⚠ {t('flags')}: {o.flags.join(', ')}
                    </strong>
                  )}
                </div>
                <p>
                  {t('reason')}: {o.reasonText}
                </p>
                <p>
                  {t('note')}: {o.note}
                </p>
                {staff.role === 'supervisor' && o.status === 'proposed' && o.proposedBy !== staff.id && (
                  <div className="row">
                    <label>
                      {t('approveNote')}
                      <input value={notes[o.id] ?? ''} onChange={(e) => setNotes({ ...notes, [o.id]: e.target.value })} />
                    </label>
                    <button type="button" onClick={() => void act(o, 'approve')}>
                      {t('approve')}
                    </button>
                    <button type="button" onClick={() => void act(o, 'reject')}>
                      {t('reject')}
                    </button>
                  </div>
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
