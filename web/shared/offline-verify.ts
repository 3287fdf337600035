// Verifying healthcodes in the browser, without the server: the checkpoint's offline mode.
//
//   "HCQ1:" + base45( COSE_Sign1( CWT claims ) )   — docs/TOKEN.md
//
// base45 and CBOR come from the server's own codec (src/core/token/base45.ts and cbor.ts are pure
// and run in the browser); the signature is checked with WebCrypto (ECDSA P-256 / SHA-256, raw
// r||s — exactly COSE's ES256 layout); the claims are checked here the same way
// src/core/token/healthcode.ts checks them (no Buffer, no node:crypto). The trust list is the
// compact JWS served at GET /api/public/trust-list and the revocation list the one at
// GET /api/public/revocations; both are verified here before they are used.
import { decodeBase45 } from '../../src/core/token/base45.ts';
import { decodeCbor, encodeCbor, isTag } from '../../src/core/token/cbor.ts';
import { isTokenError, TokenError, type TokenErrorCode } from '../../src/core/token/errors.ts';

export type Colour = 'green' | 'yellow' | 'red' | 'grey';

export interface OfflineClaims {
  codeId: string;
  colour: Colour;
  maskedName: string;
  birthYear: number;
  rulesetVersion: string;
  region: string;
  issuedAt: Date;
  validUntil: Date;
  kind: 'live' | 'paper';
}

/** What the checkpoint shows; the same shape as the server's Verdict. */
export interface OfflineVerdict {
  ok: boolean;
  pass: boolean;
  error: string | null;
  colour: Colour | null;
  maskedName: string | null;
  birthYear: number | null;
  validUntil: string | null;
  region: string | null;
  rulesetVersion: string | null;
  /** as the server's Verdict: offline, the colour is the one the code was issued with, as of its issue time */
  kind?: 'live' | 'paper' | null;
  assurance?: 'standard' | 'low' | null;
  colourSource?: 'token' | 'current' | null;
  colourAsOf?: string | null;
}

export interface TrustListKey {
  kid: string;
  alg: 'ES256';
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

/** A key ready for WebCrypto, with the limits the trust list puts on it. */
export interface BrowserTrustedKey {
  kid: string;
  key: CryptoKey;
  region: string;
  validFrom: number;
  validUntil: number | null;
}

export interface BrowserTrust {
  keys: ReadonlyMap<string, BrowserTrustedKey>;
  /** revoked code ids (lower-case hex) */
  revoked: ReadonlySet<string>;
}

export const HEALTHCODE_PREFIX = 'HCQ1:';
const MAX_TOKEN_CHARS = 4096;
const CLOCK_SKEW_MS = 60_000;
const TRUST_LIST_TYP = 'healthcode-trust-list+jws';
export const REVOCATION_LIST_TYP = 'healthcode-revocation-list+jws';

// ------------------------------------------------------------------------------- bytes

export function b64ToBytes(b64: string): Uint8Array {
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

export function bytesToB64(bytes: Uint8Array): string {
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin);
}

function b64urlToBytes(text: string, what: string): Uint8Array {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) throw new TokenError('bad_signature', `The ${what} is not base64url.`);
  const b64 = text.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (text.length % 4)) % 4);
  let bytes: Uint8Array;
  try {
    bytes = b64ToBytes(b64);
  } catch {
    throw new TokenError('bad_signature', `The ${what} is not base64url.`);
  }
  if (bytesToB64(bytes).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '') !== text) {
    throw new TokenError('bad_signature', `The ${what} is not canonical base64url.`);
  }
  return bytes;
}

function toHex(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += b.toString(16).padStart(2, '0');
  return s;
}

/** A fresh ArrayBuffer copy (WebCrypto wants BufferSource; a view into a larger buffer is copied). */
function buf(bytes: Uint8Array): ArrayBuffer {
  return bytes.slice().buffer as ArrayBuffer;
}

