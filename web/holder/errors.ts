import { ApiError } from '../shared/api.ts';
import type { HolderKey } from './messages.ts';

type T = (key: HolderKey, vars?: Record<string, string | number>) => string;

/** Error codes (src/errors.ts) a holder can meet, in plain words. */
const BY_CODE: Partial<Record<string, HolderKey>> = {
  unknown_venue: 'errorUnknownVenue',
  event_id_reused: 'errorEventReused',
  appeal_already_open: 'errorAppealOpen',
  appeal_closed: 'errorAppealClosed',
  unsupported_media_type: 'errorFileType',
  payload_too_large: 'errorFileTooLarge',
  invalid_date: 'errorBadDate',
  deletion_already_requested: 'errorDeletionRequested',
  forbidden: 'errorForbidden',
  not_found: 'errorNotFound',
  store_unavailable: 'errorUnavailable',
  store_full: 'errorUnavailable',
  store_read_only: 'errorUnavailable',
  malformed_json: 'errorInvalid',
};

/** A user-facing sentence for a failed request. `context` picks the wording for 401/409. */
export function describeError(err: unknown, t: T, context: 'login' | 'register' | 'other' = 'other'): string {
  if (err instanceof ApiError) {
    if (err.offline) return t('errorNetwork');
    if (context === 'login' && (err.status === 401 || err.status === 403)) return t('errorBadLogin');
    if (context === 'register' && err.status === 409) return t('errorPhoneTaken');
    if (err.status === 401) return t('errorUnauthenticated');
    if (err.status === 429) return t('errorRateLimited');
    const known = BY_CODE[err.code];
    if (known) return t(known);
    if (err.status === 503) return t('errorUnavailable');
    if (err.status >= 500) return t('errorUnknown');
    // the server's own sentence (plain English), never a bare code
    return err.message && err.message !== err.code ? t('errorGeneric', { message: err.message }) : t('errorUnknown');
  }
  return t('errorUnknown');
}
