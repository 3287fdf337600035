import { useState, type FormEvent } from 'react';
import type { StaffView } from '../../src/contracts/api.ts';
import { ApiError, post } from '../shared/api.ts';
import { useT } from '../shared/i18n.tsx';
import { unlockAudio } from './beep.ts';
import { messages } from './messages.ts';

export function StaffLogin({ onLoggedIn, notice }: { onLoggedIn: (s: StaffView) => void; notice?: string | null }) {
  const t = useT(messages);
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function submit(e: FormEvent) {
    e.preventDefault();
    unlockAudio(); // a user gesture: allow verdict beeps later
    setBusy(true);
    setError(null);
    try {
      const res = await post<{ staff: StaffView }>('/api/staff/login', { username: username.trim(), password });
      onLoggedIn(res.staff);
    } catch (err) {
      if (err instanceof ApiError && err.offline) setError(t('errorNetwork'));
      else if (err instanceof ApiError && (err.status === 401 || err.status === 403)) setError(t('errorBadLogin'));
      else if (err instanceof ApiError && err.status === 429) setError(t('errorRateLimited'));
      else setError(t('errorGeneric', { message: err instanceof Error ? err.message : String(err) }));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="card form" onSubmit={submit} aria-labelledby="staff-login-title">
      <h2 id="staff-login-title">{t('loginTitle')}</h2>
      {notice && <p className="error">{notice}</p>}
      <label>
        {t('username')}
        <input name="username" autoComplete="username" autoCapitalize="none" required value={username} onChange={(e) => setUsername(e.target.value)} />
      </label>
      <label>
        {t('password')}
        <input
          name="password"
          type="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={(e) => setPassword(e.target.value)}
        />
      </label>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <button type="submit" className="primary" disabled={busy}>
        {busy ? t('working') : t('logIn')}
      </button>
    </form>
  );
}
