import { jsQR } from './jsqr.ts';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useT } from '../shared/i18n.tsx';
import { messages, type ScannerKey } from './messages.ts';

type CameraState = { kind: 'idle' } | { kind: 'starting' } | { kind: 'on' } | { kind: 'unavailable'; reason: ScannerKey };

const FRAME_INTERVAL_MS = 120;
const MAX_DECODE_WIDTH = 800;
const REPEAT_WINDOW_MS = 3000;

function reasonOf(err: unknown): ScannerKey {
  if (!window.isSecureContext || !navigator.mediaDevices?.getUserMedia) return 'cameraInsecure';
  const name = err instanceof DOMException ? err.name : '';
  if (name === 'NotAllowedError' || name === 'SecurityError') return 'cameraDenied';
  if (name === 'NotFoundError' || name === 'OverconstrainedError' || name === 'NotReadableError') return 'cameraMissing';
  return 'cameraOther';
}

/**
 * Camera → canvas → jsQR. Calls onCode for each decoded text, except the same text again within 3 s
 * of last seeing it. While `paused` (a verdict is on screen, a scan in flight) nothing new is reported.
 */
export function CameraScanner({ paused, onCode }: { paused: boolean; onCode: (text: string) => void }) {
  const t = useT(messages);
  const [state, setState] = useState<CameraState>({ kind: 'idle' });
  const videoRef = useRef<HTMLVideoElement>(null);
  const canvasRef = useRef<HTMLCanvasElement | null>(null);
  const streamRef = useRef<MediaStream | null>(null);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  const last = useRef<{ text: string; at: number } | null>(null);
  const pausedRef = useRef(paused);
  pausedRef.current = paused;
  const onCodeRef = useRef(onCode);
  onCodeRef.current = onCode;

  const generation = useRef(0); // a start superseded by a stop/start must not keep its stream

  const stop = useCallback(() => {
    generation.current++;
    clearTimeout(timer.current);
    streamRef.current?.getTracks().forEach((tr) => tr.stop());
    streamRef.current = null;
    if (videoRef.current) videoRef.current.srcObject = null;
  }, []);

  const decodeLoop = useCallback(() => {
    const video = videoRef.current;
    if (!video || !streamRef.current) return;
    if (video.readyState >= video.HAVE_CURRENT_DATA && video.videoWidth > 0) {
      const scale = Math.min(1, MAX_DECODE_WIDTH / video.videoWidth);
      const w = Math.round(video.videoWidth * scale);
      const h = Math.round(video.videoHeight * scale);
      const canvas = (canvasRef.current ??= document.createElement('canvas'));
      if (canvas.width !== w) canvas.width = w;
      if (canvas.height !== h) canvas.height = h;
      const g = canvas.getContext('2d', { willReadFrequently: true });
      if (g) {
        g.drawImage(video, 0, 0, w, h);
        const img = g.getImageData(0, 0, w, h);
        const found = jsQR(img.data, w, h, { inversionAttempts: 'attemptBoth' });
        if (found && found.data) {
          // The same text seen again within 3 s of its last sighting is the same person still
          // holding up the phone (also while the verdict is shown): not a new scan.
          const now = Date.now();
          const prev = last.current;
          if (prev && prev.text === found.data && now - prev.at <= REPEAT_WINDOW_MS) {
            prev.at = now;
          } else if (!pausedRef.current) {
            last.current = { text: found.data, at: now };
            onCodeRef.current(found.data);
          }
        }
      }
    }
    timer.current = setTimeout(decodeLoop, FRAME_INTERVAL_MS);
  }, []);

  const start = useCallback(async () => {
    stop();
    if (!navigator.mediaDevices?.getUserMedia) {
      setState({ kind: 'unavailable', reason: 'cameraInsecure' });
      return;
    }
    setState({ kind: 'starting' });
    const gen = generation.current;
    try {
      const stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' }, audio: false });
      const video = videoRef.current;
      if (gen !== generation.current || !video) {
        stream.getTracks().forEach((tr) => tr.stop());
        return;
      }
      streamRef.current = stream;
      video.srcObject = stream;
      await video.play().catch(() => undefined);
      setState({ kind: 'on' });
      decodeLoop();
    } catch (err) {
      if (gen !== generation.current) return;
      stop();
      setState({ kind: 'unavailable', reason: reasonOf(err) });
    }
  }, [decodeLoop, stop]);

  useEffect(() => {
    void start();
    return stop;
  }, [start, stop]);

  return (
    <section className="card camera" aria-labelledby="camera-title" data-camera={state.kind}>
      <div className="section-head">
        <h2 id="camera-title">{t('camera')}</h2>
        {state.kind === 'on' ? (
          <button
            type="button"
            className="secondary"
            onClick={() => {
              stop();
              setState({ kind: 'idle' });
            }}
          >
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
        {state.kind === 'unavailable' && t('cameraUnavailable', { reason: t(state.reason) })}
      </p>
    </section>
  );
}
