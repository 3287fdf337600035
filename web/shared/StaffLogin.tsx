// The one staff log-in form (scanner, venue manager, console): POST /api/staff/login with the
// username, password and — for roles that decide about people (officials, supervisors, operators)
// — the authenticator code. The code field is shown when one of the allowed roles needs it, or as
// soon as the server asks for it. An account whose role the app does not serve is logged out
// again and told so in plain words.
import { useEffect, useRef, useState, type FormEvent, type ReactNode } from 'react';
import type { StaffView } from '../../src/contracts/api.ts';
import { TOTP_ROLES, type StaffRole } from '../../src/features/security/roles.ts';
import { ApiError, post } from './api.ts';
import { useLang, useT, type MessageTable } from './i18n.tsx';
import { formatDateTime } from './time.ts';

const en = {
  username: 'Username',
  password: 'Password',
  totp: 'Authenticator code (6 digits)',
  totpHint: 'Officials and supervisors: the code from your authenticator app.',
  logIn: 'Log in',
  working: 'Please wait…',
  errorNetwork: 'Could not reach the server. Check the connection and try again.',
  errorBadLogin: 'Username or password is not correct.',
  errorTotpRequired: 'Enter the 6-digit code from your authenticator app.',
  errorTotpNotEnrolled: 'This account needs an authenticator app, and none is set up for it. Ask an operator to set one up.',
  errorLocked: 'Too many failed log-ins: this account is locked until {time}. Try again after that.',
  errorLockedNoTime: 'Too many failed log-ins: this account is locked for a while. Try again later.',
  errorRateLimited: 'Too many attempts. Wait a minute and try again.',
  errorWrongRole: 'This account cannot use this app. Log in with the right account.',
  errorServer: 'The server could not log you in just now. Try again in a moment.',
  errorGeneric: 'Could not log in: {message}',
} as const;

export type StaffLoginKey = keyof typeof en;

const zh: Record<StaffLoginKey, string> = {
  username: '用户名',
  password: '密码',
  totp: '验证器动态码（6 位）',
  totpHint: '官员和主管：请输入验证器应用中的动态码。',
  logIn: '登录',
  working: '请稍候…',
  errorNetwork: '无法连接服务器，请检查网络后重试。',
  errorBadLogin: '用户名或密码不正确。',
  errorTotpRequired: '请输入验证器应用中的 6 位动态码。',
  errorTotpNotEnrolled: '此账号需要验证器应用，但尚未设置。请联系运维人员设置。',
  errorLocked: '登录失败次数过多：此账号已锁定至 {time}，请在此之后再试。',
  errorLockedNoTime: '登录失败次数过多：此账号已暂时锁定，请稍后再试。',
  errorRateLimited: '尝试次数过多，请稍等一分钟再试。',
  errorWrongRole: '此账号不能使用本应用，请使用相应的账号登录。',
  errorServer: '服务器暂时无法登录，请稍后再试。',
  errorGeneric: '无法登录：{message}',
};

/** Default texts in both languages; an app may pass its own table with the same keys. */
export const staffLoginMessages: MessageTable<StaffLoginKey> = { en, 'zh-CN': zh };

export interface StaffLoginProps {
  /** the form's heading, already translated */
  title: string;
  /** the roles this app serves; another role is logged out again with `errorWrongRole` */
  allowedRoles: readonly StaffRole[];
  /** the texts (defaults: staffLoginMessages) */
  messages?: MessageTable<StaffLoginKey>;
  onLoggedIn: (staff: StaffView) => void;
  /** a line under the heading, e.g. who the app is for */
  hint?: ReactNode;
  /** why the form is shown, e.g. "your session has ended" */
  notice?: string | null;
  /** called on submit, inside the user gesture (the scanner unlocks audio here) */
  onSubmitGesture?: () => void;
  /** id prefix, for a page with more than one form */
  idPrefix?: string;
}

/** The lockout's end, from the server's sentence ("… locked until <ISO instant>; …"). */
function lockedUntil(message: string): string | null {
  const m = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z/.exec(message);
  return m && Number.isFinite(Date.parse(m[0])) ? m[0] : null;
}

