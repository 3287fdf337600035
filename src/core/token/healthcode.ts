/**
 * Our own health-code token:
 *
 *   "HCQ1:" + base45( COSE_Sign1( CWT claims ) )      — no zlib
 *
 * CWT claims (RFC 8392), deterministic CBOR map with integer keys:
 *   1 iss  issuing region (text)
 *   4 exp  valid until, integer seconds since the epoch
 *   6 iat  issued at, integer seconds since the epoch
 *   7 cti  code id (bytes, the pseudonymous code id)
 *   -70001 healthcode claim: map {
 *       1: colour (1 green, 2 yellow, 3 red, 4 grey)
 *       2: masked name (text, e.g. "Z** Wei")
 *       3: birth year (int)
 *       4: ruleset version (text)
 *       5: kind (2 = paper; absent = live)
 *   }
 * Nothing else is accepted. See docs/TOKEN.md.
 */
import { TokenError } from './errors.ts';
import { decodeBase45, encodeBase45 } from './base45.ts';
import { decodeCbor, encodeCbor, sortedMap } from './cbor.ts';
import { decodeCoseSign1, signCoseSign1, verifyCoseSign1 } from './cose.ts';
import { DCC_PREFIX } from './dcc.ts';
import type { SigningKey, TrustedKey, TrustStore } from './keys.ts';

export type Colour = 'green' | 'yellow' | 'red' | 'grey';
export type HealthCodeKind = 'live' | 'paper';

export interface HealthCodeClaims {
  /** Pseudonymous code id, lower-case hex. */
  codeId: string;
  colour: Colour;
  maskedName: string;
  birthYear: number;
  rulesetVersion: string;
  region: string;
  issuedAt: Date;
  validUntil: Date;
  kind: HealthCodeKind;
}

export const HEALTHCODE_PREFIX = 'HCQ1:';
/** Longest QR text we look at, checked before any decoding. */
export const MAX_TOKEN_CHARS = 4096;
/** How far a verifier's clock may lag behind the issuer's before a fresh code is "not yet valid". */
export const DEFAULT_CLOCK_SKEW_MS = 60_000;

export const CWT_CLAIM = Object.freeze({ iss: 1, exp: 4, iat: 6, cti: 7 });
/** Private-use CWT claim key holding our healthcode fields. */
export const HEALTHCODE_CLAIM = -70001;
export const HEALTHCODE_FIELD = Object.freeze({ colour: 1, maskedName: 2, birthYear: 3, rulesetVersion: 4, kind: 5 });

const COLOUR_CODES: Readonly<Record<Colour, number>> = Object.freeze({ green: 1, yellow: 2, red: 3, grey: 4 });
const COLOURS_BY_CODE: ReadonlyMap<number, Colour> = new Map(
  (Object.entries(COLOUR_CODES) as [Colour, number][]).map(([colour, code]) => [code, colour]),
);
const KIND_PAPER = 2;
const KIND_LIVE = 1;

const LIMITS = Object.freeze({ codeIdBytes: 64, text: 128, minYear: 1000, maxYear: 9999, maxSeconds: 0xffffffff });

function bad(message: string): TokenError {
  return new TokenError('bad_claims', message);
}

function checkText(value: unknown, name: string): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > LIMITS.text) {
    throw bad(`The ${name} must be text of 1 to ${LIMITS.text} characters.`);
  }
  return value;
}

function checkBirthYear(value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < LIMITS.minYear || value > LIMITS.maxYear) {
    throw bad('The birth year must be a four-digit integer.');
  }
  return value;
}

function checkSeconds(value: unknown, name: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > LIMITS.maxSeconds) {
    throw bad(`The ${name} time must be a whole number of seconds.`);
  }
  return value;
}

function toSeconds(date: Date, name: string): number {
  const ms = date.getTime();
  if (!Number.isFinite(ms)) throw bad(`The ${name} time is not a valid date.`);
  return checkSeconds(Math.floor(ms / 1000), name);
}

function codeIdBytes(codeId: string): Uint8Array {
  if (!/^(?:[0-9a-f]{2})+$/.test(codeId) || codeId.length / 2 > LIMITS.codeIdBytes) {
    throw bad(`The code id must be 1 to ${LIMITS.codeIdBytes} bytes of lower-case hex.`);
  }
  return Uint8Array.from(Buffer.from(codeId, 'hex'));
}

/** The CWT claims map for a healthcode, validated and in deterministic order. */
export function healthCodeClaimsToCbor(claims: HealthCodeClaims): Map<number | string, unknown> {
  const colour = COLOUR_CODES[claims.colour];
  if (colour === undefined) throw bad('The colour must be green, yellow, red or grey.');
  if (claims.kind !== 'live' && claims.kind !== 'paper') throw bad("The kind must be 'live' or 'paper'.");
  const iat = toSeconds(claims.issuedAt, 'issued-at');
  const exp = toSeconds(claims.validUntil, 'valid-until');
  if (exp < iat) throw bad('The code would expire before it is issued.');
  const fields: [number, unknown][] = [
    [HEALTHCODE_FIELD.colour, colour],
    [HEALTHCODE_FIELD.maskedName, checkText(claims.maskedName, 'masked name')],
    [HEALTHCODE_FIELD.birthYear, checkBirthYear(claims.birthYear)],
    [HEALTHCODE_FIELD.rulesetVersion, checkText(claims.rulesetVersion, 'ruleset version')],
  ];
  if (claims.kind === 'paper') fields.push([HEALTHCODE_FIELD.kind, KIND_PAPER]);
  return sortedMap([
    [CWT_CLAIM.iss, checkText(claims.region, 'region')],
    [CWT_CLAIM.exp, exp],
    [CWT_CLAIM.iat, iat],
    [CWT_CLAIM.cti, codeIdBytes(claims.codeId)],
    [HEALTHCODE_CLAIM, sortedMap(fields)],
  ]);
}

