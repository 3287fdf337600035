import { ApiError } from '../shared/api.ts';
import type { T } from './messages.ts';

/** A plain sentence for a failed request. */
export function describeError(err: unknown, t: T, context: 'login' | 'other' = 'other'): string {
  if (err instanceof ApiError) {
    if (err.offline) return t('errorNetwork');
    if (context === 'login') {
      if (err.code === 'totp_required') return t('errorTotpRequired');
      if (err.code === 'totp_not_enrolled') return t('errorTotpNotEnrolled');
      if (err.status === 401 || err.status === 403) return t('errorBadLogin');
    }
    if (err.status === 401) return t('errorUnauthenticated');
    if (err.status === 403) return t('errorForbidden');
    if (err.status === 404) return t('errorNotFound');
    if (err.status === 429) return t('errorRateLimited');
    return t('errorGeneric', { message: err.message || err.code });
  }
  return t('errorGeneric', { message: err instanceof Error ? err.message : String(err) });
}
