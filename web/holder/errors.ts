import { ApiError } from '../shared/api.ts';
import type { HolderKey } from './messages.ts';

type T = (key: HolderKey, vars?: Record<string, string | number>) => string;

/** A user-facing sentence for a failed request. `context` picks the wording for 401/409. */
export function describeError(err: unknown, t: T, context: 'login' | 'register' | 'other' = 'other'): string {
  if (err instanceof ApiError) {
    if (err.offline) return t('errorNetwork');
    if (context === 'login' && (err.status === 401 || err.status === 403)) return t('errorBadLogin');
    if (context === 'register' && err.status === 409) return t('errorPhoneTaken');
    if (err.status === 401) return t('errorUnauthenticated');
    if (err.status === 429) return t('errorRateLimited');
    return t('errorGeneric', { message: err.message || err.code });
  }
  return t('errorGeneric', { message: err instanceof Error ? err.message : String(err) });
}
