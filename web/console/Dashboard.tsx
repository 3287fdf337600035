import { useMemo, useState } from 'react';
import { useLang, useT } from '../shared/i18n.tsx';
import { formatDateTime } from '../shared/time.ts';
import { DayChart, type Series } from './Chart.tsx';
import { ColourTag, Status, useLoad } from './data.tsx';
import { messages } from './messages.ts';
import type { Colour, Dashboard as D } from './types.ts';

const COLOURS: Colour[] = ['green', 'yellow', 'red', 'grey'];
// strokes dark enough on white; each colour also has its own dash pattern and its word in the legend
const STROKE: Record<Colour, string> = { green: '#15803d', yellow: '#a16207', red: '#b91c1c', grey: '#4b5563' };
const DASH: Record<Colour, number[] | undefined> = { green: undefined, yellow: [10, 4], red: [3, 3], grey: [12, 4, 3, 4] };
const WORD: Record<string, Record<Colour, string>> = {
  en: { green: 'green', yellow: 'yellow', red: 'red', grey: 'grey' },
  'zh-CN': { green: '绿码', yellow: '黄码', red: '红码', grey: '灰码' },
};

function NumbersTable({ id, days, rows, caption }: { id: string; days: string[]; rows: { label: string; values: (number | null)[] }[]; caption: string }) {
  const t = useT(messages);
  return (
    <details className="numbers">
      <summary>{t('dashTable')}</summary>
      <div className="table-wrap">
        <table data-testid={id}>
          <caption className="visually-hidden">{caption}</caption>
          <thead>
            <tr>
              <th scope="col">{t('dashDate')}</th>
              {rows.map((r) => (
                <th scope="col" key={r.label}>
                  {r.label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {days.map((d, i) => (
              <tr key={d} data-day={d}>
                <th scope="row">{d}</th>
                {rows.map((r) => (
                  <td key={r.label}>{r.values[i] ?? '—'}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </details>
  );
}

export function Dashboard() {
  const t = useT(messages);
  const { lang } = useLang();
  const [days, setDays] = useState(14);
  const { data, error, loading, reload } = useLoad<D>(`/api/console/dashboard?days=${days}`);

  const charts = useMemo(() => {
    if (!data) return null;
    const colourSeries: Series[] = COLOURS.map((c) => ({ label: WORD[lang]![c], values: data.colours[c], stroke: STROKE[c], dash: DASH[c], width: 2.5 }));
    const scanSeries: Series[] = [
      { label: t('dashScansPass'), values: data.scans.passes, stroke: '#15803d' },
      { label: t('dashScansStop'), values: data.scans.stops, stroke: '#b91c1c', dash: [3, 3] },
      { label: t('dashScansInvalid'), values: data.scans.invalid, stroke: '#6b21a8', dash: [10, 4] },
      { label: t('dashScansTotal'), values: data.scans.total, stroke: '#1d4ed8', fill: 'rgba(29,78,216,0.25)', bars: true, width: 1 },
    ];
    const caseSeries: Series[] = [
      { label: t('dashCasesOnset'), values: data.cases.byOnset, stroke: '#7c2d12', fill: 'rgba(185,28,28,0.55)', bars: true, width: 1 },
      { label: t('dashCasesConfirmed'), values: data.cases.confirmed, stroke: '#1f2937', fill: 'rgba(31,41,55,0.25)', bars: true, width: 1 },
    ];
    return { colourSeries, scanSeries, caseSeries };
  }, [data, lang, t]);

  return (
    <section aria-labelledby="dash-title">
      <div className="section-head">
        <h2 id="dash-title">{t('dashTitle')}</h2>
        <label className="inline">
          {t('dashDays')}{' '}
          <select value={days} onChange={(e) => setDays(Number(e.target.value))}>
            {[7, 14, 30, 60, 90].map((n) => (
              <option key={n} value={n}>
                {t('dashDaysN', { n })}
              </option>
            ))}
          </select>
        </label>
      </div>
      <Status loading={loading && !data} error={error} onRetry={reload} />
      {data && charts && (
        <>
          <div className="now-strip" data-testid="now-counts">
            <strong>{t('dashNow', { total: data.current.total })}</strong>
            {COLOURS.map((c) => (
              <span key={c} data-colour={c}>
                <ColourTag colour={c} /> <span className="n">{data.current[c]}</span>
              </span>
            ))}
          </div>
          <div className="charts">
            <figure className="card chart-card" data-testid="chart-colours">
              <figcaption>{t('dashColours')}</figcaption>
              <DayChart days={data.days} series={charts.colourSeries} label={t('dashColours')} />
              <NumbersTable id="table-colours" days={data.days} caption={t('dashColours')} rows={charts.colourSeries.map((s) => ({ label: s.label, values: s.values }))} />
            </figure>
            <figure className="card chart-card" data-testid="chart-scans">
              <figcaption>{t('dashScans')}</figcaption>
              <DayChart days={data.days} series={charts.scanSeries} label={t('dashScans')} />
              <NumbersTable id="table-scans" days={data.days} caption={t('dashScans')} rows={charts.scanSeries.map((s) => ({ label: s.label, values: s.values }))} />
            </figure>
            <figure className="card chart-card" data-testid="chart-cases">
              <figcaption>{t('dashCases')}</figcaption>
              <DayChart days={data.days} series={charts.caseSeries} label={t('dashCases')} />
              <NumbersTable id="table-cases" days={data.days} caption={t('dashCases')} rows={charts.caseSeries.map((s) => ({ label: s.label, values: s.values }))} />
            </figure>
          </div>
          <p className="hint">{t('dashTz', { tz: data.timeZone, at: formatDateTime(data.generatedAt, lang) })}</p>
        </>
      )}
    </section>
  );
}
