import { useCallback, useRef, useState } from 'react';
import type { ScanBody, ScanResult, StaffView, VenueView, Verdict } from '../../src/contracts/api.ts';
import { ApiError, post } from '../shared/api.ts';
import { colourWord } from '../shared/colour.ts';
import { useLang, useT } from '../shared/i18n.tsx';
import { formatTime } from '../shared/time.ts';
import { beep } from './beep.ts';
import { CameraScanner } from './CameraScanner.tsx';
import { IdLookup } from './IdLookup.tsx';
import { ManualEntry } from './ManualEntry.tsx';
import { messages } from './messages.ts';
import { enqueue, verifyOnDevice } from './offline.ts';
import { OfflineBar, useOffline } from './OfflineBar.tsx';
import { lookOf } from './verdict.ts';
import { VerdictOverlay, type OfflineInfo } from './VerdictOverlay.tsx';

interface Props {
  staff: StaffView;
  venue: VenueView;
  onChangeVenue: () => void;
  onLogout: () => void;
  onUnauthenticated: () => void;
}

/**
 * Scanning at one checkpoint: camera + manual entry, each scan posted with a fresh event id; and,
 * for checkpoint operators, the ID document look-up for people without a code (online only).
 */
export function ScanScreen({ staff, venue, onChangeVenue, onLogout, onUnauthenticated }: Props) {
  const t = useT(messages);
  const { lang } = useLang();
  const [result, setResult] = useState<{ verdict: Verdict; via: 'code' | 'id' } | null>(null);
  const canLookUpId = staff.role === 'checkpoint_operator';
  const [screen, setScreen] = useState<'scan' | 'id'>('scan');
  const [offlineInfo, setOfflineInfo] = useState<OfflineInfo | null>(null);
  const offline = useOffline(onUnauthenticated);
  const offlineRef = useRef(offline);
  offlineRef.current = offline;
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [temperature, setTemperature] = useState('');
  const [count, setCount] = useState(0);
  const [last, setLast] = useState<{ result: ScanResult; at: number; queued?: boolean; via?: 'code' | 'id' } | null>(null);
  const busyRef = useRef(false);
  const temperatureRef = useRef(temperature);
  temperatureRef.current = temperature;

  const scan = useCallback(
    async (code: string, mode: 'camera' | 'manual'): Promise<boolean> => {
      if (busyRef.current) return false;
      busyRef.current = true;
      setBusy(true);
      setError(null);
      const temp = temperatureRef.current.trim() === '' ? undefined : Number(temperatureRef.current);
      const body: ScanBody = {
        eventId: crypto.randomUUID(),
        venueId: venue.id,
        code,
        scannedAt: new Date().toISOString(),
        mode,
        ...(temp !== undefined && Number.isFinite(temp) ? { temperatureC: temp } : {}),
      };
      // Offline (or the server failing): verify on this device, queue the scan for sync. Never a
      // silent pass: the verdict carries the OFFLINE banner and the age of the trust list.
      const onDevice = async () => {
        const queuedBody: ScanBody = { ...body, mode: 'offline_sync' };
        const verdict = await verifyOnDevice(code, new Date(body.scannedAt));
        await enqueue({ body: queuedBody, queuedAt: Date.now(), verdict });
        const o = offlineRef.current;
        const res: ScanResult = { eventId: body.eventId, status: 'stored', storedAt: body.scannedAt, verdict };
        setOfflineInfo({
          trustIssuedAt: o.lists?.trustIssuedAt ?? null,
          stale: o.stale.missing || o.stale.trust || o.stale.revocation,
          staleTrust: o.stale.missing || o.stale.trust,
        });
        setResult({ verdict, via: 'code' });
        setLast({ result: res, at: Date.now(), queued: true });
        setCount((n) => n + 1);
        setTemperature('');
        beep(lookOf(verdict).pass ? 'pass' : 'stop');
        return true;
      };
      try {
        if (!navigator.onLine || !offlineRef.current.online) return await onDevice();
        const res = await post<ScanResult>('/api/checkpoint/scans', body);
        setOfflineInfo(null);
        setResult({ verdict: res.verdict, via: 'code' });
        setLast({ result: res, at: Date.now() });
        setCount((n) => n + 1);
        setTemperature('');
        beep(lookOf(res.verdict).pass ? 'pass' : 'stop');
        return true;
      } catch (err) {
        if (err instanceof ApiError && err.status === 401) {
          onUnauthenticated();
          return false;
        }
        if (err instanceof ApiError && (err.offline || err.status >= 500)) {
          // same event id: if the server did store it and the answer was lost, the sync finds it already recorded
          offlineRef.current.markUnreachable();
          try {
            return await onDevice();
          } catch (e) {
            beep('stop');
            setError(t('errorGeneric', { message: e instanceof Error ? e.message : String(e) }));
            return false;
          }
        }
        beep('stop');
        if (err instanceof ApiError && err.offline) setError(t('errorNetwork'));
        else setError(t('errorGeneric', { message: err instanceof Error ? err.message : String(err) }));
        return false;
      } finally {
        busyRef.current = false;
        setBusy(false);
      }
    },
    [venue.id, onUnauthenticated, t],
  );

  const onCameraCode = useCallback((text: string) => void scan(text, 'camera'), [scan]);
  const dismiss = useCallback(() => {
    setResult(null);
    document.getElementById(screen === 'id' ? 'id-number' : 'manual-code')?.focus();
  }, [screen]);

  const onIdResult = useCallback((verdict: Verdict) => {
    const at = Date.now();
    setOfflineInfo(null);
    setResult({ verdict, via: 'id' });
    setLast({ result: { eventId: '', status: 'stored', storedAt: new Date(at).toISOString(), verdict }, at, via: 'id' });
    beep(lookOf(verdict).pass ? 'pass' : 'stop');
  }, []);

  const lastText = last
    ? (() => {
        const v = last.result.verdict;
        const word = v.ok && v.colour ? `${t(lookOf(v).action)} — ${colourWord(v.colour, lang)}` : t('verdictInvalid');
        if (last.via === 'id') return t('lastIdLookup', { result: word, time: formatTime(last.at, lang) });
        return t('lastScan', {
          result: word,
          time: formatTime(last.at, lang),
          status: last.queued ? t('offlineQueued') : last.result.status === 'duplicate' ? t('statusDuplicate') : t('statusStored'),
        });
      })()
    : null;

  return (
    <>
      <OfflineBar state={offline} />
      <section className="card venue-bar" aria-label={t('scanningAt')}>
        <div>
          <p className="hint">{t('scanningAt')}</p>
          <p className="venue-current" data-venue-id={venue.id}>
            {venue.name}
          </p>
          <p className="hint">{t('signedInAs', { name: staff.displayName })}</p>
        </div>
        <div className="venue-actions">
          <button type="button" className="secondary" onClick={onChangeVenue}>
            {t('changeVenue')}
          </button>
          <button type="button" className="secondary" onClick={onLogout}>
            {t('logOut')}
          </button>
        </div>
      </section>

      {canLookUpId && (
        <div className="mode-switch" role="group" aria-label={t('modeGroup')} data-testid="mode-switch">
          <button type="button" aria-pressed={screen === 'scan'} className={screen === 'scan' ? 'active' : ''} onClick={() => setScreen('scan')}>
            <span aria-hidden="true">▦ </span>
            {t('modeScan')}
          </button>
          <button type="button" aria-pressed={screen === 'id'} className={screen === 'id' ? 'active' : ''} onClick={() => setScreen('id')}>
            <span aria-hidden="true">▭ </span>
            {t('modeId')}
          </button>
        </div>
      )}

      {screen === 'id' && canLookUpId ? (
        <IdLookup online={offline.online && navigator.onLine} onResult={onIdResult} onUnauthenticated={onUnauthenticated} onRecheck={offline.syncNow} />
      ) : (
        <>
          <CameraScanner paused={result !== null || busy} onCode={onCameraCode} />

          <div className="card form temperature">
            <label>
              {t('temperature')}
              <input
                name="temperatureC"
                type="number"
                inputMode="decimal"
                min={30}
                max={45}
                step={0.1}
                value={temperature}
                onChange={(e) => setTemperature(e.target.value)}
              />
            </label>
          </div>

          <ManualEntry busy={busy} onSubmit={(code) => scan(code, 'manual')} />
        </>
      )}

      {error && (
        <p className="card error" role="alert">
          {error}
        </p>
      )}
      <div className="scan-log" role="status">
        {lastText && <p>{lastText}</p>}
        <p className="hint">{t('scansToday', { n: count })}</p>
      </div>

      {result && <VerdictOverlay verdict={result.verdict} via={result.via} offline={offlineInfo} onDismiss={dismiss} />}
    </>
  );
}
