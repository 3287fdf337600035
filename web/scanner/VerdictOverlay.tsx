import { useEffect, useRef } from 'react';
import type { Verdict } from '../../src/contracts/api.ts';
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

/**
 * When and why a revoked code was revoked: the verdict's own fields (servers since the field was
 * added), else read back from the server's sentence "this paper code was revoked on 2026-11-23
 * 08:00 UTC (reprinted); …" (verdicts stored before); null when neither says.
 */
export function revocationOf(v: Pick<Verdict, 'message' | 'revocation'>): { at: string; reason: string } | null {
  if (v.revocation) return v.revocation;
  const m = /revoked on (\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}) UTC \(([^)]+)\)/.exec(v.message ?? '');
  return m ? { at: `${m[1]}T${m[2]}:00Z`, reason: m[3]! } : null;
}

/**
 * Full-screen verdict, readable at arm's length. Tap, Enter or Escape dismisses. `via` says how the
 * person was checked: a scanned code, or an ID document look-up (the colour now, from the server).
 */
export function VerdictOverlay({
  verdict: v,
  via = 'code',
  offline,
  onDismiss,
}: {
  verdict: Verdict;
  via?: 'code' | 'id';
  offline?: OfflineInfo | null;
  onDismiss: () => void;
}) {
  const t = useT(messages);
  const { lang } = useLang();
  const ref = useRef<HTMLDivElement>(null);
  const shownAt = useRef(performance.now());
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
  }, [v, onDismiss]);

  const invalid = look.tone === 'invalid' || v.colour === null;
  const title = invalid ? t('verdictInvalid') : `${t(look.action)} — ${colourWord(v.colour!, lang)}`;
  const icon = invalid ? '⚠' : COLOUR_ICON[v.colour!];
  const paper = v.kind === 'paper';
  const revocation = v.error === 'revoked' ? revocationOf(v) : null;

  // the reason for a refusal, in the operator's language
  let errorText: string | null = null;
  if (!v.ok) {
    if (revocation?.reason === 'reprinted') errorText = t('err_revoked_reprinted', { time: formatDateTime(revocation.at, lang) });
    else if (revocation) errorText = t('err_revoked_at', { time: formatDateTime(revocation.at, lang) });
    else if (v.error === 'expired' && paper) errorText = t('err_expired_paper');
    else errorText = t(verdictErrorKey(v.error ?? ''), { error: v.error ?? '?' });
  }

  // where the colour came from (paper codes and ID look-ups say it; a live code is minutes old)
  let sourceLine: string | null = null;
  let sourceWarn = false;
  if (v.ok && v.colourAsOf && via === 'id') sourceLine = t('verdictViaId', { time: formatDateTime(v.colourAsOf, lang) });
  else if (v.ok && v.colourAsOf && paper && v.colourSource === 'current') sourceLine = t('colourCurrent', { time: formatDateTime(v.colourAsOf, lang) });
  else if (v.ok && v.colourAsOf && paper) {
    sourceLine = t('colourPrinted', { time: formatDateTime(v.colourAsOf, lang) });
    sourceWarn = true;
  }
  // the server's note: the known ones said in the operator's language, any other one as sent
  let note: { text: string; lang?: string } | null = null;
  if (v.ok && v.message) {
    if (paper && v.colourSource === 'current') note = { text: t('paperChanged') };
    // a paper code's "colour as of" warning is the source line above
    else if (!(paper && v.colourSource === 'token')) note = { text: v.message, lang: 'en' };
  }

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
      data-via={via}
      data-ok={String(v.ok)}
      data-pass={String(v.pass)}
      data-colour={v.colour ?? ''}
      data-error={v.error ?? ''}
      data-kind={v.kind ?? ''}
      data-assurance={v.assurance ?? ''}
      data-colour-source={v.colourSource ?? ''}
      data-colour-as-of={v.colourAsOf ?? ''}
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
      <div className="verdict-body">
        <div className="verdict-icon" aria-hidden="true">
          {icon}
        </div>
        <h2 id="verdict-title" className="verdict-title">
          {title}
        </h2>
        <div id="verdict-details" className="verdict-details">
          {(via === 'id' || paper) && (
            <p className="verdict-kind" data-testid="verdict-kind">
              <span className="verdict-tag">{via === 'id' ? t('viaIdTag') : t('paperTag')}</span>
              {paper && v.assurance === 'low' && <span className="verdict-assurance">{t('assuranceLow')}</span>}
            </p>
          )}
          {errorText && <p className="verdict-error">{errorText}</p>}
          {sourceLine && (
            <p className={`verdict-source ${sourceWarn ? 'warn' : ''}`} data-testid="verdict-source">
              {sourceWarn && <span aria-hidden="true">⚠ </span>}
              {sourceLine}
            </p>
          )}
          {sourceWarn && <p className="verdict-line small">{t('colourPrintedHint')}</p>}
          {note && (
            <p className="verdict-note" data-testid="verdict-note" lang={note.lang}>
              {note.text}
            </p>
          )}
          {v.maskedName && <p className="verdict-name">{v.maskedName}</p>}
          {v.birthYear !== null && <p className="verdict-line">{t('birthYear', { year: v.birthYear })}</p>}
          {v.ok && v.maskedName && <p className="verdict-line small">{via === 'id' ? t('verdictIdCheck') : paper ? t('checkIdentityPaper') : t('checkIdentity')}</p>}
          {v.validUntil && <p className="verdict-line">{t(paper ? 'paperValidUntil' : 'validUntil', { time: formatDateTime(v.validUntil, lang) })}</p>}
          {v.region && <p className="verdict-line small">{t('region', { region: v.region })}</p>}
          {via === 'id' && <p className="verdict-line small">{t('idAudited')}</p>}
        </div>
        <p className="verdict-dismiss">{t('dismiss')}</p>
      </div>
    </div>
  );
}
