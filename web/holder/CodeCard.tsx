import type { Colour } from '../../src/contracts/api.ts';
import { colourWord } from '../shared/colour.ts';
import { useLang, useT } from '../shared/i18n.tsx';
import { formatDuration, formatTime, useNow } from '../shared/time.ts';
import { ColourBadge } from './ColourBadge.tsx';
import { LiveClock } from './LiveClock.tsx';
import { messages } from './messages.ts';
import type { LiveCode } from './useLiveCode.ts';

function svgDataUrl(svg: string): string {
  return `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`;
}

/** The live code: QR inside an animated ring of its colour, the colour in words, clock, countdown. */
export function CodeCard({ live, fallbackColour, maskedName }: { live: LiveCode; fallbackColour: Colour; maskedName: string }) {
  const t = useT(messages);
  const { lang } = useLang();
  const now = useNow(1000);
  const { code, skewMs, failure } = live;
  const colour: Colour = code?.colour ?? fallbackColour;
  const expiresAt = code ? Date.parse(code.expiresAt) : NaN;
  const remaining = expiresAt - (now + skewMs);
  const expired = code !== null && !(remaining > 0);
  const state = code === null ? 'none' : expired ? 'expired' : 'live';

  return (
    <section className={`code-card c-${colour}`} data-colour={colour} data-state={state} aria-labelledby="code-title">
      <h2 id="code-title" className="visually-hidden">
        {t('yourCode')}
      </h2>
      <ColourBadge colour={colour} />
      <p className="masked-name" data-testid="masked-name">
        {maskedName}
      </p>

      <div className="ring-wrap">
        <div className="ring" aria-hidden="true" />
        {code ? (
          <img
            className="qr"
            src={svgDataUrl(code.svg)}
            alt={t('qrAlt', { colour: colourWord(colour, lang) })}
            data-token={code.token}
            data-expires-at={code.expiresAt}
            width={280}
            height={280}
          />
        ) : (
          <div className="qr qr-placeholder">{live.loading ? t('loading') : t('noCode')}</div>
        )}
        {expired && code && (
          <div className="expired-veil" role="alert">
            <strong>{t('expiredAt', { time: formatTime(code.expiresAt, lang) })}</strong>
            <span>{t('expiredHelp')}</span>
          </div>
        )}
      </div>

      <LiveClock now={now} />

      {code && !expired && (
        <p className="validity">
          {t('validUntil', { time: formatTime(code.expiresAt, lang) })}
          <span className="countdown"> · {t('timeLeft', { left: formatDuration(remaining) })}</span>
        </p>
      )}
      {failure && (
        <div className={`notice ${failure.offline ? 'offline' : 'warn'}`} role="status">
          {failure.offline && <span className="offline-badge">{t('offline')}</span>}
          <span>{failure.offline ? t('offlineHelp') : t('errorGeneric', { message: failure.message })}</span>
          <button type="button" onClick={live.refresh}>
            {t('retry')}
          </button>
        </div>
      )}
    </section>
  );
}
