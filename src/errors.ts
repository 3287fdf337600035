// Domain errors: a closed set of codes, mapped to HTTP in one place (app.ts's error handler).

export const ERROR_STATUS = {
  invalid_request: 400,
  malformed_json: 400,
  invalid_date: 400,
  reason_required: 400,
  unauthenticated: 401,
  bad_credentials: 401,
  totp_required: 401,
  forbidden: 403,
  totp_not_enrolled: 403,
  cross_site_request: 403,
  self_approval: 403,
  not_found: 404,
  unknown_venue: 404,
  already_registered: 409,
  event_id_reused: 409,
  ruleset_version_exists: 409,
  insufficient_notice: 422,
  override_too_long: 422,
  override_colour_not_allowed: 422,
  override_not_pending: 409,
  appeal_closed: 409,
  appeal_already_open: 409,
  deletion_already_requested: 409,
  invalid_ruleset: 422,
  payload_too_large: 413,
  unsupported_media_type: 415,
  rate_limited: 429,
  account_locked: 429,
  no_signing_key: 503,
  store_unavailable: 503,
  store_full: 503,
  store_read_only: 503,
  conflict: 409,
  case_exists: 409,
  unknown_holder: 404,
  not_a_case: 422,
  // issue 9: paper codes, ID look-ups, dependants, venue compliance
  id_lookup_rate_limited: 429,
  not_a_guardian: 403,
  dependant_already_linked: 409,
  holder_has_own_account: 409,
  guardian_request_exists: 409,
  request_not_pending: 409,
  not_an_adult: 422,
  takeover_code_invalid: 400,
  notice_already_acknowledged: 409,
  internal_error: 500,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'DomainError';
  }

  get status(): number {
    return ERROR_STATUS[this.code];
  }
}

export function isDomainError(e: unknown): e is DomainError {
  return e instanceof DomainError;
}
