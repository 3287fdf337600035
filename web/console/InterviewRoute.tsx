// The case's route from the interview (issue 9): the places and times the case says they were.
// Each visit with no scan of the case flags the venue for the gap, and the case is traced again,
// so everyone scanned there in that window is found even though the case was not scanned.
import { useMemo, useState, type FormEvent } from 'react';
import { ApiError, post } from '../shared/api.ts';
import { useLang, useT } from '../shared/i18n.tsx';
import { describeError } from './errors.ts';
import { toLocalInput, useLoad, useRegions, When } from './data.tsx';
import { messages } from './messages.ts';
import { useReason } from './reason.tsx';
import type { MapData } from './types.ts';

interface Row {
  key: number;
  venueId: string;
  from: string;
  to: string;
}

interface RouteResult {
  visits: { venueId: string; from: string; to: string; matched: boolean }[];
  flaggedVenues: string[];
}

const HOUR = 3_600_000;

export function InterviewRoute({ caseId, onTraced }: { caseId: string; onTraced: () => void }) {
  const t = useT(messages);
  const { lang } = useLang();
  const { onUnauthenticated } = useReason();
  const { regions } = useRegions();
  const { data: map } = useLoad<MapData>('/api/console/map');
  const [rows, setRows] = useState<Row[]>(() => [{ key: 1, venueId: '', from: toLocalInput(Date.now() - 2 * HOUR), to: toLocalInput(Date.now() - HOUR) }]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [result, setResult] = useState<RouteResult | null>(null);
  const venueName = (id: string) => map?.venues.find((v) => v.id === id)?.name ?? id;
  // the venues, grouped by district, in the order of the districts
  const groups = useMemo(
    () =>
      regions
        .map((r) => ({ code: r.code, name: lang === 'zh-CN' ? r.nameZh : r.name, venues: (map?.venues ?? []).filter((v) => v.region === r.code) }))
        .filter((g) => g.venues.length > 0),
    [regions, map, lang],
  );

  const update = (key: number, change: Partial<Row>) => setRows((rs) => rs.map((r) => (r.key === key ? { ...r, ...change } : r)));

  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    setResult(null);
    // checked here first, in words; the server checks the same
    const visits: { venueId: string; from: string; to: string }[] = [];
    for (const [i, r] of rows.entries()) {
      const from = new Date(r.from);
      const to = new Date(r.to);
      if (!r.venueId) return setError(t('routePickVenue', { n: i + 1 }));
      if (Number.isNaN(from.getTime()) || Number.isNaN(to.getTime())) return setError(t('routeBadTime', { n: i + 1 }));
      if (from.getTime() > to.getTime()) return setError(t('routeLeftBeforeArrived', { n: i + 1 }));
      if (to.getTime() > Date.now()) return setError(t('routeInFuture', { n: i + 1 }));
      visits.push({ venueId: r.venueId, from: from.toISOString(), to: to.toISOString() });
    }
    setBusy(true);
    try {
      const recorded = await post<RouteResult>(`/api/official/cases/${encodeURIComponent(caseId)}/route`, { visits });
      await post(`/api/official/cases/${encodeURIComponent(caseId)}/trace`);
      setResult(recorded);
      onTraced();
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) onUnauthenticated();
      setError(describeError(err, t, { unknown_venue: 'routeUnknownVenue', invalid_date: 'routeBadTimeServer' }));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="card form" onSubmit={submit} aria-labelledby="route-title" data-testid="interview-route">
      <h3 id="route-title">{t('routeTitle')}</h3>
      <p className="hint">{t('routeHint')}</p>
      {rows.map((r, i) => (
        <fieldset key={r.key} className="route-row" data-testid="route-row">
          <legend>{t('routeVisitN', { n: i + 1 })}</legend>
          <label>
            {t('routeVenue')}
            <select value={r.venueId} onChange={(e) => update(r.key, { venueId: e.target.value })}>
              <option value="">{t('routeChooseVenue')}</option>
              {groups.map((g) => (
                <optgroup key={g.code} label={g.name}>
                  {g.venues.map((v) => (
                    <option key={v.id} value={v.id}>
                      {v.name}
                    </option>
                  ))}
                </optgroup>
              ))}
            </select>
          </label>
          <label>
            {t('routeArrived')}
            <input type="datetime-local" required value={r.from} onChange={(e) => update(r.key, { from: e.target.value })} />
          </label>
          <label>
            {t('routeLeft')}
            <input type="datetime-local" required value={r.to} onChange={(e) => update(r.key, { to: e.target.value })} />
          </label>
          {rows.length > 1 && (
            <button type="button" className="secondary" onClick={() => setRows((rs) => rs.filter((x) => x.key !== r.key))} aria-label={t('routeRemoveN', { n: i + 1 })}>
              {t('routeRemove')}
            </button>
          )}
        </fieldset>
      ))}
      <p>
        <button
          type="button"
          className="secondary"
          onClick={() => setRows((rs) => [...rs, { key: Math.max(...rs.map((x) => x.key)) + 1, venueId: '', from: rs.at(-1)!.to, to: toLocalInput(Math.min(Date.now(), new Date(rs.at(-1)!.to).getTime() + HOUR)) }])}
        >
          + {t('routeAdd')}
        </button>
      </p>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <button type="submit" className="primary inline-button" disabled={busy}>
        {busy ? t('working') : t('routeSubmit')}
      </button>
      {result && (
        <div role="status" data-testid="route-result">
          <p>
            <strong>{t('routeRecorded', { n: result.visits.length, flagged: result.flaggedVenues.length })}</strong>
          </p>
          <ul>
            {result.visits.map((v) => (
              <li key={`${v.venueId}-${v.from}`} className={v.matched ? 'ok' : 'overdue'}>
                <span aria-hidden="true">{v.matched ? '✓' : '⚠'}</span> {venueName(v.venueId)}, <When at={v.from} /> – <When at={v.to} />: {v.matched ? t('routeMatched') : t('routeNotScanned')}
              </li>
            ))}
          </ul>
        </div>
      )}
    </form>
  );
}
