// Short audible feedback via WebAudio: pass = one high tone; stop = two low tones.
// The AudioContext is created on a user gesture (browsers refuse to start audio otherwise).

let ctx: AudioContext | null = null;

/** Call from a click/keypress handler so later beeps are allowed to play. */
export function unlockAudio(): void {
  try {
    if (!ctx) ctx = new AudioContext();
    if (ctx.state === 'suspended') void ctx.resume();
  } catch {
    ctx = null; // no audio support: stay silent
  }
}

function tone(at: number, freq: number, durationS: number): void {
  if (!ctx) return;
  const osc = ctx.createOscillator();
  const gain = ctx.createGain();
  osc.type = 'square';
  osc.frequency.value = freq;
  gain.gain.setValueAtTime(0.0001, at);
  gain.gain.exponentialRampToValueAtTime(0.25, at + 0.01);
  gain.gain.setValueAtTime(0.25, at + durationS - 0.03);
  gain.gain.exponentialRampToValueAtTime(0.0001, at + durationS);
  osc.connect(gain).connect(ctx.destination);
  osc.start(at);
  osc.stop(at + durationS + 0.02);
}

export function beep(kind: 'pass' | 'stop'): void {
  unlockAudio();
  if (!ctx) return;
  const t = ctx.currentTime + 0.02;
  if (kind === 'pass') {
    tone(t, 1320, 0.16);
  } else {
    tone(t, 330, 0.2);
    tone(t + 0.3, 330, 0.2);
  }
}
