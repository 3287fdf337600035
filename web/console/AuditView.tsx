import { useState, type FormEvent } from 'react';
import { get } from '../shared/api.ts';
import { useT } from '../shared/i18n.tsx';
import { describeError } from './errors.ts';
import { qs, Status, useLoad, When } from './data.tsx';
import { messages } from './messages.ts';
import type { AuditRow } from './types.ts';

interface Filter {
  action: string;
  actorRole: string;
  subjectId: string;
  from: string;
  to: string;
}
const EMPTY: Filter = { action: '', actorRole: '', subjectId: '', from: '', to: '' };

export function AuditView() {
  const t = useT(messages);
  const [filter, setFilter] = useState<Filter>(EMPTY);
  const [draft, setDraft] = useState<Filter>(EMPTY);
  const [cursors, setCursors] = useState<number[]>([]); // the `before` of each page after the first
  const before = cursors[cursors.length - 1];
  const { data, error, loading, reload } = useLoad<{ total: number; next: number | null; items: AuditRow[] }>(`/api/console/audit?${qs({ ...filter, before, pageSize: 25 })}`);
  const [chain, setChain] = useState<{ ok: boolean; text: string } | null>(null);

  function apply(e: FormEvent) {
    e.preventDefault();
    setCursors([]);
    setFilter(draft);
  }
  async function verify() {
    setChain(null);
    try {
      const r = await get<{ ok: boolean; entries: number; break: { seq: number; message: string } | null }>('/api/audit/verify');
      setChain(r.ok ? { ok: true, text: t('chainOk', { n: r.entries }) } : { ok: false, text: t('chainBroken', { seq: r.break?.seq ?? '?', problem: r.break?.message ?? '' }) });
    } catch (err) {
      setChain({ ok: false, text: describeError(err, t) });
    }
  }
  const field = (k: keyof Filter, label: string, type = 'text') => (
    <label>
      {label} <input type={type} value={draft[k]} onChange={(e) => setDraft({ ...draft, [k]: e.target.value })} />
    </label>
  );

  return (
    <section aria-labelledby="audit-title">
      <h2 id="audit-title">{t('auditTitle')}</h2>
      <p className="hint">{t('auditHint')}</p>
      <form className="filters" onSubmit={apply}>
        {field('action', t('action'))}
        {field('actorRole', t('actorRole'))}
        {field('subjectId', t('subject'))}
        {field('from', t('from'), 'date')}
        {field('to', t('to'), 'date')}
        <button type="submit">{t('filter')}</button>
        <button type="button" onClick={() => void verify()}>
          {t('verifyChain')}
        </button>
      </form>
      {chain && (
        <p className={chain.ok ? 'notice ok' : 'notice error-box'} role={chain.ok ? 'status' : 'alert'}>
          {chain.ok ? '✓ ' : '✕ '}
          {chain.text}
        </p>
      )}
      <Status loading={loading} error={error} onRetry={reload} />
      {data && data.items.length === 0 && <p>{t('emptyQueue')}</p>}
      {data && data.items.length > 0 && (
        <>
          <div className="table-wrap">
            <table className="list audit" data-testid="audit-table">
              <thead>
                <tr>
                  <th scope="col">{t('seq')}</th>
                  <th scope="col">{t('at')}</th>
                  <th scope="col">{t('actor')}</th>
                  <th scope="col">{t('actionCol')}</th>
                  <th scope="col">{t('subject')}</th>
                  <th scope="col">{t('reason')}</th>
                  <th scope="col">{t('hash')}</th>
                </tr>
              </thead>
              <tbody>
                {data.items.map((e) => (
                  <tr key={e.seq}>
                    <td>{e.seq}</td>
                    <td>
                      <When at={e.at} />
                    </td>
                    <td>
                      {e.actor.role}
                      {e.actor.id ? ` · ${e.actor.id.slice(0, 12)}` : ''}
                    </td>
                    <td>
                      <code>{e.action}</code>
                    </td>
                    <td>{e.subject ? `${e.subject.kind} ${e.subject.id.slice(0, 12)}` : '—'}</td>
                    <td>{e.reason ?? '—'}</td>
                    <td>
                      <code title={e.hash}>{e.hash.slice(0, 10)}…</code>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <div className="pager">
            <button type="button" disabled={cursors.length === 0} onClick={() => setCursors([])}>
              ⇤ {t('newest')}
            </button>
            <span aria-live="polite">{t('pageOf', { page: cursors.length + 1, pages: Math.max(1, Math.ceil(data.total / 25)), total: data.total })}</span>
            <button type="button" disabled={data.next === null} onClick={() => data.next !== null && setCursors([...cursors, data.next])}>
              {t('older')} →
            </button>
          </div>
        </>
      )}
    </section>
  );
}
