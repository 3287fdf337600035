// Venue compliance (issue 9): venues ranked by scans against expected footfall, filtered and paged
// by the server; one venue's daily series as a chart (scans, declared and learned footfall, flagged
// days) with the same numbers in a table, its flags and notices, and a form to issue a notice; the
// notices with their status and counts.
import { useMemo, useState, type FormEvent } from 'react';
import { ApiError, post } from '../shared/api.ts';
import { useLang, useT } from '../shared/i18n.tsx';
import { formatDateTime } from '../shared/time.ts';
import { DayChart, type Series } from './Chart.tsx';
import { describeError } from './errors.ts';
import { kindWord, Pager, qs, Status, toLocalInput, useLoad, useRegions, VENUE_KINDS, When } from './data.tsx';
import { messages, type ConsoleKey } from './messages.ts';
import { useReason } from './reason.tsx';
import type { Notice, NoticeList, Trend, VenueCompliance, VenueDrill, VenueRanking } from './types.ts';

const TREND_MARK: Record<Trend, string> = { improving: '↗', worsening: '↘', steady: '→', unknown: '?' };
const TREND_KEY: Record<Trend, ConsoleKey> = { improving: 'trendImproving', worsening: 'trendWorsening', steady: 'trendSteady', unknown: 'trendUnknown' };

function TrendTag({ trend }: { trend: Trend }) {
  const t = useT(messages);
  return (
    <span className={`trend ${trend}`}>
      <span aria-hidden="true">{TREND_MARK[trend]}</span> {t(TREND_KEY[trend])}
    </span>
  );
}

/** The flag of the latest day: a word and a mark, the colour only repeats it. */
function FlagTag({ v }: { v: Pick<VenueCompliance, 'flagged' | 'expected'> }) {
  const t = useT(messages);
  if (v.flagged)
    return (
      <strong className="flag-tag flagged">
        <span aria-hidden="true">⚠</span> {t('flaggedTag')}
      </strong>
    );
  if (v.expected === null || v.expected === 0) return <span className="hint">{t('noExpectation')}</span>;
  return (
    <span className="flag-tag ok">
      <span aria-hidden="true">✓</span> {t('okTag')}
    </span>
  );
}

function Expected({ declared, learned }: { declared: number | null; learned: number | null }) {
  return (
    <>
      {declared ?? '—'} / {learned ?? '—'}
    </>
  );
}

function Percent({ p }: { p: number | null }) {
  if (p === null) return <>—</>;
  return (
    <span className="pct">
      <span className="pct-bar" aria-hidden="true">
        <span style={{ width: `${Math.min(100, p)}%` }} />
      </span>
      {p}%
    </span>
  );
}

function Tabs({ view }: { view: string }) {
  const t = useT(messages);
  const tabs: { id: string; href: string; key: ConsoleKey }[] = [
    { id: 'venues', href: '#/compliance', key: 'tabVenues' },
    { id: 'notices', href: '#/compliance/notices', key: 'tabNotices' },
  ];
  return (
    <nav className="tabs" aria-label={t('complianceTabs')}>
      {tabs.map((x) => (
        <a key={x.id} href={x.href} aria-current={view === x.id ? 'page' : undefined}>
          {t(x.key)}
        </a>
      ))}
    </nav>
  );
}

export function Compliance({ view, venueId }: { view: string; venueId: string | null }) {
  const t = useT(messages);
  if (view === 'venue' && venueId) return <VenueDetail id={venueId} />;
  return (
    <section aria-labelledby="compliance-title">
      <h2 id="compliance-title">{t('complianceTitle')}</h2>
      <Tabs view={view === 'notices' ? 'notices' : 'venues'} />
      {view === 'notices' ? <Notices /> : <Ranking />}
    </section>
  );
}