const ascii = (s: string) => new TextEncoder().encode(s);

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function isIsoInstant(v: unknown): v is string {
  return typeof v === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,3})?Z$/.test(v) && Number.isFinite(Date.parse(v));
}

// ------------------------------------------------------------------------------- keys

/** kid = base64 of the first 8 bytes of SHA-256 over the SPKI DER (docs/TOKEN.md). */
export async function kidForSpki(spki: Uint8Array): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', buf(spki)));
  return bytesToB64(digest.slice(0, 8));
}

async function importSpki(spki: Uint8Array): Promise<CryptoKey> {
  return crypto.subtle.importKey('spki', buf(spki), { name: 'ECDSA', namedCurve: 'P-256' }, false, ['verify']);
}

async function verifyEs256(key: CryptoKey, signature: Uint8Array, data: Uint8Array): Promise<boolean> {
  if (signature.length !== 64) return false;
  try {
    return await crypto.subtle.verify({ name: 'ECDSA', hash: 'SHA-256' }, key, buf(signature), buf(data));
  } catch {
    return false;
  }
}

// ------------------------------------------------------------------------------- signed lists (compact JWS)

interface Jws {
  header: Record<string, unknown>;
  payload: unknown;
  signingInput: Uint8Array;
  signature: Uint8Array;
}

function parseJws(jws: string, what: string): Jws {
  if (typeof jws !== 'string' || jws.length > 1_000_000) throw new TokenError('too_large', `The ${what} is too large.`);
  const parts = jws.split('.');
  if (parts.length !== 3) throw new TokenError('bad_signature', `The ${what} is not a compact JWS.`);
  const [h, p, s] = parts as [string, string, string];
  const json = (bytes: Uint8Array, code: TokenErrorCode, part: string): unknown => {
    try {
      return JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
    } catch {
      throw new TokenError(code, `The ${what} ${part} is not JSON.`);
    }
  };
  const header = json(b64urlToBytes(h, `${what} header`), 'bad_signature', 'header');
  if (!isObject(header)) throw new TokenError('bad_signature', `The ${what} header is not an object.`);
  if (header.alg !== 'ES256') throw new TokenError('unsupported_algorithm', `The ${what} is not signed with ES256.`);
  if ('crit' in header) throw new TokenError('bad_signature', `The ${what} has critical header parameters.`);
  if (typeof header.kid !== 'string') throw new TokenError('unknown_kid', `The ${what} names no signing key.`);
  return {
    header,
    payload: json(b64urlToBytes(p, `${what} payload`), 'bad_claims', 'payload'),
    signingInput: ascii(`${h}.${p}`),
    signature: b64urlToBytes(s, `${what} signature`),
  };
}

function parseTrustListDoc(v: unknown): TrustListDoc {
  const bad = (m: string) => new TokenError('bad_claims', `Trust list: ${m}`);
  if (!isObject(v) || v.version !== 1) throw bad('unsupported document.');
  if (typeof v.issuer !== 'string' || !isIsoInstant(v.issuedAt) || !isIsoInstant(v.expiresAt)) throw bad('issuer or times missing.');
  if (!Array.isArray(v.keys)) throw bad('keys is not a list.');
  const keys = v.keys.map((k: unknown, i: number): TrustListKey => {
    if (!isObject(k)) throw bad(`key ${i} is not an object.`);
    if (typeof k.kid !== 'string' || k.alg !== 'ES256' || typeof k.publicKeySpki !== 'string' || typeof k.region !== 'string') throw bad(`key ${i} is incomplete.`);
    if (!isIsoInstant(k.validFrom) || (k.validUntil !== null && !isIsoInstant(k.validUntil))) throw bad(`key ${i} has bad validity times.`);
    return { kid: k.kid, alg: 'ES256', publicKeySpki: k.publicKeySpki, region: k.region, validFrom: k.validFrom, validUntil: k.validUntil as string | null };
  });
  return { version: 1, issuer: v.issuer, issuedAt: v.issuedAt, expiresAt: v.expiresAt, keys };
}

