import { useState } from 'react';
import { useT } from '../shared/i18n.tsx';
import { LoginForm } from './LoginForm.tsx';
import { messages } from './messages.ts';
import { RegisterForm } from './RegisterForm.tsx';
import { useRegions } from './useRegions.ts';

/** Not logged in: log in, or register (switchable; registering logs in). */
export function AuthPanel({ onAuthenticated }: { onAuthenticated: () => void }) {
  const t = useT(messages);
  const regions = useRegions();
  const [mode, setMode] = useState<'login' | 'register'>('login');
  return (
    <div className="auth">
      {mode === 'login' ? <LoginForm onLoggedIn={onAuthenticated} /> : <RegisterForm regions={regions} onRegistered={onAuthenticated} />}
      <button type="button" className="link" onClick={() => setMode(mode === 'login' ? 'register' : 'login')}>
        {mode === 'login' ? t('noAccount') : t('haveAccount')}
      </button>
    </div>
  );
}
