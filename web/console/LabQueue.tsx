import { useState } from 'react';
import { post } from '../shared/api.ts';
import { useT } from '../shared/i18n.tsx';
import { describeError } from './errors.ts';
import { Pager, qs, Status, useLoad, When } from './data.tsx';
import { messages } from './messages.ts';
import { useReason } from './reason.tsx';
import type { LabRow, Paged } from './types.ts';

type Review = '' | 'pending' | 'verified' | 'rejected';

export function LabQueue({ role }: { role: string }) {
  const t = useT(messages);
  const { reason } = useReason();
  const [review, setReview] = useState<Review>('pending');
  const [kind, setKind] = useState('');
  const [result, setResult] = useState('');
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(20);
  const [busy, setBusy] = useState<string | null>(null);
  const [outcome, setOutcome] = useState<{ ok: boolean; text: string } | null>(null);
  const url = reason ? `/api/console/lab-results?${qs({ reason, review, kind, result, page, pageSize })}` : null;
  const { data, error, loading, reload } = useLoad<Paged<LabRow>>(url);
  const words: Record<string, string> = { pending: t('pending'), verified: t('verified'), rejected: t('rejected') };

  async function decide(row: LabRow, decision: 'verified' | 'rejected') {
    setBusy(row.id);
    setOutcome(null);
    try {
      const r = await post<{ casesConfirmed: string[] }>(`/api/official/lab-results/${encodeURIComponent(row.id)}/review`, { decision });
      setOutcome({ ok: true, text: t(r.casesConfirmed.length ? 'reviewedCase' : 'reviewed', { id: row.id.slice(0, 8), decision: words[decision]! }) });
      reload();
    } catch (err) {
      setOutcome({ ok: false, text: describeError(err, t) });
    } finally {
      setBusy(null);
    }
  }

  return (
    <section aria-labelledby="lab-title">
      <h2 id="lab-title">{t('labTitle')}</h2>
      <div className="filters">
        <label>
          {t('review')}{' '}
          <select value={review} onChange={(e) => (setReview(e.target.value as Review), setPage(1))}>
            <option value="">{t('all')}</option>
            <option value="pending">{t('pending')}</option>
            <option value="verified">{t('verified')}</option>
            <option value="rejected">{t('rejected')}</option>
          </select>
        </label>
        <label>
          {t('test')}{' '}
          <select value={kind} onChange={(e) => (setKind(e.target.value), setPage(1))}>
            <option value="">{t('all')}</option>
            <option value="pcr">PCR</option>
            <option value="antigen">Antigen</option>
          </select>
        </label>
        <label>
          {t('result')}{' '}
          <select value={result} onChange={(e) => (setResult(e.target.value), setPage(1))}>
            <option value="">{t('all')}</option>
            <option value="positive">{t('positive')}</option>
            <option value="negative">{t('negative')}</option>
          </select>
        </label>
        <label>
          {t('perPage')}{' '}
          <select value={pageSize} onChange={(e) => (setPageSize(Number(e.target.value)), setPage(1))}>
            {[10, 20, 50, 100].map((n) => (
              <option key={n}>{n}</option>
            ))}
          </select>
        </label>
      </div>
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
          <div className="table-wrap">
            <table className="list" data-testid="lab-table">
              <thead>
                <tr>
                  <th scope="col">{t('person')}</th>
                  <th scope="col">{t('test')}</th>
                  <th scope="col">{t('result')}</th>
                  <th scope="col">{t('sampled')}</th>
                  <th scope="col">{t('lab')}</th>
                  <th scope="col">{t('source')}</th>
                  <th scope="col">{t('review')}</th>
                  <th scope="col">{t('actions')}</th>
                </tr>
              </thead>
              <tbody>
                {data.items.map((r) => (
                  <tr key={r.id} data-id={r.id}>
                    <td>
                      {r.maskedName}
                      {r.birthYear ? ` (${r.birthYear})` : ''}
                    </td>
                    <td>{r.kind === 'pcr' ? 'PCR' : 'Antigen'}</td>
                    <td className={r.result === 'positive' ? 'positive' : ''}>{r.result === 'positive' ? `⚠ ${t('positive')}` : t('negative')}</td>
                    <td>
                      <When at={r.sampledAt} />
                    </td>
                    <td>{r.lab}</td>
                    <td>{r.source}</td>
                    <td>{words[r.review]}</td>
                    <td className="actions">
                        {role === 'official' && r.review === 'pending' && (
                          <>
                            <button type="button" disabled={busy !== null} onClick={() => void decide(r, 'verified')} aria-label={`${t('verify')} ${r.maskedName} ${r.kind}`}>
                              {t('verify')}
                            </button>
                            <button type="button" disabled={busy !== null} onClick={() => void decide(r, 'rejected')} aria-label={`${t('reject')} ${r.maskedName} ${r.kind}`}>
                              {t('reject')}
                            </button>
                          </>
                        )}
                        <a href={`#/overrides/propose/${encodeURIComponent(r.holderId)}`} aria-label={t('proposeFor', { name: r.maskedName })}>
                          {t('proposeLink')}
                        </a>
                      </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <Pager page={data.page} pageSize={data.pageSize} total={data.total} onPage={setPage} />
        </>
      )}
    </section>
  );
}