/**
 * Verifies a trust list JWS: every key's kid must match its SPKI, and the JWS must be signed by one
 * of the keys it lists — or, when `pinnedKids` is given (the kids this device trusted before), by
 * one of those. Staleness is NOT an error here: a checkpoint keeps using an old list and warns.
 */
export async function verifyTrustListJws(
  jws: string,
  now: Date,
  pinned?: ReadonlyMap<string, BrowserTrustedKey>,
): Promise<{ doc: TrustListDoc; trust: Map<string, BrowserTrustedKey> }> {
  const parsed = parseJws(jws, 'trust list');
  if (parsed.header.typ !== TRUST_LIST_TYP) throw new TokenError('wrong_kind', 'This JWS is not a trust list.');
  const doc = parseTrustListDoc(parsed.payload);
  const trust = new Map<string, BrowserTrustedKey>();
  for (const k of doc.keys) {
    let spki: Uint8Array;
    try {
      spki = b64ToBytes(k.publicKeySpki);
    } catch {
      throw new TokenError('bad_claims', `Trust list: key ${k.kid} is not base64.`);
    }
    if ((await kidForSpki(spki)) !== k.kid) throw new TokenError('bad_claims', `Trust list: key ${k.kid} has a kid that does not match its public key.`);
    if (trust.has(k.kid)) throw new TokenError('bad_claims', `Trust list: duplicate kid ${k.kid}.`);
    let key: CryptoKey;
    try {
      key = await importSpki(spki);
    } catch {
      throw new TokenError('bad_claims', `Trust list: key ${k.kid} is not an EC P-256 public key.`);
    }
    trust.set(k.kid, {
      kid: k.kid,
      key,
      region: k.region,
      validFrom: Date.parse(k.validFrom),
      validUntil: k.validUntil === null ? null : Date.parse(k.validUntil),
    });
  }
  const kid = parsed.header.kid as string;
  const signer = pinned && pinned.size > 0 ? pinned.get(kid) : trust.get(kid);
  if (!signer) throw new TokenError('unknown_kid', 'The trust list is signed by a key this device does not trust.');
  if (!(await verifyEs256(signer.key, parsed.signature, parsed.signingInput))) throw new TokenError('bad_signature', 'The trust list signature does not match.');
  if (Date.parse(doc.issuedAt) > now.getTime() + CLOCK_SKEW_MS) throw new TokenError('not_yet_valid', 'The trust list is issued in the future.');
  return { doc, trust };
}

export interface RevocationListDoc {
  version: 1;
  issuer: string;
  issuedAt: string;
  expiresAt: string;
  /** revoked code ids, lower-case hex */
  revoked: string[];
}

/** Verifies a revocation list JWS against the (already verified) trust list keys. */
export async function verifyRevocationListJws(jws: string, trust: ReadonlyMap<string, BrowserTrustedKey>): Promise<RevocationListDoc> {
  const parsed = parseJws(jws, 'revocation list');
  if (parsed.header.typ !== REVOCATION_LIST_TYP) throw new TokenError('wrong_kind', 'This JWS is not a revocation list.');
  const signer = trust.get(parsed.header.kid as string);
  if (!signer) throw new TokenError('unknown_kid', 'The revocation list is signed by a key that is not in the trust list.');
  if (!(await verifyEs256(signer.key, parsed.signature, parsed.signingInput))) throw new TokenError('bad_signature', 'The revocation list signature does not match.');
  const v = parsed.payload;
  if (!isObject(v) || v.version !== 1 || typeof v.issuer !== 'string' || !isIsoInstant(v.issuedAt) || !isIsoInstant(v.expiresAt)) {
    throw new TokenError('bad_claims', 'Revocation list: bad document.');
  }
  if (!Array.isArray(v.revoked) || !v.revoked.every((x) => typeof x === 'string' && /^(?:[0-9a-f]{2})+$/.test(x))) {
    throw new TokenError('bad_claims', 'Revocation list: revoked is not a list of code ids.');
  }
  return { version: 1, issuer: v.issuer, issuedAt: v.issuedAt, expiresAt: v.expiresAt, revoked: v.revoked as string[] };
}

