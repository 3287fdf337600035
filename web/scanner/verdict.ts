import type { Colour, Verdict } from '../../src/contracts/api.ts';
import type { ScannerKey } from './messages.ts';

export interface VerdictLook {
  /** colour block class (c-green …, or 'invalid'). */
  tone: Colour | 'invalid';
  /** the action word key: PASS / STOP / CHECK / INVALID CODE. */
  action: ScannerKey;
  pass: boolean;
}

/** What the operator must see: a genuine green passes; yellow/red stop; grey needs a check; anything else is invalid. */
export function lookOf(v: Verdict): VerdictLook {
  if (!v.ok || v.colour === null) return { tone: 'invalid', action: 'verdictInvalid', pass: false };
  switch (v.colour) {
    case 'green':
      return { tone: 'green', action: v.pass ? 'verdictPass' : 'verdictCheck', pass: v.pass };
    case 'yellow':
    case 'red':
      return { tone: v.colour, action: 'verdictStop', pass: false };
    case 'grey':
      return { tone: 'grey', action: 'verdictCheck', pass: false };
  }
}
