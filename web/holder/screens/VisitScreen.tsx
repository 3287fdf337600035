// Venue check-in. A venue's poster carries a QR code with `/?checkin=<venueId>`: opened by the
// phone's camera app it lands here (after a log-in if need be) with the venue chosen; in the app,
// "Scan a venue poster" reads it with the camera. Either way the holder sees the venue's name and
// confirms; the visit is stored as a scan of them at the venue (POST /api/holder/venue-visits).
import { lazy, Suspense, useCallback, useEffect, useState } from 'react';
import type { VenueView } from '../../../src/contracts/api.ts';
import type { VenueVisitResult, VenueVisitView } from '../../../src/features/venue-visits/contract.ts';
import { ApiError, get, post } from '../../shared/api.ts';
import { useLang, useT } from '../../shared/i18n.tsx';
import { formatDateTimeIn } from '../../shared/time.ts';
import { ColourChip } from '../ColourChip.tsx';
import { describeError } from '../errors.ts';
import { messages } from '../messages.ts';
import { readPoster } from '../navigation.ts';
import { uuid } from '../uuid.ts';
import { screenMessages, type ScreenKey } from './messages.ts';
import { ScreenFrame, type ScreenProps } from './ScreenFrame.tsx';
import './screens.css';

// the camera and the QR decoder are loaded only when the holder asks to scan
const PosterScanner = lazy(() => import('./PosterScanner.tsx'));

type Lookup = { kind: 'loading' } | { kind: 'found'; venue: VenueView } | { kind: 'failed'; message: string };

