/**
 * EU Digital COVID Certificate (HC1) decoding and verification:
 *
 *   "HC1:" + base45( zlib( COSE_Sign1( CWT { 1 iss, 4 exp, 6 iat, -260 { 1: hcert } } ) ) )
 *
 * Each step is exported on its own so the DCC test vectors can check each
 * EXPECTEDRESULTS flag separately; {@link decodeDcc} runs them all.
 */
import { X509Certificate } from 'node:crypto';
import { inflateSync } from 'node:zlib';
import { TokenError } from './errors.ts';
import { decodeBase45 } from './base45.ts';
import { decodeCbor, Tag } from './cbor.ts';
import { decodeCoseSign1, verifyCoseSign1 } from './cose.ts';
import type { CoseSign1 } from './cose.ts';
import { algorithmForKey, createTrustStore, kidForCertificate } from './keys.ts';
import type { TrustedKey, TrustStore } from './keys.ts';

export const DCC_PREFIX = 'HC1:';
/** A version-40 QR code holds at most 4296 alphanumeric characters. */
export const MAX_DCC_CHARS = 4296;
/** Cap on the inflated COSE size (zip-bomb guard). */
export const MAX_DCC_INFLATED_BYTES = 64 * 1024;

const CWT = Object.freeze({ iss: 1, exp: 4, iat: 6, hcert: -260 });

/** Extended-key-usage OIDs a DSC may carry to restrict what it signs. */
export const DCC_EKU: Readonly<Record<'t' | 'v' | 'r', readonly string[]>> = Object.freeze({
  t: ['1.3.6.1.4.1.1847.2021.1.1', '1.3.6.1.4.1.0.1847.2021.1.1'],
  v: ['1.3.6.1.4.1.1847.2021.1.2', '1.3.6.1.4.1.0.1847.2021.1.2'],
  r: ['1.3.6.1.4.1.1847.2021.1.3', '1.3.6.1.4.1.0.1847.2021.1.3'],
});
const ALL_DCC_EKU = new Set(Object.values(DCC_EKU).flat());

export interface DccClaims {
  iss?: string;
  /** Seconds since the epoch; may be fractional. */
  iat: number;
  exp: number;
  /** The hcert payload (eu_dgc_v1) as plain objects; tagged dates decode as Date. */
  hcert: unknown;
}

export interface DccResult {
  claims: DccClaims;
  kid: string | undefined;
}

/** Strips "HC1:"; anything else (no prefix, "HC2:", "HL0:") is 'bad_prefix'. */
export function dccUnprefix(text: string): string {
  if (typeof text !== 'string') throw new TokenError('bad_prefix', 'The code is not text.');
  if (text.length > MAX_DCC_CHARS) throw new TokenError('too_large', `The code is longer than ${MAX_DCC_CHARS} characters.`);
  if (!text.startsWith(DCC_PREFIX)) throw new TokenError('bad_prefix', 'This is not an EU DCC (no HC1: prefix).');
  return text.slice(DCC_PREFIX.length);
}

export const dccBase45Decode = decodeBase45;

/** zlib inflate with a size cap; a stream that is not zlib (or is truncated) is 'bad_zlib'. */
export function dccInflate(compressed: Uint8Array): Uint8Array {
  try {
    return inflateSync(compressed, { maxOutputLength: MAX_DCC_INFLATED_BYTES });
  } catch (error) {
    if ((error as { code?: unknown }).code === 'ERR_BUFFER_TOO_LARGE') {
      throw new TokenError('too_large', `The decompressed certificate is larger than ${MAX_DCC_INFLATED_BYTES} bytes.`);
    }
    throw new TokenError('bad_zlib', 'The certificate is not validly zlib-compressed.');
  }
}

/**
 * Parses the COSE_Sign1 of a DCC (optionally CWT-tagged). Unlike our own
 * tokens, the algorithm may sit in the unprotected header when the protected
 * one has none (see DecodeCoseOptions.allowUnprotectedAlg for why that is safe).
 */
export function dccDecodeCose(bytes: Uint8Array): CoseSign1 {
  return decodeCoseSign1(bytes, { allowUnprotectedAlg: true });
}

