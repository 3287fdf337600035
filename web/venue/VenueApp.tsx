import { useCallback, useEffect, useId, useState, type FormEvent } from 'react';
import type { ManagedVenueView, StaffView, VenueView } from '../../src/contracts/api.ts';
import { ApiError, get, post } from '../shared/api.ts';
import { locale, useLang, useT } from '../shared/i18n.tsx';
import { LangSwitch } from '../shared/LangSwitch.tsx';
import { StaffLogin } from '../shared/StaffLogin.tsx';
import { messages, type VenueKey } from './messages.ts';

type Session = { kind: 'loading' } | { kind: 'anonymous'; notice: string | null } | { kind: 'staff'; staff: StaffView } | { kind: 'error'; message: string };

interface DayCount {
  day: string;
  scans: number;
  passes: number;
  stops: number;
  invalid: number;
}

/** GET /api/venue/compliance-notices: notices from officials to this manager's venues. */
interface ComplianceNotice {
  id: string;
  venueId: string;
  text: string;
  deadline: string;
  issuedAt: string;
  status: 'open' | 'acknowledged' | 'overdue';
  acknowledgedAt: string | null;
}

const NOTICE_ICON: Record<ComplianceNotice['status'], string> = { open: '○', overdue: '⚠', acknowledged: '✓' };

interface Poster {
  venue: VenueView;
  checkInUrl: string;
  qrSvg: string;
}

const KINDS = ['transit', 'mall', 'supermarket', 'hospital', 'hotel', 'restaurant', 'road_checkpoint'] as const;

/** The largest expected daily footfall the server takes (MAX_DECLARED_DAILY). */
const MAX_FOOTFALL = 10_000_000;

/**
 * Expected visitors per day as typed: digits (spaces and thousands separators allowed), 0 to
 * MAX_FOOTFALL. '' is "not given"; anything else that is not such a number is 'invalid'.
 */
function parseFootfall(text: string): number | null | 'invalid' {
  const s = text.replace(/[\s,，]/g, '');
  if (s === '') return null;
  if (!/^[0-9]{1,8}$/.test(s)) return 'invalid';
  const n = Number(s);
  return n <= MAX_FOOTFALL ? n : 'invalid';
}

/** A server refusal of the footfall value (400 naming declaredDaily), said in plain words by the caller. */
function isFootfallRefusal(err: unknown): boolean {
  return err instanceof ApiError && err.status === 400 && /declaredDaily/.test(err.message);
}

function useErrorText() {
  const t = useT(messages);
  return useCallback(
    (err: unknown) => {
      if (err instanceof ApiError && err.offline) return t('errorNetwork');
      if (err instanceof ApiError && err.status === 429) return t('errorRateLimited');
      return t('errorGeneric', { message: err instanceof Error ? err.message : String(err) });
    },
    [t],
  );
}

/** #poster/<id> shows the printable poster; anything else the venue list. */
function useRoute(): [string | null, (id: string | null) => void] {
  const read = () => (location.hash.startsWith('#poster/') ? decodeURIComponent(location.hash.slice(8)) : null);
  const [poster, setPoster] = useState<string | null>(read);
  useEffect(() => {
    const f = () => setPoster(read());
    window.addEventListener('hashchange', f);
    return () => window.removeEventListener('hashchange', f);
  }, []);
  return [poster, (id) => (location.hash = id ? `#poster/${encodeURIComponent(id)}` : '')];
}

