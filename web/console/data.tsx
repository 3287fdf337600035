import { useCallback, useEffect, useMemo, useState } from 'react';
import { ApiError, get } from '../shared/api.ts';
import { useLang, useT } from '../shared/i18n.tsx';
import { formatDateTime } from '../shared/time.ts';
import { describeError } from './errors.ts';
import { messages, type ConsoleKey, type T } from './messages.ts';
import { useReason } from './reason.tsx';
import type { Region } from './types.ts';

/** GETs `url` (null: nothing yet); a plain error sentence on failure; back to log-in on 401. */
export function useLoad<T>(url: string | null): { data: T | null; error: string | null; loading: boolean; reload: () => void } {
  const t = useT(messages);
  const { onUnauthenticated } = useReason();
  const [state, setState] = useState<{ data: T | null; error: string | null; loading: boolean }>({ data: null, error: null, loading: url !== null });
  const [tick, setTick] = useState(0);
  useEffect(() => {
    if (url === null) {
      setState({ data: null, error: null, loading: false });
      return;
    }
    let live = true;
    setState((s) => ({ ...s, loading: true, error: null }));
    get<T>(url).then(
      (data) => live && setState({ data, error: null, loading: false }),
      (err) => {
        if (!live) return;
        if (err instanceof ApiError && err.status === 401) onUnauthenticated();
        setState({ data: null, error: describeError(err, t), loading: false });
      },
    );
    return () => {
      live = false;
    };
  }, [url, tick, t, onUnauthenticated]);
  const reload = useCallback(() => setTick((n) => n + 1), []);
  return { ...state, reload };
}

export function qs(params: Record<string, string | number | undefined | null | false>): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '' && v !== false) p.set(k, String(v));
  return p.toString();
}

export function Pager({ page, pageSize, total, onPage }: { page: number; pageSize: number; total: number; onPage: (p: number) => void }) {
  const t = useT(messages);
  const pages = Math.max(1, Math.ceil(total / pageSize));
  return (
    <div className="pager">
      <button type="button" disabled={page <= 1} onClick={() => onPage(page - 1)}>
        ← {t('prev')}
      </button>
      <span aria-live="polite">{t('pageOf', { page, pages, total })}</span>
      <button type="button" disabled={page >= pages} onClick={() => onPage(page + 1)}>
        {t('next')} →
      </button>
    </div>
  );
}

export function When({ at }: { at: string | null }) {
  const { lang } = useLang();
  if (!at) return <>—</>;
  return <time dateTime={at}>{formatDateTime(at, lang)}</time>;
}

export function Status({ loading, error, onRetry }: { loading: boolean; error: string | null; onRetry?: () => void }) {
  const t = useT(messages);
  if (error)
    return (
      <div className="notice error-box" role="alert">
        <p>{error}</p>
        {onRetry && (
          <button type="button" onClick={onRetry}>
            {t('retry')}
          </button>
        )}
      </div>
    );
  if (loading) return <p aria-live="polite">{t('loading')}</p>;
  return null;
}

const COLOUR_MARK: Record<string, string> = { green: '✓', yellow: '!', red: '✕', grey: '?' };

/** A colour as a word with its shape (the colour is never the only signal). */
export function ColourTag({ colour }: { colour: string }) {
  const { lang } = useLang();
  const words: Record<string, Record<string, string>> = {
    en: { green: 'GREEN', yellow: 'YELLOW', red: 'RED', grey: 'GREY' },
    'zh-CN': { green: '绿码', yellow: '黄码', red: '红码', grey: '灰码' },
  };
  return (
    <span className={`colour-tag c-${colour}`}>
      <span aria-hidden="true">{COLOUR_MARK[colour] ?? ''}</span> {words[lang]?.[colour] ?? colour}
    </span>
  );
}

export const VENUE_KINDS = ['transit', 'mall', 'supermarket', 'hospital', 'hotel', 'restaurant', 'road_checkpoint'] as const;

export function kindWord(kind: string, t: T): string {
  return (VENUE_KINDS as readonly string[]).includes(kind) ? t(`kind_${kind}` as ConsoleKey) : kind;
}

/** District names in the page's language (from /api/public/regions). */
export function useRegions(): { regions: Region[]; name: (code: string | null) => string } {
  const { lang } = useLang();
  const { data } = useLoad<{ regions: Region[] }>('/api/public/regions');
  const regions = useMemo(() => data?.regions ?? [], [data]);
  const name = (code: string | null) => {
    if (!code) return '—';
    const r = regions.find((x) => x.code === code);
    return r ? (lang === 'zh-CN' ? r.nameZh : r.name) : code;
  };
  return { regions, name };
}

/** A datetime-local value in the browser's zone. */
export function toLocalInput(ms: number): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
}