// ------------------------------------------------------------------------------- the healthcode

const COLOURS: Record<number, Colour> = { 1: 'green', 2: 'yellow', 3: 'red', 4: 'grey' };
const CWT = { iss: 1, exp: 4, iat: 6, cti: 7 } as const;
const HC_CLAIM = -70001;
const HC_FIELDS = [1, 2, 3, 4, 5];

function badClaims(m: string): TokenError {
  return new TokenError('bad_claims', m);
}

function text(v: unknown, name: string): string {
  if (typeof v !== 'string' || v.length === 0 || v.length > 128) throw badClaims(`The ${name} must be text of 1 to 128 characters.`);
  return v;
}

function seconds(v: unknown, name: string): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 0xffffffff) throw badClaims(`The ${name} time must be whole seconds.`);
  return v;
}

function claimsFromCbor(value: unknown): OfflineClaims {
  if (!(value instanceof Map)) throw badClaims('The claims are not a map.');
  for (const k of value.keys()) if (![CWT.iss, CWT.exp, CWT.iat, CWT.cti, HC_CLAIM].includes(k as number)) throw badClaims('Unknown claim.');
  const p = value.get(HC_CLAIM);
  if (!(p instanceof Map)) throw badClaims('The healthcode claim is missing.');
  for (const k of p.keys()) if (!HC_FIELDS.includes(k as number)) throw badClaims('Unknown healthcode field.');
  const cti = value.get(CWT.cti);
  if (!(cti instanceof Uint8Array) || cti.length === 0 || cti.length > 64) throw badClaims('The code id is missing.');
  const colour = COLOURS[p.get(1) as number];
  if (!colour) throw badClaims('The colour is missing or unknown.');
  const kind = p.get(5);
  if (kind !== undefined && kind !== 1 && kind !== 2) throw badClaims('The kind is unknown.');
  const birthYear = p.get(3);
  if (typeof birthYear !== 'number' || !Number.isInteger(birthYear) || birthYear < 1000 || birthYear > 9999) throw badClaims('Bad birth year.');
  const iat = seconds(value.get(CWT.iat), 'issued-at');
  const exp = seconds(value.get(CWT.exp), 'valid-until');
  if (exp < iat) throw badClaims('The code expires before it was issued.');
  return {
    codeId: toHex(cti),
    colour,
    maskedName: text(p.get(2), 'masked name'),
    birthYear,
    rulesetVersion: text(p.get(4), 'ruleset version'),
    region: text(value.get(CWT.iss), 'region'),
    issuedAt: new Date(iat * 1000),
    validUntil: new Date(exp * 1000),
    kind: kind === 2 ? 'paper' : 'live',
  };
}

/**
 * Decodes and verifies a healthcode with WebCrypto, in the same order of checks as the server
 * (docs/TOKEN.md "Checks, in order"), plus the revocation list: a revoked code id is 'revoked'.
 * Throws TokenError (or an Error with code 'revoked').
 */
