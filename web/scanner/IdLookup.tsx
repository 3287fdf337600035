import { useEffect, useRef, useState, type FormEvent } from 'react';
import type { Colour, Verdict } from '../../src/contracts/api.ts';
import { ApiError, post } from '../shared/api.ts';
import { useT } from '../shared/i18n.tsx';
import { unlockAudio } from './beep.ts';
import { messages, type ScannerKey } from './messages.ts';

/** What POST /api/checkpoint/id-lookup answers: exactly these three fields. */
interface IdLookupAnswer {
  colour: Colour;
  maskedName: string;
  birthYear: number;
}

/** The server's pattern for an ID document number (src/features/id-lookup/routes.ts). */
const ID_PATTERN = '[0-9A-Za-z \\-]{6,40}';
const ID_RE = new RegExp(`^${ID_PATTERN}$`);

/** The answer as a verdict for the full-screen overlay: the current colour, as of now, from the server. */
export function idLookupVerdict(a: IdLookupAnswer, at: Date): Verdict {
  return {
    ok: true,
    pass: a.colour === 'green',
    error: null,
    colour: a.colour,
    maskedName: a.maskedName,
    birthYear: a.birthYear,
    validUntil: null,
    region: null,
    rulesetVersion: null,
    kind: null,
    assurance: null,
    colourSource: 'current',
    colourAsOf: at.toISOString(),
    message: null,
  };
}

/**
 * ID look-up for people without a phone or paper code: the operator types the ID document number
 * (or a hand-held reader types it) and the server answers colour, masked name and birth year. Only
 * online: the answer is the holder's colour now, which a device cannot know offline.
 */
export function IdLookup({
  online,
  onResult,
  onUnauthenticated,
  onRecheck,
}: {
  online: boolean;
  onResult: (v: Verdict) => void;
  onUnauthenticated: () => void;
  onRecheck: () => void;
}) {
  const t = useT(messages);
  const [idNumber, setIdNumber] = useState('');
  const [busy, setBusy] = useState(false);
  // a key, not a sentence: the message follows a change of language
  const [error, setErrorKey] = useState<{ key: ScannerKey; vars?: Record<string, string | number> } | null>(null);
  const setError = (key: ScannerKey | null, vars?: Record<string, string | number>) => setErrorKey(key ? { key, vars } : null);
  const inputRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    inputRef.current?.focus();
  }, []);

  async function submit(e: FormEvent) {
    e.preventDefault();
    unlockAudio();
    const value = idNumber.trim();
    if (busy || !online) return;
    if (!ID_RE.test(value)) {
      setError('idInvalid');
      return;
    }
    setBusy(true);
    setError(null);
    try {
      const answer = await post<IdLookupAnswer>('/api/checkpoint/id-lookup', { idNumber: value });
      setIdNumber(''); // the number does not stay on screen
      onResult(idLookupVerdict(answer, new Date()));
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) onUnauthenticated();
      else if (err instanceof ApiError && err.offline) setError('idNetwork');
      else if (err instanceof ApiError && err.status === 404) setError('idNotFound');
      else if (err instanceof ApiError && err.code === 'id_lookup_rate_limited') {
        if (err.retryAfterSeconds) setError('idLimited', { minutes: Math.max(1, Math.ceil(err.retryAfterSeconds / 60)) });
        else setError('idLimitedNoTime');
      } else if (err instanceof ApiError && err.status === 429) setError('errorRateLimited');
      else if (err instanceof ApiError && err.status === 400) setError('idInvalid');
      else if (err instanceof ApiError && err.status === 403) setError('idNotAllowed');
      else if (err instanceof ApiError && err.status >= 500) setError('idServer');
      else setError('errorGeneric', { message: err instanceof Error ? err.message : String(err) });
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="card form id-lookup" onSubmit={submit} noValidate aria-labelledby="id-lookup-title" data-testid="id-lookup" data-online={String(online)}>
      <h2 id="id-lookup-title">{t('idTitle')}</h2>
      <p className="hint">{t('idIntro')}</p>
      {!online && (
        <div className="id-offline" role="alert" data-testid="id-offline">
          <p>{t('idOffline')}</p>
          <button type="button" className="secondary" onClick={onRecheck}>
            {t('idRecheck')}
          </button>
        </div>
      )}
      <label>
        {t('idLabel')}
        <input
          ref={inputRef}
          id="id-number"
          name="idNumber"
          autoComplete="off"
          autoCapitalize="characters"
          autoCorrect="off"
          spellCheck={false}
          inputMode="text"
          required
          maxLength={40}
          pattern={ID_PATTERN}
          aria-describedby="id-hint"
          aria-invalid={error?.key === 'idInvalid' ? true : undefined}
          disabled={!online}
          value={idNumber}
          onChange={(e) => setIdNumber(e.target.value)}
        />
        <span id="id-hint" className="hint">
          {t('idHint')}
        </span>
      </label>
      {error && (
        <p className="error" role="alert">
          {t(error.key, error.vars)}
        </p>
      )}
      <button type="submit" className="primary" disabled={busy || !online || idNumber.trim() === ''}>
        {busy ? t('idLooking') : t('idSubmit')}
      </button>
    </form>
  );
}