function plain(value: unknown, depth = 0): unknown {
  if (depth > 32) throw new TokenError('bad_claims', 'The certificate payload is nested too deeply.');
  if (value instanceof Map) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of value) {
      if (typeof k !== 'string') throw new TokenError('bad_claims', 'The certificate payload has a non-text key.');
      Object.defineProperty(out, k, { value: plain(v, depth + 1), enumerable: true, writable: true, configurable: true });
    }
    return out;
  }
  if (Array.isArray(value)) return value.map((v) => plain(v, depth + 1));
  // RFC 8949 §3.4.1/3.4.2: tag 0 is a date-time string, tag 1 an epoch time; DCC issuers use
  // both for the test sample time (sc). Other tags are read through.
  if (value instanceof Tag) {
    if (value.tag === 0 && typeof value.value === 'string') return value.value;
    if (value.tag === 1 && typeof value.value === 'number') return new Date(value.value * 1000).toISOString().replace('.000Z', 'Z');
    return plain(value.value, depth + 1);
  }
  return value;
}

/**
 * Decodes an hcert payload from CBOR into plain objects. Accepts the bare
 * hcert map or a whole CWT claims map holding it under -260 / 1 (the test
 * vectors' CBOR field uses both).
 */
export function dccHcertFromCbor(bytes: Uint8Array): unknown {
  const value = decodeCbor(bytes, 'health certificate');
  if (!(value instanceof Map)) throw new TokenError('bad_claims', 'The health certificate is not a map.');
  if (value.has(CWT.hcert)) {
    const claim = value.get(CWT.hcert);
    if (!(claim instanceof Map) || !(claim.get(1) instanceof Map)) throw new TokenError('bad_claims', 'The health certificate claim is missing.');
    return plain(claim.get(1));
  }
  return plain(value);
}

/** Decodes the CWT claims of a DCC (payload of the COSE message). */
export function dccClaims(message: CoseSign1): DccClaims {
  const cwt = decodeCbor(message.payload, 'certificate payload');
  if (!(cwt instanceof Map)) throw new TokenError('bad_claims', 'The certificate payload is not a CWT claims map.');
  const iss = cwt.get(CWT.iss);
  const iat = cwt.get(CWT.iat);
  const exp = cwt.get(CWT.exp);
  const hcertClaim = cwt.get(CWT.hcert);
  if (iss !== undefined && typeof iss !== 'string') throw new TokenError('bad_claims', 'The issuer is not text.');
  if (typeof iat !== 'number' || !Number.isFinite(iat)) throw new TokenError('bad_claims', 'The issued-at time is missing.');
  if (typeof exp !== 'number' || !Number.isFinite(exp)) throw new TokenError('bad_claims', 'The expiry time is missing.');
  if (!(hcertClaim instanceof Map) || !(hcertClaim.get(1) instanceof Map)) {
    throw new TokenError('bad_claims', 'The health certificate claim is missing.');
  }
  return { ...(iss === undefined ? {} : { iss }), iat, exp, hcert: plain(hcertClaim.get(1)) };
}

/** A trust store of DSCs keyed by the DCC kid (first 8 bytes of SHA-256 of the certificate). */
export function dccTrustStore(certificates: readonly X509Certificate[]): TrustStore {
  const seen = new Set<string>();
  const keys: TrustedKey[] = [];
  for (const certificate of certificates) {
    const kid = kidForCertificate(certificate);
    if (seen.has(kid)) continue;
    seen.add(kid);
    const alg = algorithmForKey(certificate.publicKey);
    keys.push({ kid, publicKey: certificate.publicKey, certificate, ...(alg === undefined ? {} : { alg }) });
  }
  return createTrustStore(keys);
}

/** Verifies the COSE signature (ES256 or PS256) with a key found by kid. */
export function dccVerifySignature(message: CoseSign1, trust: TrustStore | readonly X509Certificate[]): TrustedKey {
  const store = Array.isArray(trust) ? dccTrustStore(trust) : (trust as TrustStore);
  return verifyCoseSign1(message, store, { algorithms: ['ES256', 'PS256'] });
}

/** iat ≤ now ≤ exp, both ends inclusive, millisecond precision. */
export function dccCheckExpiration(claims: Pick<DccClaims, 'iat' | 'exp'>, now: Date): void {
  const t = now.getTime();
  if (t < claims.iat * 1000) throw new TokenError('not_yet_valid', 'The certificate is not valid yet.');
  if (t > claims.exp * 1000) throw new TokenError('expired', 'The certificate has expired.');
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Parses OpenSSL's "May  3 18:00:00 2021 GMT" (what X509Certificate.validFrom gives) as UTC. */
export function parseX509Time(text: string): Date {
  const m = /^([A-Z][a-z]{2}) {1,2}(\d{1,2}) (\d{2}):(\d{2}):(\d{2}) (\d{4}) GMT$/.exec(text);
  const month = m === null ? -1 : MONTHS.indexOf(m[1]!);
  if (m === null || month < 0) throw new TokenError('certificate_invalid', 'The certificate validity dates cannot be read.');
  return new Date(Date.UTC(Number(m[6]), month, Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5])));
}