export async function decodeHealthCodeOffline(textIn: string, trust: BrowserTrust, now: Date): Promise<OfflineClaims> {
  if (typeof textIn !== 'string') throw new TokenError('bad_prefix', 'The code is not text.');
  if (textIn.length > MAX_TOKEN_CHARS) throw new TokenError('too_large', 'The code is too long.');
  if (!textIn.startsWith(HEALTHCODE_PREFIX)) {
    if (textIn.startsWith('HC1:')) throw new TokenError('wrong_kind', 'This is a DCC where a healthcode is expected.');
    throw new TokenError('bad_prefix', 'This is not a healthcode.');
  }
  let item = decodeCbor(decodeBase45(textIn.slice(HEALTHCODE_PREFIX.length)), 'signed message');
  if (isTag(item, 18)) item = item.value;
  if (!Array.isArray(item) || item.length !== 4) throw new TokenError('bad_cose', 'Not a COSE_Sign1 structure.');
  const [protectedBytes, unprotected, payload, signature] = item as unknown[];
  if (!(protectedBytes instanceof Uint8Array) || !(payload instanceof Uint8Array) || !(signature instanceof Uint8Array) || !(unprotected instanceof Map)) {
    throw new TokenError('bad_cose', 'Malformed COSE_Sign1.');
  }
  const ph = protectedBytes.length === 0 ? new Map() : decodeCbor(protectedBytes, 'protected header');
  if (!(ph instanceof Map)) throw new TokenError('bad_cose', 'The protected header is not a map.');
  if (ph.has(2)) throw new TokenError('bad_cose', 'Critical header parameters.');
  if (unprotected.has(1)) throw new TokenError('bad_cose', 'The algorithm must be in the protected header only.');
  const alg = ph.get(1);
  if (alg === undefined) throw new TokenError('bad_cose', 'The signature algorithm is not in the protected header.');
  if (alg !== -7) throw new TokenError('unsupported_algorithm', 'Only ES256 is accepted.');
  const kidRaw = ph.get(4) ?? unprotected.get(4);
  if (kidRaw !== undefined && !(kidRaw instanceof Uint8Array)) throw new TokenError('bad_cose', 'The key id is not a byte string.');
  if (kidRaw === undefined) throw new TokenError('unknown_kid', 'The message names no signing key.');
  const key = trust.keys.get(bytesToB64(kidRaw));
  if (!key) throw new TokenError('unknown_kid', 'The signing key is not in the trust list.');
  const sigStructure = encodeCbor(['Signature1', protectedBytes, new Uint8Array(0), payload]);
  if (!(await verifyEs256(key.key, signature, sigStructure))) throw new TokenError('bad_signature', 'The signature does not match the signing key.');
  const claims = claimsFromCbor(decodeCbor(payload, 'claims'));
  if (key.region !== claims.region) throw new TokenError('key_usage', 'The signing key is not authorised for this region.');
  const iat = claims.issuedAt.getTime();
  if (iat < key.validFrom || (key.validUntil !== null && iat > key.validUntil)) throw new TokenError('key_usage', 'The signing key was not valid when the code was issued.');
  const t = now.getTime();
  if (t < iat - CLOCK_SKEW_MS) throw new TokenError('not_yet_valid', 'The code is not valid yet.');
  if (t > claims.validUntil.getTime()) throw new TokenError('expired', 'The code has expired.');
  if (trust.revoked.has(claims.codeId)) throw new RevokedError();
  return claims;
}

export class RevokedError extends Error {
  readonly code = 'revoked';
  constructor() {
    super('The code has been revoked.');
    this.name = 'RevokedError';
  }
}

/** The verdict for a scanned text, never throwing for a bad code (like the server's verdictFor). */
export async function offlineVerdict(textIn: string, trust: BrowserTrust, now: Date): Promise<OfflineVerdict> {
  try {
    const c = await decodeHealthCodeOffline(textIn, trust, now);
    return {
      ok: true,
      pass: c.colour === 'green',
      error: null,
      colour: c.colour,
      maskedName: c.maskedName,
      birthYear: c.birthYear,
      validUntil: c.validUntil.toISOString(),
      region: c.region,
      rulesetVersion: c.rulesetVersion,
      kind: c.kind,
      assurance: c.kind === 'paper' ? 'low' : 'standard',
      colourSource: 'token',
      colourAsOf: c.issuedAt.toISOString(),
    };
  } catch (e) {
    if (!isTokenError(e) && !(e instanceof RevokedError)) throw e;
    return { ok: false, pass: false, error: e.code, colour: null, maskedName: null, birthYear: null, validUntil: null, region: null, rulesetVersion: null };
  }
}
