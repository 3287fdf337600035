// The stated reason for reading people's records: set once per session (and changeable), sent
// with every read that names holders, recorded in the audit log and shown to those holders.
import { createContext, useContext, useEffect, useState, type FormEvent } from 'react';
import { useT } from '../shared/i18n.tsx';
import { messages } from './messages.ts';

export const ReasonContext = createContext<{ reason: string; onUnauthenticated: () => void }>({ reason: '', onUnauthenticated: () => {} });
export const useReason = () => useContext(ReasonContext);

export function ReasonBar({ reason, onSet }: { reason: string; onSet: (r: string) => void }) {
  const t = useT(messages);
  const [editing, setEditing] = useState(reason === '');
  const [draft, setDraft] = useState(reason);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => setEditing(reason === ''), [reason]);

  function submit(e: FormEvent) {
    e.preventDefault();
    if (draft.trim().length < 5) {
      setError(t('reasonTooShort'));
      return;
    }
    setError(null);
    onSet(draft.trim());
    setEditing(false);
  }

  if (!editing)
    return (
      <div className="reason-bar" data-testid="reason-bar">
        <span>{t('reasonCurrent', { reason })}</span>
        <button type="button" onClick={() => setEditing(true)}>
          {t('reasonChange')}
        </button>
      </div>
    );
  return (
    <form className="reason-bar editing" onSubmit={submit} data-testid="reason-bar">
      <label>
        {t('reasonLabel')}
        <input value={draft} onChange={(e) => setDraft(e.target.value)} maxLength={500} aria-describedby="reason-hint" aria-invalid={error ? true : undefined} />
      </label>
      <button type="submit">{t('reasonSet')}</button>
      <p id="reason-hint" className="hint">
        {t('reasonHint')}
      </p>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}
