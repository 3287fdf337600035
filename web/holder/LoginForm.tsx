import { useState, type FormEvent } from 'react';
import type { HolderView } from '../../src/contracts/api.ts';
import { post } from '../shared/api.ts';
import { useT } from '../shared/i18n.tsx';
import { describeError } from './errors.ts';
import { messages } from './messages.ts';

export function LoginForm({ onLoggedIn }: { onLoggedIn: () => void }) {
  const t = useT(messages);
  const [phone, setPhone] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await post<{ holder: HolderView }>('/api/holder/login', { phone: phone.trim(), password });
      onLoggedIn();
    } catch (err) {
      setError(describeError(err, t, 'login'));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="card form" onSubmit={submit} aria-labelledby="login-title">
      <h2 id="login-title">{t('loginTitle')}</h2>
      <label>
        {t('phone')}
        <input name="phone" type="tel" autoComplete="tel" inputMode="tel" required value={phone} onChange={(e) => setPhone(e.target.value)} />
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