/** The DSC must be valid when the DCC was issued and until the DCC expires. */
export function dccCheckCertificateValidity(certificate: X509Certificate, claims: Pick<DccClaims, 'iat' | 'exp'>): void {
  const notBefore = parseX509Time(certificate.validFrom).getTime();
  const notAfter = parseX509Time(certificate.validTo).getTime();
  if (claims.iat * 1000 < notBefore || claims.iat * 1000 > notAfter) {
    throw new TokenError('certificate_invalid', 'The signing certificate was not valid when the certificate was issued.');
  }
  if (claims.exp * 1000 > notAfter) {
    throw new TokenError('certificate_invalid', 'The certificate outlives its signing certificate.');
  }
}

/** Which certificate types (t, v, r) the hcert payload holds. */
export function dccCertificateTypes(hcert: unknown): ('t' | 'v' | 'r')[] {
  if (typeof hcert !== 'object' || hcert === null) return [];
  return (['t', 'v', 'r'] as const).filter((type) => Object.hasOwn(hcert, type));
}

/**
 * If the DSC carries any DCC extended-key-usage OID, every certificate type in
 * the payload must be among the types it allows. A DSC without DCC OIDs may sign any type.
 */
export function dccCheckKeyUsage(certificate: X509Certificate, hcert: unknown): void {
  const eku = (certificate.keyUsage as string[] | undefined) ?? [];
  const dccOids = eku.filter((oid) => ALL_DCC_EKU.has(oid));
  if (dccOids.length === 0) return;
  for (const type of dccCertificateTypes(hcert)) {
    if (!DCC_EKU[type].some((oid) => dccOids.includes(oid))) {
      throw new TokenError('key_usage', 'The signing certificate is not allowed to sign this type of certificate.');
    }
  }
}

export interface DecodeDccOptions {
  readonly trust: TrustStore | readonly X509Certificate[];
  readonly now: Date;
}

/** Runs every step: prefix, base45, zlib, COSE, signature, claims, time, DSC validity and key usage. */
export function decodeDcc(text: string, options: DecodeDccOptions): DccResult {
  const message = dccDecodeCose(dccInflate(dccBase45Decode(dccUnprefix(text))));
  const key = dccVerifySignature(message, options.trust);
  const claims = dccClaims(message);
  dccCheckExpiration(claims, options.now);
  if (key.certificate !== undefined) {
    dccCheckCertificateValidity(key.certificate, claims);
    dccCheckKeyUsage(key.certificate, claims.hcert);
  }
  return { claims, kid: message.kid };
}

/**
 * Parses an ISO 8601 instant as the DCC test vectors write them: optional
 * fraction (any digits, truncated to ms) and offset as Z, ±hh:mm or ±hhmm.
 * A time without an offset is UTC, whatever the process time zone.
 */
export function parseInstant(text: string): Date {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?)?(Z|[+-]\d{2}(?::?\d{2})?)?$/.exec(text.trim());
  if (m === null) throw new RangeError(`Not an ISO 8601 time: ${text}`);
  const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '', zone = 'Z'] = m;
  const ms = Number(frac.padEnd(3, '0').slice(0, 3));
  const local = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), ms));
  if (
    local.getUTCFullYear() !== Number(y) ||
    local.getUTCMonth() !== Number(mo) - 1 ||
    local.getUTCDate() !== Number(d) ||
    local.getUTCHours() !== Number(h) ||
    local.getUTCMinutes() !== Number(mi) ||
    local.getUTCSeconds() !== Number(s)
  ) {
    throw new RangeError(`Not a valid time: ${text}`);
  }
  let offsetMinutes = 0;
  if (zone !== 'Z') {
    const digits = zone.slice(1).replace(':', '');
    offsetMinutes = (zone.startsWith('-') ? -1 : 1) * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4) || '0'));
  }
  const date = new Date(local.getTime() - offsetMinutes * 60_000);
  return date;
}
