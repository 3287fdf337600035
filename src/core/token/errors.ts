/**
 * Errors raised by the token codec. The set of codes is closed so callers can
 * map each one to a user-facing explanation or an HTTP status in one place.
 * Messages are plain English and never carry key material or token contents.
 */
export type TokenErrorCode =
  | 'too_large'
  | 'bad_prefix'
  | 'bad_base45'
  | 'bad_zlib'
  | 'bad_cbor'
  | 'bad_cose'
  | 'unsupported_algorithm'
  | 'unknown_kid'
  | 'bad_signature'
  | 'expired'
  | 'not_yet_valid'
  | 'bad_claims'
  | 'wrong_kind'
  | 'key_usage'
  | 'certificate_invalid'
  | 'stale_trust_list';

export const TOKEN_ERROR_CODES: readonly TokenErrorCode[] = Object.freeze([
  'too_large',
  'bad_prefix',
  'bad_base45',
  'bad_zlib',
  'bad_cbor',
  'bad_cose',
  'unsupported_algorithm',
  'unknown_kid',
  'bad_signature',
  'expired',
  'not_yet_valid',
  'bad_claims',
  'wrong_kind',
  'key_usage',
  'certificate_invalid',
  'stale_trust_list',
]);

export class TokenError extends Error {
  override readonly name = 'TokenError';

  constructor(
    readonly code: TokenErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export function isTokenError(value: unknown): value is TokenError {
  return value instanceof TokenError;
}