function Ranking() {
  const t = useT(messages);
  const { regions, name: regionName } = useRegions();
  const { lang } = useLang();
  const [kind, setKind] = useState('');
  const [region, setRegion] = useState('');
  const [flagged, setFlagged] = useState(false);
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(20);
  const url = `/api/official/compliance/venues?${qs({ kind, region, flagged: flagged ? 'true' : false, limit: pageSize, offset: (page - 1) * pageSize })}`;
  const { data, error, loading, reload } = useLoad<VenueRanking>(url);
  const day = data?.venues.find((v) => v.day)?.day ?? null;
  return (
    <>
      <div className="filters">
        <label>
          {t('kindFilter')}{' '}
          <select value={kind} onChange={(e) => (setKind(e.target.value), setPage(1))}>
            <option value="">{t('all')}</option>
            {VENUE_KINDS.map((k) => (
              <option key={k} value={k}>
                {kindWord(k, t)}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('districtFilter')}{' '}
          <select value={region} onChange={(e) => (setRegion(e.target.value), setPage(1))}>
            <option value="">{t('all')}</option>
            {regions.map((r) => (
              <option key={r.code} value={r.code}>
                {lang === 'zh-CN' ? r.nameZh : r.name}
              </option>
            ))}
          </select>
        </label>
        <label className="check">
          <input type="checkbox" checked={flagged} onChange={(e) => (setFlagged(e.target.checked), setPage(1))} /> {t('flaggedOnly')}
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
      {data && <p className="hint">{day ? t('complianceHint', { day, pct: data.minPercent }) : t('complianceNoDay')}</p>}
      <Status loading={loading} error={error} onRetry={reload} />
      {data && data.venues.length === 0 && <p>{t('noVenues')}</p>}
      {data && data.venues.length > 0 && (
        <>
          <div className="table-wrap">
            <table className="list" data-testid="compliance-table">
              <thead>
                <tr>
                  <th scope="col">{t('rank')}</th>
                  <th scope="col">{t('venueKindDistrict')}</th>
                  <th scope="col">{t('scansCol')}</th>
                  <th scope="col">{t('expectedCol')}</th>
                  <th scope="col">{t('complianceCol')}</th>
                  <th scope="col">{t('flagCol')}</th>
                  <th scope="col">{t('flaggedDays')}</th>
                  <th scope="col">{t('trendCol')}</th>
                  <th scope="col">{t('missedVisits')}</th>
                  <th scope="col">{t('noticesCol')}</th>
                </tr>
              </thead>
              <tbody>
                {data.venues.map((v, i) => (
                  <tr key={v.venueId} data-venue={v.venueId} data-kind={v.kind} className={v.flagged ? 'flagged-row' : undefined}>
                    <td>{data.offset + i + 1}</td>
                    <th scope="row" className="venue-cell">
                      <a href={`#/compliance/venue/${encodeURIComponent(v.venueId)}`}>{v.name}</a>
                      <span className="hint">
                        {kindWord(v.kind, t)} · {regionName(v.region)}
                      </span>
                    </th>
                    <td className="num">{v.scans ?? '—'}</td>
                    <td className="num">
                      <Expected declared={v.declared} learned={v.learned} />
                    </td>
                    <td>
                      <Percent p={v.percent} />
                    </td>
                    <td>
                      <FlagTag v={v} />
                    </td>
                    <td className="num">{v.flaggedDays7}</td>
                    <td>
                      <TrendTag trend={v.trend} />
                    </td>
                    <td className="num">{v.missedCaseVisits > 0 ? <strong className="overdue">⚠ {v.missedCaseVisits}</strong> : 0}</td>
                    <td className="num">
                      {v.notices.issued} / {v.notices.acknowledged} / {v.notices.overdue > 0 ? <strong className="overdue">⚠ {v.notices.overdue}</strong> : 0}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <Pager page={page} pageSize={pageSize} total={data.total} onPage={setPage} />
        </>
      )}
    </>
  );
}

const NOTICE_KEY: Record<Notice['status'], ConsoleKey> = { open: 'noticeOpen', acknowledged: 'noticeAcknowledged', overdue: 'noticeOverdue' };
const NOTICE_MARK: Record<Notice['status'], string> = { open: '○', acknowledged: '✓', overdue: '⚠' };

function NoticeStatus({ status }: { status: Notice['status'] }) {
  const t = useT(messages);
  return (
    <span className={`notice-status ${status}`}>
      <span aria-hidden="true">{NOTICE_MARK[status]}</span> {t(NOTICE_KEY[status])}
    </span>
  );
}

/** Notices as a table; with a column naming the venue when they carry its name (the all-venues list). */
function NoticeTable({ notices, testId }: { notices: readonly (Notice & { venueName?: string })[]; testId: string }) {
  const t = useT(messages);
  const withVenue = notices.some((n) => n.venueName !== undefined);
  return (
    <div className="table-wrap">
      <table className="list" data-testid={testId}>
        <thead>
          <tr>
            {withVenue && <th scope="col">{t('venue')}</th>}
            <th scope="col">{t('issuedAt')}</th>
            <th scope="col">{t('deadline')}</th>
            <th scope="col">{t('status')}</th>
            <th scope="col">{t('acknowledgedAt')}</th>
            <th scope="col">{t('noticeTextCol')}</th>
          </tr>
        </thead>
        <tbody>
          {notices.map((n) => (
            <tr key={n.id}>
              {withVenue && (
                <th scope="row">
                  <a href={`#/compliance/venue/${encodeURIComponent(n.venueId)}`}>{n.venueName}</a>
                </th>
              )}
              <td>
                <When at={n.issuedAt} />
              </td>
              <td>
                <When at={n.deadline} />
              </td>
              <td>
                <NoticeStatus status={n.status} />
              </td>
              <td>
                <When at={n.acknowledgedAt} />
              </td>
              <td className="text-cell">{n.text}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Notices() {
  const t = useT(messages);
  const [status, setStatus] = useState('');
  const [page, setPage] = useState(1);
  const [pageSize, setPageSize] = useState(20);
  const { data, error, loading, reload } = useLoad<NoticeList>(`/api/official/compliance/notices?${qs({ status, limit: pageSize, offset: (page - 1) * pageSize })}`);
  return (
    <>
      {data && (
        <dl className="counts" data-testid="notice-counts">
          <div>
            <dt>{t('countIssued')}</dt>
            <dd>{data.counts.issued}</dd>
          </div>
          <div>
            <dt>{t('countAcknowledged')}</dt>
            <dd>{data.counts.acknowledged}</dd>
          </div>
          <div className={data.counts.overdue > 0 ? 'overdue' : undefined}>
            <dt>
              {data.counts.overdue > 0 && <span aria-hidden="true">⚠ </span>}
              {t('countOverdue')}
            </dt>
            <dd>{data.counts.overdue}</dd>
          </div>
        </dl>
      )}
      <div className="filters">
        <label>
          {t('status')}{' '}
          <select value={status} onChange={(e) => (setStatus(e.target.value), setPage(1))}>
            <option value="">{t('all')}</option>
            {(['open', 'acknowledged', 'overdue'] as const).map((s) => (
              <option key={s} value={s}>
                {t(NOTICE_KEY[s])}
              </option>
            ))}
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
      <Status loading={loading} error={error} onRetry={reload} />
      {data && data.notices.length === 0 && <p>{t('noNotices')}</p>}
      {data && data.notices.length > 0 && (
        <>
          <NoticeTable notices={data.notices} testId="notices-table" />
          <Pager page={page} pageSize={pageSize} total={data.total} onPage={setPage} />
        </>
      )}
    </>
  );
}

function VenueDetail({ id }: { id: string }) {
  const t = useT(messages);
  const { lang } = useLang();
  const { name: regionName } = useRegions();
  const [days, setDays] = useState(28);
  const { data, error, loading, reload } = useLoad<VenueDrill>(`/api/official/compliance/venues/${encodeURIComponent(id)}?days=${days}`);
  const v = data?.venue;

  const chart = useMemo(() => {
    if (!data) return null;
    const s = data.series;
    const series: Series[] = [
      { label: t('seriesScans'), values: s.map((d) => d.scans), stroke: '#1d4ed8', fill: 'rgba(29,78,216,0.30)', bars: true, width: 1 },
      { label: t('seriesDeclared'), values: s.map((d) => d.declared), stroke: '#9a3412', dash: [10, 5], width: 2.5, noPoints: true },
      { label: t('seriesLearned'), values: s.map((d) => d.learned), stroke: '#6b21a8', dash: [2, 4], width: 3, noPoints: true },
      { label: `⚠ ${t('seriesFlagged')}`, values: s.map((d) => (d.flagged ? d.scans : null)), stroke: '#7f1d1d', fill: '#dc2626', pointsOnly: true },
    ];
    return { days: s.map((d) => d.day), series, flagged: s.filter((d) => d.flagged).length };
  }, [data, t]);

  return (
    <section aria-labelledby="venue-title">
      <p>
        <a href="#/compliance">← {t('backToRanking')}</a>
      </p>
      <h2 id="venue-title">{t('venueTitle', { name: v?.name ?? id })}</h2>
      <Status loading={loading && !data} error={error} onRetry={reload} />
      {data && v && chart && (
        <>
          <dl className="facts" data-testid="venue-facts">
            <div>
              <dt>{t('kindFilter')}</dt>
              <dd>{kindWord(v.kind, t)}</dd>
            </div>
            <div>
              <dt>{t('district')}</dt>
              <dd>{regionName(v.region)}</dd>
            </div>
            <div>
              <dt>{t('address')}</dt>
              <dd>{v.address}</dd>
            </div>
            <div>
              <dt>{t('declaredNow')}</dt>
              <dd>{v.declaredNow ?? t('notDeclared')}</dd>
            </div>
            <div>
              <dt>{t('latestDay')}</dt>
              <dd>{v.day ?? '—'}</dd>
            </div>
            <div>
              <dt>{t('scansCol')}</dt>
              <dd>{v.scans ?? '—'}</dd>
            </div>
            <div>
              <dt>{t('declaredCol')}</dt>
              <dd>{v.declared ?? t('notDeclared')}</dd>
            </div>
            <div>
              <dt>{t('learnedCol')}</dt>
              <dd>{v.learned ?? t('notLearned')}</dd>
            </div>
            <div>
              <dt>{t('complianceCol')}</dt>
              <dd>
                <Percent p={v.percent} />
              </dd>
            </div>
            <div>
              <dt>{t('flagCol')}</dt>
              <dd>
                <FlagTag v={v} />
              </dd>
            </div>
            <div>
              <dt>{t('flaggedDays')}</dt>
              <dd>{v.flaggedDays7}</dd>
            </div>
            <div>
              <dt>{t('trendCol')}</dt>
              <dd>
                <TrendTag trend={v.trend} />
              </dd>
            </div>
            <div>
              <dt>{t('missedVisits')}</dt>
              <dd>{v.missedCaseVisits}</dd>
            </div>
            <div>
              <dt>{t('noticesCol')}</dt>
              <dd>
                {v.notices.issued} / {v.notices.acknowledged} / {v.notices.overdue}
              </dd>
            </div>
          </dl>

          <div className="section-head">
            <h3>{t('seriesTitle')}</h3>
            <label className="inline">
              {t('period')}{' '}
              <select value={days} onChange={(e) => setDays(Number(e.target.value))}>
                {[14, 28, 56, 90].map((n) => (
                  <option key={n} value={n}>
                    {t('daysN', { n })}
                  </option>
                ))}
              </select>
            </label>
          </div>
          {data.series.length === 0 && <p>{t('noSeries')}</p>}
          {data.series.length > 0 && (
            <figure className="card chart-card" data-testid="venue-chart">
              <figcaption className="hint">{t('seriesHint')}</figcaption>
              <DayChart days={chart.days} series={chart.series} label={t('seriesLabel', { name: v.name, n: chart.days.length, flagged: chart.flagged })} height={280} />
              <details className="numbers">
                <summary>{t('dashTable')}</summary>
                <div className="table-wrap">
                  <table data-testid="venue-series-table">
                    <caption className="visually-hidden">{t('seriesTitle')}</caption>
                    <thead>
                      <tr>
                        <th scope="col">{t('dashDate')}</th>
                        <th scope="col">{t('scansCol')}</th>
                        <th scope="col">{t('declaredCol')}</th>
                        <th scope="col">{t('learnedCol')}</th>
                        <th scope="col">{t('expectedUsed')}</th>
                        <th scope="col">{t('complianceCol')}</th>
                        <th scope="col">{t('flagShort')}</th>
                      </tr>
                    </thead>
                    <tbody>
                      {data.series.map((d) => (
                        <tr key={d.day} data-day={d.day}>
                          <th scope="row">{d.day}</th>
                          <td>{d.scans}</td>
                          <td>{d.declared ?? '—'}</td>
                          <td>{d.learned ?? '—'}</td>
                          <td>{d.expected ?? '—'}</td>
                          <td>{d.percent === null ? '—' : `${d.percent}%`}</td>
                          <td>{d.flagged ? t('flaggedWord') : ''}</td>
                        </tr>
                      ))}
                    </tbody>
                  </table>
                </div>
              </details>
            </figure>
          )}

          <h3>{t('flagsTitle')}</h3>
          {data.flags.length === 0 && <p>{t('noFlags')}</p>}
          {data.flags.length > 0 && (
            <ul className="flag-list" data-testid="venue-flags">
              {data.flags.map((f) => (
                <li key={f.id}>
                  <span aria-hidden="true">⚠</span> <strong>{f.day}</strong>{' '}
                  {f.kind === 'low_scans'
                    ? t('flagLowScans', { scans: String(f.detail.scans ?? '—'), expected: String(f.detail.expected ?? '—') })
                    : f.kind === 'missed_case_visit'
                      ? t('flagMissedVisit', {
                          from: typeof f.detail.from === 'string' ? formatDateTime(f.detail.from, lang) : '—',
                          to: typeof f.detail.to === 'string' ? formatDateTime(f.detail.to, lang) : '—',
                        })
                      : f.kind}
                </li>
              ))}
            </ul>
          )}

          <h3>{t('venueNoticesTitle')}</h3>
          {data.notices.length === 0 && <p>{t('noNotices')}</p>}
          {data.notices.length > 0 && (
            <NoticeTable notices={data.notices} testId="venue-notices" />
          )}
          <IssueNotice venueId={v.venueId} venueName={v.name} onIssued={reload} />
        </>
      )}
    </section>
  );
}

function IssueNotice({ venueId, venueName, onIssued }: { venueId: string; venueName: string; onIssued: () => void }) {
  const t = useT(messages);
  const { lang } = useLang();
  const { onUnauthenticated } = useReason();
  const [text, setText] = useState('');
  const [deadline, setDeadline] = useState(() => {
    const d = new Date(Date.now() + 3 * 86_400_000);
    d.setHours(18, 0, 0, 0);
    return toLocalInput(d.getTime());
  });
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<{ ok: boolean; text: string } | null>(null);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setOutcome(null);
    try {
      const at = new Date(deadline);
      if (Number.isNaN(at.getTime())) throw new ApiError(400, 'invalid_date', '');
      const n = await post<Notice>(`/api/official/venues/${encodeURIComponent(venueId)}/compliance-notices`, { text: text.trim(), deadline: at.toISOString() });
      setOutcome({ ok: true, text: t('issuedOk', { name: venueName, deadline: formatDateTime(n.deadline, lang) }) });
      setText('');
      onIssued();
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) onUnauthenticated();
      setOutcome({ ok: false, text: describeError(err, t) });
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="card form" onSubmit={submit} aria-labelledby="issue-title" data-testid="issue-notice">
      <h3 id="issue-title">{t('issueTitle')}</h3>
      <label>
        {t('noticeText')}
        <textarea required minLength={3} maxLength={2000} rows={3} value={text} onChange={(e) => setText(e.target.value)} />
      </label>
      <label>
        {t('noticeDeadline')}
        <input type="datetime-local" required value={deadline} min={toLocalInput(Date.now())} onChange={(e) => setDeadline(e.target.value)} aria-describedby="deadline-hint" />
        <span id="deadline-hint" className="hint">
          {t('noticeDeadlineHint')}
        </span>
      </label>
      {outcome && (
        <p className={outcome.ok ? 'notice ok' : 'notice error-box'} role={outcome.ok ? 'status' : 'alert'}>
          {outcome.text}
        </p>
      )}
      <button type="submit" className="primary inline-button" disabled={busy}>
        {busy ? t('working') : t('issue')}
      </button>
    </form>
  );
}