export function VenueApp() {
  const t = useT(messages);
  const errorText = useErrorText();
  const [session, setSession] = useState<Session>({ kind: 'loading' });
  const [posterId, setPosterId] = useRoute();

  const load = useCallback(async () => {
    try {
      const res = await get<{ staff: StaffView }>('/api/staff/me');
      setSession({ kind: 'staff', staff: res.staff });
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) setSession({ kind: 'anonymous', notice: null });
      else setSession({ kind: 'error', message: errorText(err) });
    }
  }, [errorText]);

  useEffect(() => {
    void load();
  }, []); // once

  useEffect(() => {
    document.title = t('appTitle');
  }, [t]);

  async function logout() {
    await post('/api/staff/logout').catch(() => undefined);
    setSession({ kind: 'anonymous', notice: null });
  }

  const onUnauthenticated = useCallback(() => setSession({ kind: 'anonymous', notice: t('errorUnauthenticated') }), [t]);

  return (
    <div className={`app venue-app ${posterId ? 'printing' : ''}`}>
      <header className="topbar no-print">
        <h1>{t('appTitle')}</h1>
        <LangSwitch />
      </header>
      <main>
        {session.kind === 'loading' && <p className="card">{t('loading')}</p>}
        {session.kind === 'error' && (
          <div className="card">
            <p className="error" role="alert">
              {session.message}
            </p>
            <button type="button" className="primary" onClick={() => void load()}>
              {t('logIn')}
            </button>
          </div>
        )}
        {session.kind === 'anonymous' && (
          <StaffLogin
            title={t('loginTitle')}
            allowedRoles={['venue_manager']}
            notice={session.notice}
            onLoggedIn={(staff) => setSession({ kind: 'staff', staff })}
          />
        )}
        {session.kind === 'staff' && session.staff.role !== 'venue_manager' && (
          <div className="card">
            <p className="error" role="alert">
              {t('notManager')}
            </p>
            <button type="button" className="secondary" onClick={() => void logout()}>
              {t('logOut')}
            </button>
          </div>
        )}
        {session.kind === 'staff' && session.staff.role === 'venue_manager' && posterId && (
          <PosterPage venueId={posterId} onBack={() => setPosterId(null)} onUnauthenticated={onUnauthenticated} />
        )}
        {session.kind === 'staff' && session.staff.role === 'venue_manager' && !posterId && (
          <Venues staff={session.staff} onPoster={setPosterId} onLogout={() => void logout()} onUnauthenticated={onUnauthenticated} />
        )}
      </main>
    </div>
  );
}

function Venues({
  staff,
  onPoster,
  onLogout,
  onUnauthenticated,
}: {
  staff: StaffView;
  onPoster: (id: string) => void;
  onLogout: () => void;
  onUnauthenticated: () => void;
}) {
  const t = useT(messages);
  const errorText = useErrorText();
  const [venues, setVenues] = useState<ManagedVenueView[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      setVenues((await get<{ venues: ManagedVenueView[] }>('/api/venue/venues')).venues);
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) onUnauthenticated();
      else setError(errorText(err));
    }
  }, [errorText, onUnauthenticated]);

  useEffect(() => {
    void load();
  }, [load]);

  return (
    <>
      <section className="card who">
        <p className="hint">{t('signedInAs', { name: staff.displayName })}</p>
        <button type="button" className="secondary" onClick={onLogout}>
          {t('logOut')}
        </button>
      </section>
      {notice && (
        <p className="card notice" role="status">
          {notice}
        </p>
      )}
      {error && (
        <p className="card error" role="alert">
          {error}
        </p>
      )}
      <Notices venues={venues ?? []} onUnauthenticated={onUnauthenticated} />
      <section aria-labelledby="venues-title">
        <h2 id="venues-title">{t('yourVenues')}</h2>
        {venues === null && !error && <p className="card">{t('loading')}</p>}
        {venues?.length === 0 && <p className="card">{t('noVenues')}</p>}
        {venues?.map((v) => <VenueCard key={v.id} venue={v} onPoster={() => onPoster(v.id)} onFootfallSaved={() => void load()} onUnauthenticated={onUnauthenticated} />)}
      </section>
      <RegisterVenue
        onRegistered={(v) => {
          setNotice(t('registered', { name: v.name }));
          void load();
        }}
        onUnauthenticated={onUnauthenticated}
      />
    </>
  );
}

/**
 * Compliance notices from health officials (e.g. "scan every visitor"): what they say, by when, and
 * an Acknowledge button; open and overdue ones first. Status in words and a shape, not colour alone.
 */