export default function VisitScreen(props: ScreenProps & { venueId: string | null; chooseVenue: (id: string | null) => void; timeZone?: string }) {
  const t = useT(screenMessages);
  const tm = useT(messages);
  const { lang } = useLang();
  const { venueId, chooseVenue, go, timeZone } = props;
  const [lookup, setLookup] = useState<Lookup>({ kind: 'loading' });
  // one event id per venue chosen: a retry after a lost answer is the same check-in
  const [attempt, setAttempt] = useState<{ venueId: string; eventId: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<VenueVisitResult | null>(null);
  const [scanning, setScanning] = useState(false);
  const [scanProblem, setScanProblem] = useState<string | null>(null);
  const [visits, setVisits] = useState<VenueVisitView[] | null>(null);

  const loadVisits = useCallback(() => {
    get<{ visits: VenueVisitView[] }>('/api/holder/venue-visits')
      .then((r) => setVisits(r.visits))
      .catch(() => setVisits((v) => v ?? []));
  }, []);
  useEffect(loadVisits, [loadVisits]);

  useEffect(() => {
    if (!venueId) return;
    let cancelled = false;
    setLookup({ kind: 'loading' });
    setError(null);
    setAttempt({ venueId, eventId: uuid() });
    get<{ venue: VenueView }>(`/api/public/venues/${encodeURIComponent(venueId)}`)
      .then((r) => {
        if (!cancelled) setLookup({ kind: 'found', venue: r.venue });
      })
      .catch((err) => {
        if (cancelled) return;
        const unknown = err instanceof ApiError && err.status === 404;
        setLookup({ kind: 'failed', message: unknown ? tm('errorUnknownVenue') : describeError(err, tm) });
      });
    return () => {
      cancelled = true;
    };
  }, [venueId]);

  async function confirm() {
    if (!attempt) return;
    setBusy(true);
    setError(null);
    try {
      const r = await post<VenueVisitResult>('/api/holder/venue-visits', { venueId: attempt.venueId, clientEventId: attempt.eventId });
      setDone(r);
      chooseVenue(null);
      loadVisits();
    } catch (err) {
      setError(describeError(err, tm));
    } finally {
      setBusy(false);
    }
  }

  function cancel() {
    chooseVenue(null);
    setError(null);
    go('code');
  }

  function startScan() {
    setDone(null);
    setScanProblem(null);
    setScanning(true);
  }

  const onCode = useCallback(
    (text: string) => {
      const r = readPoster(text);
      if ('venueId' in r) {
        setScanning(false);
        setScanProblem(null);
        chooseVenue(r.venueId);
      } else {
        setScanProblem(t(r.problem === 'personal_code' ? 'posterPersonal' : r.problem === 'other_service' ? 'posterOther' : 'posterNot'));
      }
    },
    [chooseVenue, t],
  );

  const venueName = lookup.kind === 'found' ? lookup.venue.name : (venueId ?? '');

  return (
    <ScreenFrame {...props} name="visit" title={t('visitTitle')}>
      {done ? (
        <div className="card visit-done" role="status" data-testid="visit-done">
          <p className="visit-done-title">
            <span className="done-mark" aria-hidden="true">
              ✓
            </span>
            {t('visitDone', { venue: done.visit.venue.name })}
          </p>
          <p>{done.visit.venue.address}</p>
          <p className="visit-done-colour">
            {t('visitDoneAt', { time: formatDateTimeIn(done.visit.at, lang, timeZone) })} {done.visit.colour && <ColourChip colour={done.visit.colour} />}
          </p>
          {done.status === 'duplicate' && <p className="hint">{t('visitAlready')}</p>}
          <div className="button-row">
            <button type="button" className="primary" onClick={() => go('code')}>
              {t('visitShowCode')}
            </button>
            <button type="button" className="secondary" onClick={startScan}>
              {t('visitScanAnother')}
            </button>
          </div>
        </div>
      ) : venueId ? (
        <div className="card visit-confirm" data-testid="visit-confirm" aria-live="polite">
          {lookup.kind === 'loading' && <p>{t('visitLookingUp')}</p>}
          {lookup.kind === 'failed' && (
            <>
              <p className="error" role="alert">
                {lookup.message}
              </p>
              <div className="button-row">
                <button type="button" className="primary" onClick={startScan}>
                  {t('visitScan')}
                </button>
                <button type="button" className="secondary" onClick={cancel}>
                  {t('visitCancel')}
                </button>
              </div>
            </>
          )}
          {lookup.kind === 'found' && (
            <>
              <h3 className="visit-question">{t('visitConfirmTitle', { venue: venueName })}</h3>
              <dl className="venue-facts">
                <dt className="visually-hidden">{t('visitAddressLabel')}</dt>
                <dd>{lookup.venue.address}</dd>
                <dt className="visually-hidden">{t('visitKindLabel')}</dt>
                <dd className="hint">{t(`kind_${lookup.venue.kind}` as ScreenKey)}</dd>
              </dl>
              <p className="hint">{t('visitConfirmHelp')}</p>
              {error && (
                <p className="error" role="alert">
                  {error}
                </p>
              )}
              <div className="button-row">
                <button type="button" className="primary big" disabled={busy} onClick={() => void confirm()}>
                  {busy ? t('working') : t('visitConfirm')}
                </button>
                <button type="button" className="secondary" disabled={busy} onClick={cancel}>
                  {t('visitCancel')}
                </button>
              </div>
            </>
          )}
        </div>
      ) : (
        <div className="card visit-start">
          <p>{t('visitIntro')}</p>
          {!scanning && (
            <button type="button" className="primary big" onClick={startScan} data-testid="scan-poster">
              {t('visitScan')}
            </button>
          )}
        </div>
      )}

      {scanning && !venueId && (
        <Suspense fallback={<p className="card">{t('loading')}</p>}>
          <PosterScanner onCode={onCode} onClose={() => setScanning(false)} problem={scanProblem} />
        </Suspense>
      )}

      <section className="card visits" aria-labelledby="visits-title">
        <h3 id="visits-title">{t('visitHistoryTitle')}</h3>
        {visits === null ? (
          <p>{t('loading')}</p>
        ) : visits.length === 0 ? (
          <p className="hint">{t('visitHistoryEmpty')}</p>
        ) : (
          <ul className="visit-list">
            {visits.map((v) => (
              <li key={v.eventId} data-testid="visit-row">
                <span className="visit-name">{v.venue.name}</span>
                <span className="visit-meta">
                  <time dateTime={v.at}>{formatDateTimeIn(v.at, lang, timeZone)}</time> · {t(v.source === 'self_check_in' ? 'visitSelf' : 'visitCheckpoint')}
                </span>
                {v.colour && <ColourChip colour={v.colour} />}
              </li>
            ))}
          </ul>
        )}
      </section>
    </ScreenFrame>
  );
}
