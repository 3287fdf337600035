import { useT } from '../shared/i18n.tsx';
import { useQrCamera, type CameraProblem } from '../shared/useQrCamera.ts';
import { messages, type ScannerKey } from './messages.ts';

const PROBLEM_KEY: Record<CameraProblem, ScannerKey> = {
  insecure: 'cameraInsecure',
  denied: 'cameraDenied',
  missing: 'cameraMissing',
  other: 'cameraOther',
};

/**
 * Camera → canvas → jsQR (web/shared/useQrCamera.ts). Calls onCode for each decoded text, except the
 * same text again within 3 s of last seeing it. While `paused` (a verdict is on screen, a scan in
 * flight) nothing new is reported.
 */
export function CameraScanner({ paused, onCode }: { paused: boolean; onCode: (text: string) => void }) {
  const t = useT(messages);
  const { state, videoRef, start, stop } = useQrCamera({ onCode, paused });

  return (
    <section className="card camera" aria-labelledby="camera-title" data-camera={state.kind}>
      <div className="section-head">
        <h2 id="camera-title">{t('camera')}</h2>
        {state.kind === 'on' ? (
          <button type="button" className="secondary" onClick={stop}>
            {t('stopCamera')}
          </button>
        ) : (
          <button type="button" className="secondary" onClick={() => void start()} disabled={state.kind === 'starting'}>
            {t('startCamera')}
          </button>
        )}
      </div>
      <div className={`viewfinder ${state.kind === 'on' ? 'on' : ''}`}>
        <video ref={videoRef} muted playsInline aria-label={t('cameraVideoLabel')} />
        {state.kind === 'on' && <div className="aim" aria-hidden="true" />}
      </div>
      <p className={state.kind === 'unavailable' ? 'camera-status warn' : 'camera-status'} role="status">
        {state.kind === 'starting' && t('cameraStarting')}
        {state.kind === 'on' && t('cameraOn')}
        {state.kind === 'unavailable' && t('cameraUnavailable', { reason: t(PROBLEM_KEY[state.problem]) })}
      </p>
    </section>
  );
}
