import { ApiError } from '../shared/api.ts';
import type { ConsoleKey, T } from './messages.ts';

/** Error codes the console explains in its own words (both languages); never shown as codes. */
const BY_CODE: Partial<Record<string, ConsoleKey>> = {
  reason_required: 'errReasonRequired',
  self_approval: 'errSelfApproval',
  override_colour_not_allowed: 'errColourNotAllowed',
  override_too_long: 'errOverrideTooLong',
  override_not_pending: 'errOverrideNotPending',
  invalid_date: 'errInvalidDate',
  unknown_venue: 'errUnknownVenue',
  conflict: 'errConflict',
  invalid_request: 'errInvalidRequest',
  malformed_json: 'errInvalidRequest',
  store_unavailable: 'errServer',
  store_full: 'errServer',
  store_read_only: 'errServer',
  internal_error: 'errServer',
};

/**
 * A plain sentence for a failed request. `own` names the sentence for codes a screen explains
 * better itself (e.g. not_found after a look-up by ID number).
 */
export function describeError(err: unknown, t: T, own: Partial<Record<string, ConsoleKey>> = {}): string {
  if (err instanceof ApiError) {
    if (err.offline) return t('errorNetwork');
    const key = own[err.code] ?? BY_CODE[err.code];
    if (key) return t(key);
    if (err.status === 401) return t('errorUnauthenticated');
    if (err.status === 403) return t('errorForbidden');
    if (err.status === 404) return t('errorNotFound');
    if (err.status === 409) return t('errConflict');
    if (err.status === 429) return t('errorRateLimited');
    if (err.status >= 500) return t('errServer');
    if (err.status >= 400) return t('errInvalidRequest');
    return t('errorGeneric', { message: err.message || t('errUnknown') });
  }
  return t('errorGeneric', { message: err instanceof Error ? err.message : String(err) });
}
