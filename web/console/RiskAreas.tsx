// Risk areas: declare one (a district or chosen venues, high or medium, a start, a reason), list
// them (filtered and paged by the server), renew or lift them with a reason. The map shows them.
import { useMemo, useState, type FormEvent } from 'react';
import { ApiError, post } from '../shared/api.ts';
import { useLang, useT } from '../shared/i18n.tsx';
import { describeError } from './errors.ts';
import { kindWord, Pager, qs, Status, toLocalInput, useLoad, useRegions, When } from './data.tsx';
import { messages, type ConsoleKey } from './messages.ts';
import { useReason } from './reason.tsx';
import type { MapData, OfficialRiskArea } from './types.ts';

type Outcome = { ok: boolean; text: string } | null;

function LevelTag({ level }: { level: string }) {
  const t = useT(messages);
  return (
    <strong className={`level-tag ${level}`}>
      <span aria-hidden="true">{level === 'high' ? '⚠⚠' : '⚠'}</span> {level === 'high' ? t('riskHigh') : t('riskMedium')}
    </strong>
  );
}

const STATE_KEY: Record<OfficialRiskArea['state'], ConsoleKey> = { active: 'stateActive', upcoming: 'stateUpcoming', lifted: 'stateLifted' };

function DeclareForm({ onDone }: { onDone: (o: Outcome) => void }) {
  const t = useT(messages);
  const { lang } = useLang();
  const { onUnauthenticated } = useReason();
  const { regions } = useRegions();
  const { data: map } = useLoad<MapData>('/api/console/map');
  const [scope, setScope] = useState<'region' | 'venues'>('region');
  const [region, setRegion] = useState('');
  const [venueIds, setVenueIds] = useState<string[]>([]);
  const [level, setLevel] = useState<'high' | 'medium'>('high');
  const [startsAt, setStartsAt] = useState(() => toLocalInput(Date.now()));
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const district = region || regions[0]?.code || '';
  const venuesHere = useMemo(() => (map?.venues ?? []).filter((v) => v.region === district), [map, district]);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    if (scope === 'venues' && venueIds.length === 0) {
      setError(t('pickVenue'));
      return;
    }
    setBusy(true);
    try {
      const at = new Date(startsAt);
      if (Number.isNaN(at.getTime())) throw new ApiError(400, 'invalid_date', '');
      const body = { ...(scope === 'region' ? { region: district } : { venueIds }), level, startsAt: at.toISOString(), reason: reason.trim() };
      const r = await post<{ holdersReassessed: number }>('/api/official/risk-areas', body);
      setReason('');
      setVenueIds([]);
      onDone({ ok: true, text: t('declaredOk', { n: r.holdersReassessed }) });
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) onUnauthenticated();
      setError(describeError(err, t));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="card form" onSubmit={submit} aria-labelledby="declare-title" data-testid="declare-area">
      <h3 id="declare-title">{t('declareTitle')}</h3>
      <fieldset className="choices">
        <legend>{t('scope')}</legend>
        <label className="check">
          <input type="radio" name="scope" checked={scope === 'region'} onChange={() => setScope('region')} /> {t('scopeDistrict')}
        </label>
        <label className="check">
          <input type="radio" name="scope" checked={scope === 'venues'} onChange={() => setScope('venues')} /> {t('scopeVenues')}
        </label>
      </fieldset>
      <label>
        <span id="declare-district">{t('district')}</span>
        <select aria-labelledby="declare-district" value={district} onChange={(e) => (setRegion(e.target.value), setVenueIds([]))}>
          {regions.map((r) => (
            <option key={r.code} value={r.code}>
              {lang === 'zh-CN' ? r.nameZh : r.name}
            </option>
          ))}
        </select>
      </label>
      {scope === 'venues' && (
        <fieldset className="venue-picks">
          <legend>{t('venuesOf', { n: venueIds.length })}</legend>
          {venuesHere.map((v) => (
            <label key={v.id} className="check">
              <input
                type="checkbox"
                checked={venueIds.includes(v.id)}
                onChange={(e) => setVenueIds(e.target.checked ? [...venueIds, v.id] : venueIds.filter((x) => x !== v.id))}
              />{' '}
              {v.name} <span className="hint">({kindWord(v.kind, t)})</span>
            </label>
          ))}
        </fieldset>
      )}
      <fieldset className="choices">
        <legend>{t('level')}</legend>
        <label className="check">
          <input type="radio" name="level" checked={level === 'high'} onChange={() => setLevel('high')} /> {t('riskHighLabel')}
        </label>
        <label className="check">
          <input type="radio" name="level" checked={level === 'medium'} onChange={() => setLevel('medium')} /> {t('riskMediumLabel')}
        </label>
      </fieldset>
      <label>
        {t('startsAt')}
        <input type="datetime-local" required value={startsAt} onChange={(e) => setStartsAt(e.target.value)} aria-describedby="starts-hint" />
        <span id="starts-hint" className="hint">
          {t('startsAtHint')}
        </span>
      </label>
      <label>
        {t('riskReason')}
        <textarea required minLength={3} maxLength={1000} rows={2} value={reason} onChange={(e) => setReason(e.target.value)} />
      </label>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <button type="submit" className="primary inline-button" disabled={busy}>
        {busy ? t('working') : t('declare')}
      </button>
    </form>
  );
}

