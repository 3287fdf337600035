/**
 * The signed trust list the server publishes at GET /api/public/trust-list and
 * scanners cache. A compact JWS (RFC 7515), ES256 with a raw r||s signature, so
 * browsers can verify it with WebCrypto:
 *
 *   base64url(header) "." base64url(JSON document) "." base64url(signature)
 *   header = {"alg":"ES256","kid":<root kid>,"typ":"healthcode-trust-list+jws"}
 */
import { createPublicKey, sign, verify } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { TokenError } from './errors.ts';
import { algorithmForKey, createTrustStore, kidFor } from './keys.ts';
import type { SigningKey, TrustedKey, TrustStore } from './keys.ts';

export const TRUST_LIST_TYP = 'healthcode-trust-list+jws';
/** How far a scanner's clock may lag behind the server when checking issuedAt. */
export const TRUST_LIST_CLOCK_SKEW_MS = 60_000;
const MAX_JWS_CHARS = 1_000_000;

export interface TrustListKey {
  kid: string;
  alg: 'ES256';
  /** base64 (standard, padded) of the SPKI DER. */
  publicKeySpki: string;
  region: string;
  validFrom: string;
  validUntil: string | null;
}

export interface TrustListDoc {
  version: 1;
  issuer: string;
  issuedAt: string;
  expiresAt: string;
  keys: TrustListKey[];
}

function b64url(data: Uint8Array | string): string {
  return Buffer.from(data).toString('base64url');
}

/** Strict base64url: unpadded alphabet only, and canonical (re-encodes to itself). */
function fromB64url(text: string, what: string): Buffer {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) throw new TokenError('bad_signature', `The trust list ${what} is not base64url.`);
  const bytes = Buffer.from(text, 'base64url');
  if (bytes.toString('base64url') !== text) throw new TokenError('bad_signature', `The trust list ${what} is not canonical base64url.`);
  return bytes;
}

function isIsoInstant(value: unknown): value is string {
  return (
    typeof value === 'string' &&
    /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,3})?Z$/.test(value) &&
    Number.isFinite(Date.parse(value))
  );
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function spkiKey(base64: string): KeyObject | undefined {
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(base64)) return undefined;
  try {
    return createPublicKey({ key: Buffer.from(base64, 'base64'), format: 'der', type: 'spki' });
  } catch {
    return undefined;
  }
}

/** Validates a parsed trust-list document; throws 'bad_claims' naming the first problem. */
export function parseTrustListDoc(value: unknown): TrustListDoc {
  const bad = (message: string) => new TokenError('bad_claims', `Trust list: ${message}`);
  if (!isObject(value)) throw bad('the document is not an object.');
  if (value.version !== 1) throw bad('unsupported version.');
  if (typeof value.issuer !== 'string' || value.issuer.length === 0) throw bad('issuer is missing.');
  if (!isIsoInstant(value.issuedAt)) throw bad('issuedAt is not an ISO UTC time.');
  if (!isIsoInstant(value.expiresAt)) throw bad('expiresAt is not an ISO UTC time.');
  if (Date.parse(value.expiresAt) < Date.parse(value.issuedAt)) throw bad('expiresAt is before issuedAt.');
  if (!Array.isArray(value.keys)) throw bad('keys is not a list.');
  const seen = new Set<string>();
  const keys: TrustListKey[] = value.keys.map((entry: unknown, i: number) => {
    if (!isObject(entry)) throw bad(`key ${i} is not an object.`);
    const { kid, alg, publicKeySpki, region, validFrom, validUntil } = entry;
    if (typeof kid !== 'string' || seen.has(kid)) throw bad(`key ${i} has a missing or duplicate kid.`);
    seen.add(kid);
    if (alg !== 'ES256') throw bad(`key ${i} has an unsupported algorithm.`);
    if (typeof publicKeySpki !== 'string') throw bad(`key ${i} has no public key.`);
    const publicKey = spkiKey(publicKeySpki);
    if (publicKey === undefined || algorithmForKey(publicKey) !== 'ES256') throw bad(`key ${i} is not an EC P-256 public key.`);
    if (kidFor(publicKey) !== kid) throw bad(`key ${i} has a kid that does not match its public key.`);
    if (typeof region !== 'string' || region.length === 0) throw bad(`key ${i} has no region.`);
    if (!isIsoInstant(validFrom)) throw bad(`key ${i} validFrom is not an ISO UTC time.`);
    if (validUntil !== null && !isIsoInstant(validUntil)) throw bad(`key ${i} validUntil is neither null nor an ISO UTC time.`);
    return { kid, alg, publicKeySpki, region, validFrom, validUntil };
  });
  return { version: 1, issuer: value.issuer, issuedAt: value.issuedAt, expiresAt: value.expiresAt, keys };
}

