import { useState, type FormEvent } from 'react';
import { useT } from '../shared/i18n.tsx';
import { Pager, qs, Status, useLoad, When } from './data.tsx';
import { messages } from './messages.ts';
import { useReason } from './reason.tsx';
import type { CaseRow, Paged } from './types.ts';

export function Cases() {
  const t = useT(messages);
  const { reason } = useReason();
  const [page, setPage] = useState(1);
  const [filter, setFilter] = useState({ from: '', to: '' });
  const [draft, setDraft] = useState(filter);
  const url = reason ? `/api/console/cases?${qs({ reason, page, pageSize: 20, from: filter.from, to: filter.to })}` : null;
  const { data, error, loading, reload } = useLoad<Paged<CaseRow>>(url);
  const apply = (e: FormEvent) => {
    e.preventDefault();
    setPage(1);
    setFilter(draft);
  };
  return (
    <section aria-labelledby="cases-title">
      <h2 id="cases-title">{t('casesTitle')}</h2>
      <form className="filters" onSubmit={apply}>
        <label>
          {t('from')} <input type="date" value={draft.from} onChange={(e) => setDraft({ ...draft, from: e.target.value })} />
        </label>
        <label>
          {t('to')} <input type="date" value={draft.to} onChange={(e) => setDraft({ ...draft, to: e.target.value })} />
        </label>
        <button type="submit">{t('filter')}</button>
      </form>
      {!reason && <p className="notice">{t('reasonNeeded')}</p>}
      <Status loading={loading} error={error} onRetry={reload} />
      {data && data.items.length === 0 && <p>{t('noCases')}</p>}
      {data && data.items.length > 0 && (
        <>
          <div className="table-wrap">
            <table className="list" data-testid="cases-table">
              <thead>
                <tr>
                  <th scope="col">{t('caseId')}</th>
                  <th scope="col">{t('person')}</th>
                  <th scope="col">{t('sampled')}</th>
                  <th scope="col">{t('confirmed')}</th>
                  <th scope="col">{t('lastTrace')}</th>
                </tr>
              </thead>
              <tbody>
                {data.items.map((c) => (
                  <tr key={c.id}>
                    <td>
                      <a href={`#/cases/${encodeURIComponent(c.id)}`}>{c.id.slice(0, 8)}</a>
                    </td>
                    <td>{c.maskedName}</td>
                    <td>
                      <When at={c.sampledAt} />
                    </td>
                    <td>
                      <When at={c.confirmedAt} />
                    </td>
                    <td>{c.lastTrace ? t('contactsN', { close: c.lastTrace.closeContacts, secondary: c.lastTrace.secondaryContacts }) : t('notTraced')}</td>
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