export function encodeHealthCode(claims: HealthCodeClaims, key: SigningKey): string {
  const payload = encodeCbor(healthCodeClaimsToCbor(claims));
  return HEALTHCODE_PREFIX + encodeBase45(signCoseSign1(payload, key));
}

function onlyKeys(map: ReadonlyMap<unknown, unknown>, allowed: readonly unknown[], what: string): void {
  for (const key of map.keys()) {
    if (!allowed.includes(key)) throw bad(`The ${what} contains a field this version does not know.`);
  }
}

/** Parses and validates the claims map (already signature-checked). */
export function healthCodeClaimsFromCbor(value: unknown): HealthCodeClaims {
  if (!(value instanceof Map)) throw bad('The claims are not a map.');
  onlyKeys(value, [...Object.values(CWT_CLAIM), HEALTHCODE_CLAIM], 'claims');
  const private_ = value.get(HEALTHCODE_CLAIM);
  if (!(private_ instanceof Map)) throw bad('The healthcode claim is missing.');
  onlyKeys(private_, Object.values(HEALTHCODE_FIELD), 'healthcode claim');

  const cti = value.get(CWT_CLAIM.cti);
  if (!(cti instanceof Uint8Array) || cti.length === 0 || cti.length > LIMITS.codeIdBytes) throw bad('The code id is missing.');
  const colour = COLOURS_BY_CODE.get(private_.get(HEALTHCODE_FIELD.colour) as number);
  if (colour === undefined) throw bad('The colour is missing or unknown.');
  const kindCode = private_.get(HEALTHCODE_FIELD.kind);
  if (kindCode !== undefined && kindCode !== KIND_LIVE && kindCode !== KIND_PAPER) throw bad('The kind is unknown.');
  const iat = checkSeconds(value.get(CWT_CLAIM.iat), 'issued-at');
  const exp = checkSeconds(value.get(CWT_CLAIM.exp), 'valid-until');
  if (exp < iat) throw bad('The code expires before it was issued.');

  return {
    codeId: Buffer.from(cti).toString('hex'),
    colour,
    maskedName: checkText(private_.get(HEALTHCODE_FIELD.maskedName), 'masked name'),
    birthYear: checkBirthYear(private_.get(HEALTHCODE_FIELD.birthYear)),
    rulesetVersion: checkText(private_.get(HEALTHCODE_FIELD.rulesetVersion), 'ruleset version'),
    region: checkText(value.get(CWT_CLAIM.iss), 'region'),
    issuedAt: new Date(iat * 1000),
    validUntil: new Date(exp * 1000),
    kind: kindCode === KIND_PAPER ? 'paper' : 'live',
  };
}

export interface DecodeHealthCodeOptions {
  /** Tolerance for a verifier clock behind the issuer's, applied to iat only. Default 60 s. */
  readonly clockSkewMs?: number;
}

/**
 * Checks that the trusted key may have signed these claims: its region (if the
 * trust list pins one) and its validity window (if given) at issue time.
 */
function checkKeyUsage(key: TrustedKey, claims: HealthCodeClaims): void {
  if (key.region !== undefined && key.region !== claims.region) {
    throw new TokenError('key_usage', 'The signing key is not authorised for this region.');
  }
  const iat = claims.issuedAt.getTime();
  if ((key.validFrom !== undefined && iat < key.validFrom.getTime()) || (key.validUntil !== undefined && iat > key.validUntil.getTime())) {
    throw new TokenError('key_usage', 'The signing key was not valid when the code was issued.');
  }
}

/**
 * Decodes and verifies a healthcode. Validity is inclusive at both ends, with
 * millisecond precision: valid iff iat − skew ≤ now ≤ exp (exp itself valid,
 * exp + 1 ms expired), like the EU DCC rules.
 */
export function decodeHealthCode(text: string, trust: TrustStore, now: Date, options: DecodeHealthCodeOptions = {}): HealthCodeClaims {
  if (typeof text !== 'string') throw new TokenError('bad_prefix', 'The code is not text.');
  if (text.length > MAX_TOKEN_CHARS) throw new TokenError('too_large', `The code is longer than ${MAX_TOKEN_CHARS} characters.`);
  if (!text.startsWith(HEALTHCODE_PREFIX)) {
    if (text.startsWith(DCC_PREFIX)) throw new TokenError('wrong_kind', 'This is a DCC where a healthcode is expected.');
    throw new TokenError('bad_prefix', 'This is not a healthcode.');
  }
  const message = decodeCoseSign1(decodeBase45(text.slice(HEALTHCODE_PREFIX.length)));
  const key = verifyCoseSign1(message, trust, { algorithms: ['ES256'] });
  const claims = healthCodeClaimsFromCbor(decodeCbor(message.payload, 'claims'));
  checkKeyUsage(key, claims);
  const skew = options.clockSkewMs ?? DEFAULT_CLOCK_SKEW_MS;
  const t = now.getTime();
  if (t < claims.issuedAt.getTime() - skew) throw new TokenError('not_yet_valid', 'The code is not valid yet.');
  if (t > claims.validUntil.getTime()) throw new TokenError('expired', 'The code has expired.');
  return claims;
}
