import { useState, type FormEvent } from 'react';
import type { AssessmentView, HolderView, RegisterBody } from '../../src/contracts/api.ts';
import { post } from '../shared/api.ts';
import { useT } from '../shared/i18n.tsx';
import { describeError } from './errors.ts';
import { messages } from './messages.ts';
import type { Region } from './useRegions.ts';

function browserTimeZone(): string | undefined {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || undefined;
  } catch {
    return undefined;
  }
}

export function RegisterForm({ regions, onRegistered }: { regions: Region[]; onRegistered: () => void }) {
  const t = useT(messages);
  const [form, setForm] = useState({ name: '', idNumber: '', dateOfBirth: '', phone: '', region: '', password: '' });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const set = (k: keyof typeof form) => (e: { target: { value: string } }) => setForm((f) => ({ ...f, [k]: e.target.value }));

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    const tz = browserTimeZone();
    const body: RegisterBody = {
      name: form.name.trim(),
      idNumber: form.idNumber.trim(),
      dateOfBirth: form.dateOfBirth,
      phone: form.phone.replace(/[\s-]/g, ''),
      region: form.region,
      password: form.password,
      ...(tz ? { timeZone: tz } : {}),
    };
    try {
      await post<{ holder: HolderView; assessment: AssessmentView }>('/api/holder/register', body);
      onRegistered();
    } catch (err) {
      setError(describeError(err, t, 'register'));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="card form" onSubmit={submit} aria-labelledby="register-title">
      <h2 id="register-title">{t('registerTitle')}</h2>
      <label>
        {t('name')}
        <input name="name" autoComplete="name" required maxLength={100} value={form.name} onChange={set('name')} />
      </label>
      <label>
        {t('idNumber')}
        <input
          name="idNumber"
          autoComplete="off"
          required
          pattern="[0-9A-Za-z]{6,32}"
          value={form.idNumber}
          onChange={set('idNumber')}
        />
      </label>
      <label>
        {t('dateOfBirth')}
        <input name="dateOfBirth" type="date" autoComplete="bday" required value={form.dateOfBirth} onChange={set('dateOfBirth')} />
      </label>
      <label>
        {t('phone')}
        <input name="phone" type="tel" autoComplete="tel" inputMode="tel" required value={form.phone} onChange={set('phone')} />
      </label>
      <label>
        {t('region')}
        <select name="region" required value={form.region} onChange={set('region')}>
          <option value="">{t('chooseRegion')}</option>
          {regions.map((r) => (
            <option key={r.code} value={r.code}>
              {r.name} ({r.code})
            </option>
          ))}
        </select>
      </label>
      <label>
        {t('password')}
        <input
          name="password"
          type="password"
          autoComplete="new-password"
          required
          minLength={8}
          aria-describedby="password-hint"
          value={form.password}
          onChange={set('password')}
        />
        <span id="password-hint" className="hint">
          {t('passwordHint')}
        </span>
      </label>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <button type="submit" className="primary" disabled={busy}>
        {busy ? t('working') : t('register')}
      </button>
    </form>
  );
}