function Notices({ venues, onUnauthenticated }: { venues: VenueView[]; onUnauthenticated: () => void }) {
  const t = useT(messages);
  const { lang } = useLang();
  const errorText = useErrorText();
  const [notices, setNotices] = useState<ComplianceNotice[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [said, setSaid] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);

  const load = useCallback(async () => {
    try {
      setNotices((await get<{ notices: ComplianceNotice[] }>('/api/venue/compliance-notices')).notices);
      setError(null);
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) onUnauthenticated();
      else setError(errorText(err));
    }
  }, [errorText, onUnauthenticated]);

  useEffect(() => {
    void load();
  }, [load]);

  const venueName = (id: string) => venues.find((v) => v.id === id)?.name ?? id;
  const when = (iso: string) => new Intl.DateTimeFormat(lang === 'zh-CN' ? 'zh-CN' : 'en-GB', { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso));

  async function acknowledge(n: ComplianceNotice) {
    setBusy(n.id);
    setError(null);
    setSaid(null);
    try {
      await post<ComplianceNotice>(`/api/venue/compliance-notices/${encodeURIComponent(n.id)}/acknowledge`);
      setSaid(t('noticeAcknowledged', { venue: venueName(n.venueId) }));
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) onUnauthenticated();
      else if (err instanceof ApiError && err.code === 'notice_already_acknowledged') setSaid(t('noticeAlreadyAcknowledged'));
      else if (err instanceof ApiError && err.status === 404) setError(t('noticeNotYours'));
      else setError(errorText(err));
    } finally {
      setBusy(null);
      await load();
    }
  }

  const order = { overdue: 0, open: 1, acknowledged: 2 } as const;
  const sorted = [...(notices ?? [])].sort((a, b) => order[a.status] - order[b.status] || b.issuedAt.localeCompare(a.issuedAt));
  const waiting = sorted.filter((n) => n.status !== 'acknowledged').length;
  return (
    <section className="card notices" aria-labelledby="notices-title" data-testid="notices">
      <h2 id="notices-title">{t('noticesTitle')}</h2>
      <p className="hint">{t('noticesExplain')}</p>
      {notices === null && !error && <p>{t('loading')}</p>}
      {notices?.length === 0 && <p data-testid="no-notices">{t('noNotices')}</p>}
      {waiting > 0 && (
        <p className="notices-waiting" data-testid="notices-waiting">
          {t('noticesWaiting', { n: waiting })}
        </p>
      )}
      {said && (
        <p className="notice" role="status">
          {said}
        </p>
      )}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {sorted.length > 0 && (
        <ul className="notice-list">
          {sorted.map((n) => (
            <li key={n.id} className={`compliance-notice status-${n.status}`} data-notice-id={n.id} data-status={n.status}>
              <p className="notice-head">
                <span className={`notice-status status-${n.status}`}>
                  <span aria-hidden="true">{NOTICE_ICON[n.status]} </span>
                  {t(`noticeStatus_${n.status}`)}
                </span>{' '}
                <strong>{venueName(n.venueId)}</strong>
              </p>
              <blockquote className="notice-text">{n.text}</blockquote>
              <p className="hint">
                {t('noticeIssued', { time: when(n.issuedAt) })} ·{' '}
                {n.status === 'acknowledged' && n.acknowledgedAt
                  ? t(Date.parse(n.acknowledgedAt) > Date.parse(n.deadline) ? 'noticeAcknowledgedLate' : 'noticeAcknowledgedOn', { time: when(n.acknowledgedAt) })
                  : t(n.status === 'overdue' ? 'noticeWasDue' : 'noticeDue', { time: when(n.deadline) })}
              </p>
              {n.status !== 'acknowledged' && (
                <button
                  type="button"
                  className="primary"
                  disabled={busy !== null}
                  aria-label={t('acknowledgeFor', { venue: venueName(n.venueId) })}
                  onClick={() => void acknowledge(n)}
                >
                  {busy === n.id ? t('working') : t('acknowledge')}
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function VenueCard({
  venue,
  onPoster,
  onFootfallSaved,
  onUnauthenticated,
}: {
  venue: ManagedVenueView;
  onPoster: () => void;
  onFootfallSaved: () => void;
  onUnauthenticated: () => void;
}) {
  const t = useT(messages);
  const { lang } = useLang();
  const [days, setDays] = useState<DayCount[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const errorText = useErrorText();
  useEffect(() => {
    get<{ days: DayCount[] }>(`/api/venue/venues/${encodeURIComponent(venue.id)}/counts`)
      .then((r) => setDays(r.days))
      .catch((err: unknown) => setError(errorText(err)));
  }, [venue.id, errorText]);
  const max = Math.max(1, ...(days ?? []).map((d) => d.scans));
  const total = (days ?? []).reduce((s, d) => s + d.scans, 0);
  const dayLabel = (d: string) =>
    new Intl.DateTimeFormat(lang === 'zh-CN' ? 'zh-CN' : 'en-GB', { day: 'numeric', month: 'short', timeZone: 'UTC' }).format(new Date(`${d}T00:00:00Z`));
  const headingId = `venue-${venue.id}`;
  return (
    <article className="card venue-card" aria-labelledby={headingId} data-venue-id={venue.id}>
      <div className="venue-head">
        <div>
          <h3 id={headingId}>{venue.name}</h3>
          <p className="hint">
            {t(`kind_${venue.kind}` as VenueKey)} · {venue.address} · {venue.region}
          </p>
        </div>
        <button type="button" className="primary" onClick={onPoster}>
          {t('poster')}
        </button>
      </div>
      <Footfall venue={venue} onSaved={onFootfallSaved} onUnauthenticated={onUnauthenticated} />
      <h4>{t('counts')}</h4>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {days && (
        <>
          <p className="counts-summary" data-testid="counts-summary">
            {t('countsSummary', { total, today: days[days.length - 1]?.scans ?? 0 })}
          </p>
          {total === 0 && <p className="hint">{t('noScans')}</p>}
          <div className="bars" aria-hidden="true">
            {days.map((d) => (
              <div key={d.day} className="bar-col" title={`${dayLabel(d.day)}: ${d.scans}`}>
                <span className="bar-n">{d.scans > 0 ? d.scans : ''}</span>
                <div className="bar">
                  <div className="seg seg-invalid" style={{ height: `${(d.invalid / max) * 100}%` }} />
                  <div className="seg seg-stop" style={{ height: `${(d.stops / max) * 100}%` }} />
                  <div className="seg seg-pass" style={{ height: `${(d.passes / max) * 100}%` }} />
                </div>
                <span className="bar-day">{d.day.slice(8)}</span>
              </div>
            ))}
          </div>
          <details>
            <summary>{t('day')} · {t('scans')}</summary>
            <table className="counts-table" data-testid="counts-table">
              <thead>
                <tr>
                  <th scope="col">{t('day')}</th>
                  <th scope="col">{t('scans')}</th>
                  <th scope="col">{t('passes')}</th>
                  <th scope="col">{t('stops')}</th>
                  <th scope="col">{t('invalid')}</th>
                </tr>
              </thead>
              <tbody>
                {[...days].reverse().map((d) => (
                  <tr key={d.day} data-day={d.day}>
                    <th scope="row">{dayLabel(d.day)}</th>
                    <td>{d.scans}</td>
                    <td>{d.passes}</td>
                    <td>{d.stops}</td>
                    <td>{d.invalid}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </details>
        </>
      )}
    </article>
  );
}

/**
 * The venue's expected visitors per day, both numbers: what the manager declared, and what the
 * health service learned from the venue's own scans for today's weekday (the median of recent same
 * weekdays), or that there is not enough history yet. The declared number can be changed here.
 */
function Footfall({ venue, onSaved, onUnauthenticated }: { venue: ManagedVenueView; onSaved: () => void; onUnauthenticated: () => void }) {
  const t = useT(messages);
  const { lang } = useLang();
  const errorText = useErrorText();
  const id = useId();
  const [text, setText] = useState(venue.declaredDaily === null ? '' : String(venue.declaredDaily));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [said, setSaid] = useState<string | null>(null);
  useEffect(() => setText(venue.declaredDaily === null ? '' : String(venue.declaredDaily)), [venue.declaredDaily]);
  const num = (n: number) => new Intl.NumberFormat(locale(lang)).format(n);
  const weekday = new Intl.DateTimeFormat(locale(lang), { weekday: 'long', timeZone: 'UTC' }).format(new Date(`${venue.learnedFor}T00:00:00Z`));

  async function save(e: FormEvent) {
    e.preventDefault();
    setSaid(null);
    const n = parseFootfall(text);
    if (n === null) return setError(t('footfallRequired'));
    if (n === 'invalid') return setError(t('footfallInvalid'));
    setBusy(true);
    setError(null);
    try {
      await post(`/api/venue/venues/${encodeURIComponent(venue.id)}/footfall`, { declaredDaily: n });
      setSaid(t('footfallSaved', { n: num(n) }));
      onSaved();
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) onUnauthenticated();
      else if (isFootfallRefusal(err)) setError(t('footfallInvalid'));
      else if (err instanceof ApiError && err.status === 403) setError(t('footfallNotYours'));
      else setError(errorText(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="footfall" aria-labelledby={`${id}-title`} data-testid="footfall">
      <h4 id={`${id}-title`}>{t('footfallTitle')}</h4>
      <dl className="footfall-numbers">
        <div>
          <dt>{t('footfallDeclared')}</dt>
          <dd data-testid="footfall-declared">{venue.declaredDaily === null ? t('footfallNotDeclared') : num(venue.declaredDaily)}</dd>
        </div>
        <div>
          <dt>{t('footfallLearned')}</dt>
          <dd data-testid="footfall-learned">
            {venue.learnedDaily === null ? (
              t('footfallNoHistory', { weekday })
            ) : (
              <>
                <strong>{num(venue.learnedDaily)}</strong>
                {t('footfallMedianOf', { n: venue.learnedDays, weekday })}
              </>
            )}
          </dd>
        </div>
      </dl>
      <form className="footfall-form" onSubmit={save} noValidate>
        <label htmlFor={`${id}-input`}>{t('footfallChange')}</label>
        <div className="footfall-row">
          <input
            id={`${id}-input`}
            name="declaredDaily"
            inputMode="numeric"
            autoComplete="off"
            value={text}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? `${id}-error` : `${id}-hint`}
            onChange={(e) => setText(e.target.value)}
          />
          <button type="submit" className="secondary" disabled={busy}>
            {busy ? t('working') : t('footfallSave')}
          </button>
        </div>
        {!error && (
          <p className="hint" id={`${id}-hint`}>
            {t('footfallHint')}
          </p>
        )}
        {error && (
          <p className="error" role="alert" id={`${id}-error`}>
            {error}
          </p>
        )}
        {said && (
          <p className="saved" role="status">
            {said}
          </p>
        )}
      </form>
    </section>
  );
}

function RegisterVenue({ onRegistered, onUnauthenticated }: { onRegistered: (v: VenueView) => void; onUnauthenticated: () => void }) {
  const t = useT(messages);
  const { lang } = useLang();
  const errorText = useErrorText();
  const [regions, setRegions] = useState<{ code: string; name: string; nameZh: string }[]>([]);
  const [form, setForm] = useState({ name: '', kind: 'restaurant', region: '', address: '', declaredDaily: '' });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [footfallError, setFootfallError] = useState<string | null>(null);
  useEffect(() => {
    get<{ regions: { code: string; name: string; nameZh: string }[] }>('/api/public/regions')
      .then((r) => setRegions(r.regions))
      .catch(() => undefined);
  }, []);
  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    const footfall = parseFootfall(form.declaredDaily);
    if (footfall === 'invalid') {
      setFootfallError(t('footfallInvalid'));
      (e.currentTarget as HTMLFormElement).querySelector<HTMLInputElement>('input[name="declaredDaily"]')?.focus();
      return;
    }
    setFootfallError(null);
    setBusy(true);
    try {
      const { declaredDaily: _typed, ...rest } = form;
      const r = await post<{ venue: ManagedVenueView }>('/api/venue/venues', {
        ...rest,
        name: form.name.trim(),
        address: form.address.trim(),
        ...(footfall === null ? {} : { declaredDaily: footfall }),
      });
      setForm({ name: '', kind: form.kind, region: form.region, address: '', declaredDaily: '' });
      onRegistered(r.venue);
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) onUnauthenticated();
      else if (isFootfallRefusal(err)) setFootfallError(t('footfallInvalid'));
      else setError(errorText(err));
    } finally {
      setBusy(false);
    }
  }
  const set = (k: keyof typeof form) => (e: { target: { value: string } }) => setForm({ ...form, [k]: e.target.value });
  return (
    <form className="card form" onSubmit={submit} aria-labelledby="register-title">
      <h2 id="register-title">{t('registerTitle')}</h2>
      <label>
        {t('name')}
        <input name="name" required minLength={2} maxLength={120} value={form.name} onChange={set('name')} />
      </label>
      <label>
        {t('kind')}
        <select name="kind" value={form.kind} onChange={set('kind')}>
          {KINDS.map((k) => (
            <option key={k} value={k}>
              {t(`kind_${k}` as VenueKey)}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t('region')}
        <select name="region" required value={form.region} onChange={set('region')}>
          <option value="" disabled>
            —
          </option>
          {regions.map((r) => (
            <option key={r.code} value={r.code}>
              {lang === 'zh-CN' ? r.nameZh : r.name}
            </option>
          ))}
        </select>
      </label>
      <label>
        {t('address')}
        <input name="address" required minLength={3} maxLength={300} autoComplete="street-address" value={form.address} onChange={set('address')} />
      </label>
      <label>
        {t('footfallField')}
        <input
          name="declaredDaily"
          inputMode="numeric"
          autoComplete="off"
          value={form.declaredDaily}
          onChange={set('declaredDaily')}
          aria-invalid={footfallError ? true : undefined}
          aria-describedby={footfallError ? 'register-footfall-error' : 'register-footfall-hint'}
        />
      </label>
      {!footfallError && (
        <p className="hint field-note" id="register-footfall-hint">
          {t('footfallFieldHint')}
        </p>
      )}
      {footfallError && (
        <p className="error field-note" role="alert" id="register-footfall-error">
          {footfallError}
        </p>
      )}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <button type="submit" className="primary" disabled={busy}>
        {busy ? t('working') : t('register')}
      </button>
    </form>
  );
}

/** The printable poster: the venue's name, its QR code (a check-in URL), how to use it, in both languages. */
function PosterPage({ venueId, onBack, onUnauthenticated }: { venueId: string; onBack: () => void; onUnauthenticated: () => void }) {
  const t = useT(messages);
  const errorText = useErrorText();
  const [poster, setPoster] = useState<Poster | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    get<Poster>(`/api/venue/venues/${encodeURIComponent(venueId)}/poster`)
      .then(setPoster)
      .catch((err: unknown) => {
        if (err instanceof ApiError && err.status === 401) onUnauthenticated();
        else setError(errorText(err));
      });
  }, [venueId, errorText, onUnauthenticated]);
  const qrSrc = poster ? `data:image/svg+xml;charset=utf-8,${encodeURIComponent(poster.qrSvg)}` : '';
  return (
    <>
      <div className="poster-actions no-print">
        <button type="button" className="secondary" onClick={onBack}>
          {t('back')}
        </button>
        <button type="button" className="primary" onClick={() => window.print()} disabled={!poster}>
          {t('printNow')}
        </button>
      </div>
      {error && (
        <p className="card error" role="alert">
          {error}
        </p>
      )}
      {poster && (
        <article className="poster" data-testid="poster" data-venue-id={poster.venue.id}>
          <p className="poster-heading">
            <span lang="zh-CN">扫码登记</span> · <span lang="en">Scan to check in</span>
          </p>
          <h2 className="poster-name">{poster.venue.name}</h2>
          <img className="poster-qr" src={qrSrc} alt={t('posterHeading')} data-url={poster.checkInUrl} />
          <p className="poster-body" lang="zh-CN">
            进入时请用相机或健康码应用扫描此码。
          </p>
          <p className="poster-body" lang="en">
            Open the camera or the health-code app and scan this code when you enter.
          </p>
          <p className="poster-id">
            {poster.venue.address} · {t('posterVenueId', { id: poster.venue.id })}
          </p>
        </article>
      )}
    </>
  );
}