/** The trust-list entry for one of our signing keys. */
export function trustListKeyFor(
  key: Pick<SigningKey, 'kid' | 'publicKey'>,
  entry: { region: string; validFrom: Date; validUntil: Date | null },
): TrustListKey {
  return {
    kid: key.kid,
    alg: 'ES256',
    publicKeySpki: key.publicKey.export({ format: 'der', type: 'spki' }).toString('base64'),
    region: entry.region,
    validFrom: entry.validFrom.toISOString(),
    validUntil: entry.validUntil === null ? null : entry.validUntil.toISOString(),
  };
}

export function signTrustList(doc: TrustListDoc, key: SigningKey): string {
  const checked = parseTrustListDoc(doc);
  const header = { alg: 'ES256', kid: key.kid, typ: TRUST_LIST_TYP };
  const signingInput = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(checked))}`;
  const signature = sign('sha256', Buffer.from(signingInput, 'ascii'), { key: key.privateKey, dsaEncoding: 'ieee-p1363' });
  return `${signingInput}.${b64url(signature)}`;
}

function parseJson(bytes: Buffer, code: 'bad_signature' | 'bad_claims', what: string): unknown {
  try {
    return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch {
    throw new TokenError(code, `The trust list ${what} is not JSON.`);
  }
}

/**
 * Verifies a signed trust list against the root keys and returns its document.
 * Throws 'bad_signature' (malformed or forged), 'unsupported_algorithm',
 * 'wrong_kind' (another JWS type), 'unknown_kid', 'bad_claims' (bad document),
 * 'not_yet_valid' (issued in the future) or 'stale_trust_list' (now > expiresAt).
 */
export function verifyTrustList(jws: string, rootKeys: TrustStore, now: Date): TrustListDoc {
  if (typeof jws !== 'string' || jws.length > MAX_JWS_CHARS) throw new TokenError('too_large', 'The trust list is too large.');
  const parts = jws.split('.');
  if (parts.length !== 3) throw new TokenError('bad_signature', 'The trust list is not a compact JWS.');
  const [headerPart, payloadPart, signaturePart] = parts as [string, string, string];
  const header = parseJson(fromB64url(headerPart, 'header'), 'bad_signature', 'header');
  if (!isObject(header)) throw new TokenError('bad_signature', 'The trust list header is not an object.');
  if (header.alg !== 'ES256') throw new TokenError('unsupported_algorithm', 'The trust list is not signed with ES256.');
  if (header.typ !== TRUST_LIST_TYP) throw new TokenError('wrong_kind', 'This JWS is not a trust list.');
  if ('crit' in header) throw new TokenError('bad_signature', 'The trust list has critical header parameters.');
  if (typeof header.kid !== 'string') throw new TokenError('unknown_kid', 'The trust list names no signing key.');
  const key: TrustedKey | undefined = rootKeys.lookup(header.kid);
  if (key === undefined) throw new TokenError('unknown_kid', 'The trust list is signed by an unknown root key.');
  if ((key.alg ?? 'ES256') !== 'ES256' || algorithmForKey(key.publicKey) !== 'ES256') {
    throw new TokenError('unsupported_algorithm', 'The root key is not an ES256 key.');
  }
  const signature = fromB64url(signaturePart, 'signature');
  let ok = false;
  try {
    ok =
      signature.length === 64 &&
      verify('sha256', Buffer.from(`${headerPart}.${payloadPart}`, 'ascii'), { key: key.publicKey, dsaEncoding: 'ieee-p1363' }, signature);
  } catch {
    ok = false;
  }
  if (!ok) throw new TokenError('bad_signature', 'The trust list signature does not match the root key.');
  const doc = parseTrustListDoc(parseJson(fromB64url(payloadPart, 'payload'), 'bad_claims', 'payload'));
  const t = now.getTime();
  if (t < Date.parse(doc.issuedAt) - TRUST_LIST_CLOCK_SKEW_MS) throw new TokenError('not_yet_valid', 'The trust list is not valid yet.');
  if (t > Date.parse(doc.expiresAt)) throw new TokenError('stale_trust_list', 'The trust list has expired; fetch a new one.');
  return doc;
}

/** A trust store holding the keys of a verified trust-list document. */
export function trustStoreFromList(doc: TrustListDoc): TrustStore {
  return createTrustStore(
    parseTrustListDoc(doc).keys.map(
      (k): TrustedKey => ({
        kid: k.kid,
        alg: k.alg,
        publicKey: createPublicKey({ key: Buffer.from(k.publicKeySpki, 'base64'), format: 'der', type: 'spki' }),
        region: k.region,
        validFrom: new Date(k.validFrom),
        ...(k.validUntil === null ? {} : { validUntil: new Date(k.validUntil) }),
      }),
    ),
  );
}
