// Camera → canvas → jsQR, as a hook any app can put behind its own screen (the checkpoint
// scanner's CameraScanner and the holder's venue-poster scanner do the same thing).
// Loads jsqr with it: import this module lazily, so pages that never open a camera do not carry it.
import { useCallback, useEffect, useRef, useState, type RefObject } from 'react';
import { jsQR } from './jsqr.ts';

/** Why the camera could not start: no secure context / API, permission refused, no camera, anything else. */
export type CameraProblem = 'insecure' | 'denied' | 'missing' | 'other';
export type CameraState = { kind: 'idle' } | { kind: 'starting' } | { kind: 'on' } | { kind: 'unavailable'; problem: CameraProblem };

const FRAME_INTERVAL_MS = 120;
const MAX_DECODE_WIDTH = 800;
const REPEAT_WINDOW_MS = 3000;

export function cameraProblemOf(err: unknown): CameraProblem {
  if (!window.isSecureContext || !navigator.mediaDevices?.getUserMedia) return 'insecure';
  const name = err instanceof DOMException ? err.name : '';
  if (name === 'NotAllowedError' || name === 'SecurityError') return 'denied';
  if (name === 'NotFoundError' || name === 'OverconstrainedError' || name === 'NotReadableError') return 'missing';
  return 'other';
}

export interface QrCamera {
  state: CameraState;
  /** put on a <video muted playsInline> element */
  videoRef: RefObject<HTMLVideoElement | null>;
  start: () => Promise<void>;
  stop: () => void;
}

/**
 * Starts the back camera (when `autoStart`, on mount) and calls onCode for each decoded text,
 * except the same text again within 3 s of last seeing it. While `paused`, nothing new is
 * reported. The camera stops on unmount.
 */
export function useQrCamera({ onCode, paused = false, autoStart = true }: { onCode: (text: string) => void; paused?: boolean; autoStart?: boolean }): QrCamera {
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

  const release = useCallback(() => {
    generation.current++;
    clearTimeout(timer.current);
    streamRef.current?.getTracks().forEach((tr) => tr.stop());
    streamRef.current = null;
    if (videoRef.current) videoRef.current.srcObject = null;
  }, []);

  const stop = useCallback(() => {
    release();
    setState({ kind: 'idle' });
  }, [release]);

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
    release();
    if (!navigator.mediaDevices?.getUserMedia) {
      setState({ kind: 'unavailable', problem: 'insecure' });
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
      release();
      setState({ kind: 'unavailable', problem: cameraProblemOf(err) });
    }
  }, [decodeLoop, release]);

  useEffect(() => {
    if (autoStart) void start();
    return release;
  }, [autoStart, start, release]);

  return { state, videoRef, start, stop };
}
