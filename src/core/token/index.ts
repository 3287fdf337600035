/**
 * Signed, offline-verifiable codes: our own healthcode (HCQ1:) and the EU
 * Digital COVID Certificate (HC1:), plus the signed trust list scanners cache.
 */
import type { X509Certificate } from 'node:crypto';
import { TokenError } from './errors.ts';
import type { TokenErrorCode } from './errors.ts';
import { decodeDcc, DCC_PREFIX } from './dcc.ts';
import { decodeHealthCode, HEALTHCODE_PREFIX } from './healthcode.ts';
import type { TrustStore } from './keys.ts';

export { TokenError, TOKEN_ERROR_CODES, isTokenError } from './errors.ts';
export type { TokenErrorCode } from './errors.ts';
export { BASE45_ALPHABET, decodeBase45, encodeBase45 } from './base45.ts';
export { COSE_ALG, COSE_HEADER, decodeCoseSign1, signCoseSign1, verifyCoseSign1 } from './cose.ts';
export type { CoseSign1, DecodeCoseOptions, VerifyOptions } from './cose.ts';
export {
  createTrustStore,
  exportSigningKey,
  generateSigningKey,
  importSigningKey,
  kidFor,
  kidForCertificate,
  trustedKeyFor,
} from './keys.ts';
export type { ExportedSigningKey, SignatureAlgorithm, SigningKey, TrustedKey, TrustStore } from './keys.ts';
export {
  decodeHealthCode,
  DEFAULT_CLOCK_SKEW_MS,
  encodeHealthCode,
  HEALTHCODE_CLAIM,
  HEALTHCODE_PREFIX,
  MAX_TOKEN_CHARS,
} from './healthcode.ts';
export type { Colour, DecodeHealthCodeOptions, HealthCodeClaims, HealthCodeKind } from './healthcode.ts';
export { parseTrustListDoc, signTrustList, TRUST_LIST_TYP, trustListKeyFor, trustStoreFromList, verifyTrustList } from './trust-list.ts';
export type { TrustListDoc, TrustListKey } from './trust-list.ts';
export {
  dccBase45Decode,
  dccCheckCertificateValidity,
  dccCheckExpiration,
  dccCheckKeyUsage,
  dccClaims,
  dccDecodeCose,
  dccHcertFromCbor,
  dccInflate,
  dccTrustStore,
  dccUnprefix,
  dccVerifySignature,
  decodeDcc,
  DCC_EKU,
  DCC_PREFIX,
  parseInstant,
} from './dcc.ts';
export type { DccClaims, DccResult, DecodeDccOptions } from './dcc.ts';

export interface VerifyAnyOptions {
  /** Keys for healthcodes, and for DCCs when `trustCerts` is not given. */
  readonly trust: TrustStore;
  /** DCC document signer certificates; when given, DCCs are checked against these. */
  readonly trustCerts?: readonly X509Certificate[];
  readonly now: Date;
}

export interface VerifyAnyResult {
  ok: boolean;
  kind: 'healthcode' | 'dcc' | null;
  error: TokenErrorCode | null;
  /** Plain JSON-friendly values (dates as ISO strings); empty when not ok. */
  claims: Record<string, unknown>;
}

function secondsToIso(seconds: number): string {
  return new Date(seconds * 1000).toISOString();
}

/**
 * Verifies whatever the QR text is (healthcode or DCC), never throwing for a
 * bad code: failures come back as `{ ok: false, error }`. Programming errors
 * (anything but a TokenError) still throw.
 */
export function verifyAny(text: string, options: VerifyAnyOptions): VerifyAnyResult {
  const kind = text.startsWith(HEALTHCODE_PREFIX) ? 'healthcode' : text.startsWith(DCC_PREFIX) ? 'dcc' : null;
  try {
    if (kind === 'dcc') {
      const { claims, kid } = decodeDcc(text, { trust: options.trustCerts ?? options.trust, now: options.now });
      return {
        ok: true,
        kind,
        error: null,
        claims: {
          ...(claims.iss === undefined ? {} : { iss: claims.iss }),
          issuedAt: secondsToIso(claims.iat),
          validUntil: secondsToIso(claims.exp),
          kid: kid ?? null,
          hcert: claims.hcert,
        },
      };
    }
    const claims = decodeHealthCode(text, options.trust, options.now);
    return {
      ok: true,
      kind: 'healthcode',
      error: null,
      claims: { ...claims, issuedAt: claims.issuedAt.toISOString(), validUntil: claims.validUntil.toISOString() },
    };
  } catch (error) {
    if (error instanceof TokenError) return { ok: false, kind, error: error.code, claims: {} };
    throw error;
  }
}