export function StaffLogin({ title, allowedRoles, messages = staffLoginMessages, onLoggedIn, hint, notice, onSubmitGesture, idPrefix = 'staff-login' }: StaffLoginProps) {
  const t = useT(messages);
  const { lang } = useLang();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [code, setCode] = useState('');
  const [askTotp, setAskTotp] = useState(() => allowedRoles.some((r) => TOTP_ROLES.includes(r)));
  const [focusTotp, setFocusTotp] = useState(false);
  const totpRef = useRef<HTMLInputElement>(null);
  useEffect(() => {
    // the server asked for the code: the field has just appeared, put the cursor in it
    if (focusTotp && askTotp) {
      totpRef.current?.focus();
      setFocusTotp(false);
    }
  }, [focusTotp, askTotp]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<{ key: StaffLoginKey; vars?: Record<string, string | number>; until?: string } | null>(null);

  type Said = { key: StaffLoginKey; vars?: Record<string, string | number>; until?: string };
  /** What to say about a failed log-in: a key, so the sentence follows a change of language. */
  function describe(err: unknown): Said {
    if (!(err instanceof ApiError)) return { key: 'errorGeneric', vars: { message: err instanceof Error ? err.message : String(err) } };
    if (err.offline) return { key: 'errorNetwork' };
    switch (err.code) {
      case 'totp_required':
        return { key: 'errorTotpRequired' };
      case 'totp_not_enrolled':
        return { key: 'errorTotpNotEnrolled' };
      case 'account_locked': {
        const until = lockedUntil(err.message);
        return until ? { key: 'errorLocked', until } : { key: 'errorLockedNoTime' };
      }
    }
    if (err.status === 401 || err.status === 403) return { key: 'errorBadLogin' };
    if (err.status === 429) return { key: 'errorRateLimited' };
    if (err.status >= 500) return { key: 'errorServer' };
    return { key: 'errorGeneric', vars: { message: err.message } };
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    onSubmitGesture?.();
    setBusy(true);
    setError(null);
    try {
      const totp = code.replace(/\s+/g, '');
      const res = await post<{ staff: StaffView }>('/api/staff/login', { username: username.trim(), password, ...(totp ? { totp } : {}) });
      if (!(allowedRoles as readonly string[]).includes(res.staff.role)) {
        await post('/api/staff/logout').catch(() => undefined);
        setError({ key: 'errorWrongRole' });
        return;
      }
      onLoggedIn(res.staff);
    } catch (err) {
      if (err instanceof ApiError && err.code === 'totp_required') {
        setAskTotp(true);
        setFocusTotp(true);
      }
      setError(describe(err));
    } finally {
      setBusy(false);
    }
  }

  const titleId = `${idPrefix}-title`;
  const totpHintId = `${idPrefix}-totp-hint`;
  const errorId = `${idPrefix}-error`;
  return (
    <form className="card form staff-login" onSubmit={submit} aria-labelledby={titleId}>
      <h2 id={titleId}>{title}</h2>
      {hint && <p className="hint">{hint}</p>}
      {notice && (
        <p className="error" role="status">
          {notice}
        </p>
      )}
      <label>
        {t('username')}
        <input name="username" autoComplete="username" autoCapitalize="none" spellCheck={false} required value={username} onChange={(e) => setUsername(e.target.value)} />
      </label>
      <label>
        {t('password')}
        <input name="password" type="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} />
      </label>
      {askTotp && (
        <label>
          {t('totp')}
          <input
            ref={totpRef}
            name="totp"
            inputMode="numeric"
            autoComplete="one-time-code"
            pattern="[0-9 ]{6,7}"
            aria-describedby={totpHintId}
            value={code}
            onChange={(e) => setCode(e.target.value)}
          />
          <span id={totpHintId} className="hint">
            {t('totpHint')}
          </span>
        </label>
      )}
      {error && (
        <p className="error" role="alert" id={errorId}>
          {t(error.key, error.until ? { time: formatDateTime(error.until, lang) } : error.vars)}
        </p>
      )}
      <button type="submit" className="primary" disabled={busy}>
        {busy ? t('working') : t('logIn')}
      </button>
    </form>
  );
}
