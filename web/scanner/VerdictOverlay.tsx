import { useEffect, useRef } from 'react';
import type { ScanResult } from '../../src/contracts/api.ts';
import { COLOUR_ICON, colourWord } from '../shared/colour.ts';
import { useLang, useT } from '../shared/i18n.tsx';
import { formatDateTime } from '../shared/time.ts';
import { messages, verdictErrorKey } from './messages.ts';
import { lookOf } from './verdict.ts';

const IGNORE_DISMISS_MS = 300; // a double tap or a held key must not dismiss the verdict unseen

/** Set when the verdict was reached on this device (offline); shown as a banner on the verdict. */
export interface OfflineInfo {
  trustIssuedAt: string | null;
  /** any cached list past its expiry (or none at all) */
  stale: boolean;
  staleTrust: boolean;
}

/** Full-screen verdict, readable at arm's length. Tap, Enter or Escape dismisses. */
export function VerdictOverlay({ result, offline, onDismiss }: { result: ScanResult; offline?: OfflineInfo | null; onDismiss: () => void }) {
  const t = useT(messages);
  const { lang } = useLang();
  const ref = useRef<HTMLDivElement>(null);
  const shownAt = useRef(performance.now());
  const v = result.verdict;
  const look = lookOf(v);

  useEffect(() => {
    shownAt.current = performance.now();
    ref.current?.focus();
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape' || e.key === 'Enter' || e.key === ' ') {
        e.preventDefault();
        if (performance.now() - shownAt.current > IGNORE_DISMISS_MS) onDismiss();
      }
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [result, onDismiss]);

  const title =
    look.tone === 'invalid' || v.colour === null ? t('verdictInvalid') : `${t(look.action)} — ${colourWord(v.colour, lang)}`;
  const icon = look.tone === 'invalid' || v.colour === null ? '⚠' : COLOUR_ICON[v.colour];

  return (
    <div
      ref={ref}
      className={`verdict-overlay v-${look.tone}`}
      role="alertdialog"
      aria-modal="true"
      aria-labelledby="verdict-title"
      aria-describedby="verdict-details"
      tabIndex={-1}
      data-testid="verdict"
      data-ok={String(v.ok)}
      data-pass={String(v.pass)}
      data-colour={v.colour ?? ''}
      data-error={v.error ?? ''}
      onClick={() => {
        if (performance.now() - shownAt.current > IGNORE_DISMISS_MS) onDismiss();
      }}
    >
      {offline && (
        <div className={`verdict-offline ${offline.stale ? 'stale' : ''}`} data-testid="verdict-offline" data-stale={String(offline.stale)}>
          <p>{offline.trustIssuedAt ? t('offlineBanner', { time: formatDateTime(offline.trustIssuedAt, lang) }) : t('offlineNoList')}</p>
          {offline.stale && offline.trustIssuedAt && <p className="verdict-stale">{offline.staleTrust ? t('verdictStaleTrust') : t('verdictStaleRevocation')}</p>}
          <p className="small">{t('offlineQueued')}</p>
        </div>
      )}
      <div className="verdict-icon" aria-hidden="true">
        {icon}
      </div>
      <h2 id="verdict-title" className="verdict-title">
        {title}
      </h2>
      <div id="verdict-details" className="verdict-details">
        {!v.ok && <p className="verdict-error">{t(verdictErrorKey(v.error ?? ''), { error: v.error ?? '?' })}</p>}
        {v.maskedName && <p className="verdict-name">{v.maskedName}</p>}
        {v.birthYear !== null && <p className="verdict-line">{t('birthYear', { year: v.birthYear })}</p>}
        {v.ok && v.maskedName && <p className="verdict-line small">{t('checkIdentity')}</p>}
        {v.validUntil && <p className="verdict-line">{t('validUntil', { time: formatDateTime(v.validUntil, lang) })}</p>}
        {v.region && <p className="verdict-line small">{t('region', { region: v.region })}</p>}
      </div>
      <p className="verdict-dismiss">{t('dismiss')}</p>
    </div>
  );
}