function LiftForm({ area, label, onDone, onCancel }: { area: OfficialRiskArea; label: string; onDone: (o: Outcome) => void; onCancel: () => void }) {
  const t = useT(messages);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await post(`/api/official/risk-areas/${encodeURIComponent(area.id)}/lift`, { reason: reason.trim() });
      onDone({ ok: true, text: t('liftedOk') });
    } catch (err) {
      setError(describeError(err, t));
    } finally {
      setBusy(false);
    }
  }
  return (
    <form className="row lift-form" onSubmit={submit} aria-label={t('liftFor', { area: label })}>
      <label>
        {t('liftReason')}
        <input required minLength={3} maxLength={1000} value={reason} onChange={(e) => setReason(e.target.value)} autoFocus />
      </label>
      <button type="submit" disabled={busy}>
        {busy ? t('working') : t('liftNow')}
      </button>
      <button type="button" onClick={onCancel}>
        {t('cancel')}
      </button>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}

export function RiskAreas() {
  const t = useT(messages);
  const { name: regionName } = useRegions();
  const [status, setStatus] = useState<'' | 'current' | 'ended'>('current');
  const [level, setLevel] = useState('');
  const [page, setPage] = useState(1);
  const pageSize = 20;
  const [lifting, setLifting] = useState<string | null>(null);
  const [outcome, setOutcome] = useState<Outcome>(null);
  const { data, error, loading, reload } = useLoad<{ total: number; areas: OfficialRiskArea[] }>(
    `/api/official/risk-areas?${qs({ status, level, limit: pageSize, offset: (page - 1) * pageSize })}`,
  );
  const label = (a: OfficialRiskArea) => (a.region ? regionName(a.region) : a.venues.map((v) => v.name).join(', '));
  const done = (o: Outcome) => {
    setOutcome(o);
    setLifting(null);
    reload();
  };

  async function renew(a: OfficialRiskArea) {
    setOutcome(null);
    try {
      await post(`/api/official/risk-areas/${encodeURIComponent(a.id)}/renew`, {});
      done({ ok: true, text: t('renewedOk') });
    } catch (err) {
      setOutcome({ ok: false, text: describeError(err, t) });
    }
  }

  return (
    <section aria-labelledby="risk-title">
      <h2 id="risk-title">{t('riskTitle')}</h2>
      <p className="hint">
        {t('riskHint')} <a href="#/map">{t('seeOnMap')}</a>
      </p>
      {outcome && (
        <p className={outcome.ok ? 'notice ok' : 'notice error-box'} role={outcome.ok ? 'status' : 'alert'}>
          {outcome.text}
        </p>
      )}
      <DeclareForm onDone={done} />
      <h3>{t('areasTitle')}</h3>
      <div className="filters">
        <label>
          {t('status')}{' '}
          <select value={status} onChange={(e) => (setStatus(e.target.value as typeof status), setPage(1))}>
            <option value="current">{t('statusCurrent')}</option>
            <option value="ended">{t('statusEnded')}</option>
            <option value="">{t('all')}</option>
          </select>
        </label>
        <label>
          {t('level')}{' '}
          <select value={level} onChange={(e) => (setLevel(e.target.value), setPage(1))}>
            <option value="">{t('all')}</option>
            <option value="high">{t('riskHighLabel')}</option>
            <option value="medium">{t('riskMediumLabel')}</option>
          </select>
        </label>
      </div>
      <Status loading={loading && !data} error={error} onRetry={reload} />
      {data && data.areas.length === 0 && <p>{t('noAreas')}</p>}
      {data && data.areas.length > 0 && (
        <>
          <div className="table-wrap">
            <table className="list" data-testid="risk-areas-table">
              <thead>
                <tr>
                  <th scope="col">{t('area')}</th>
                  <th scope="col">{t('level')}</th>
                  <th scope="col">{t('startsAt')}</th>
                  <th scope="col">{t('status')}</th>
                  <th scope="col">{t('reason')}</th>
                  <th scope="col">{t('declaredBy')}</th>
                  <th scope="col">{t('actions')}</th>
                </tr>
              </thead>
              <tbody>
                {data.areas.map((a) => (
                  <tr key={a.id} data-id={a.id}>
                    <th scope="row">{label(a)}</th>
                    <td>
                      <LevelTag level={a.level} />
                    </td>
                    <td>
                      <When at={a.startsAt} />
                    </td>
                    <td>
                      {t(STATE_KEY[a.state])}
                      {a.state === 'lifted' && (
                        <>
                          {' '}
                          (<When at={a.endsAt} />
                          {a.liftedReason === 'clean_days' ? `; ${t('liftedAuto')}` : a.liftedReason ? `: ${a.liftedReason}` : ''})
                        </>
                      )}
                      {a.renewedAt && a.state !== 'lifted' && (
                        <span className="hint">
                          {' '}
                          ({t('renew')}: <When at={a.renewedAt} />)
                        </span>
                      )}
                    </td>
                    <td className="text-cell">{a.reason}</td>
                    <td>{a.declaredBy}</td>
                    <td className="actions">
                      {a.state !== 'lifted' && lifting !== a.id && (
                        <>
                          <button type="button" onClick={() => void renew(a)} aria-label={t('renewFor', { area: label(a) })}>
                            {t('renew')}
                          </button>
                          <button type="button" onClick={() => (setLifting(a.id), setOutcome(null))} aria-label={t('liftFor', { area: label(a) })}>
                            {t('lift')}
                          </button>
                        </>
                      )}
                      {lifting === a.id && <LiftForm area={a} label={label(a)} onDone={done} onCancel={() => setLifting(null)} />}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <Pager page={page} pageSize={pageSize} total={data.total} onPage={setPage} />
        </>
      )}
    </section>
  );
}
