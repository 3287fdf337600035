// The camera pointed at a venue poster: each QR code read goes to onCode (the visit screen decides
// whether it is a venue poster of this service). Loaded on demand with the QR decoder.
import { useT } from '../../shared/i18n.tsx';
import { useQrCamera } from '../../shared/useQrCamera.ts';
import { screenMessages, type ScreenKey } from './messages.ts';

export default function PosterScanner({ onCode, onClose, problem }: { onCode: (text: string) => void; onClose: () => void; problem: string | null }) {
  const t = useT(screenMessages);
  const camera = useQrCamera({ onCode });
  const { state } = camera;
  return (
    <section className="card poster-scanner" aria-labelledby="scanner-title" data-camera={state.kind}>
      <h3 id="scanner-title">{t('scannerTitle')}</h3>
      <p className="hint">{t('scannerHelp')}</p>
      <div className={`viewfinder ${state.kind === 'on' ? 'on' : ''}`}>
        <video ref={camera.videoRef} muted playsInline aria-label={t('cameraVideo')} />
        {state.kind === 'on' && <div className="aim" aria-hidden="true" />}
      </div>
      <p className={state.kind === 'unavailable' ? 'camera-status warn' : 'camera-status'} role="status">
        {state.kind === 'starting' && t('cameraStarting')}
        {state.kind === 'on' && t('cameraOn')}
        {state.kind === 'unavailable' && t(`camera_${state.problem}` as ScreenKey)}
      </p>
      {problem && (
        <p className="error" role="alert" data-testid="poster-problem">
          {problem}
        </p>
      )}
      <div className="button-row">
        {state.kind === 'on' || state.kind === 'starting' ? (
          <button type="button" className="secondary" onClick={camera.stop} disabled={state.kind === 'starting'}>
            {t('cameraStop')}
          </button>
        ) : (
          <button type="button" className="secondary" onClick={() => void camera.start()}>
            {t('cameraStart')}
          </button>
        )}
        <button type="button" className="secondary" onClick={onClose}>
          {t('cameraClose')}
        </button>
      </div>
    </section>
  );
}
