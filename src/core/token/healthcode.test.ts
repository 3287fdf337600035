import { readFileSync } from 'node:fs';
import { createPublicKey, sign } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { decodeBase45, encodeBase45 } from './base45.ts';
import { encodeCbor, sortedMap } from './cbor.ts';
import { decodeCoseSign1, encodeCoseSign1, sigStructure, signCoseSign1 } from './cose.ts';
import { TokenError } from './errors.ts';
import type { TokenErrorCode } from './errors.ts';
import {
  decodeHealthCode,
  encodeHealthCode,
  HEALTHCODE_CLAIM,
  HEALTHCODE_PREFIX,
  healthCodeClaimsToCbor,
  MAX_TOKEN_CHARS,
} from './healthcode.ts';
import type { HealthCodeClaims } from './healthcode.ts';
import { createTrustStore, generateSigningKey, importSigningKey } from './keys.ts';
import type { SigningKey, TrustedKey } from './keys.ts';

const fixtures = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../test/fixtures');

const key = generateSigningKey();
const trust = createTrustStore([{ kid: key.kid, publicKey: key.publicKey }]);

const claims: HealthCodeClaims = {
  codeId: '00112233445566778899aabbccddeeff',
  colour: 'green',
  maskedName: 'Z** Wei',
  birthYear: 1990,
  rulesetVersion: '2025.1',
  region: 'CN-31',
  issuedAt: new Date('2025-06-01T12:00:00Z'),
  validUntil: new Date('2025-06-01T12:05:00Z'),
  kind: 'live',
};
const during = new Date('2025-06-01T12:01:00Z');

function errorCode(fn: () => unknown): TokenErrorCode | 'no error' {
  try {
    fn();
  } catch (error) {
    if (error instanceof TokenError) return error.code;
    throw error;
  }
  return 'no error';
}

/** Signs arbitrary claims bytes (or a hand-made protected header) the way an attacker with the key could. */
function signRaw(payload: Uint8Array, signer: SigningKey = key, protectedHeader?: Map<unknown, unknown>): string {
  if (protectedHeader === undefined) return HEALTHCODE_PREFIX + encodeBase45(signCoseSign1(payload, signer));
  const protectedBytes = encodeCbor(protectedHeader);
  const signature = sign('sha256', sigStructure(protectedBytes, payload), { key: signer.privateKey, dsaEncoding: 'ieee-p1363' });
  return HEALTHCODE_PREFIX + encodeBase45(encodeCoseSign1({ protectedBytes, unprotectedHeader: new Map(), payload, signature }));
}

describe('healthcode token', () => {
  test('round trip', () => {
    const token = encodeHealthCode(claims, key);
    expect(token.startsWith('HCQ1:')).toBe(true);
    expect(decodeHealthCode(token, trust, during)).toEqual(claims);
    const paper = { ...claims, kind: 'paper' as const, colour: 'grey' as const };
    expect(decodeHealthCode(encodeHealthCode(paper, key), trust, during)).toEqual(paper);
  });

  test('size: a typical token is small enough for a low-density QR code', () => {
    const token = encodeHealthCode(claims, key);
    const cose = decodeBase45(token.slice(HEALTHCODE_PREFIX.length));
    // 16-byte code id, 7-char name, 6-char ruleset, 5-char region: 153 COSE bytes, 235 characters.
    expect(cose.length).toBeLessThanOrEqual(160);
    expect(token.length).toBe(HEALTHCODE_PREFIX.length + Math.floor(cose.length / 2) * 3 + (cose.length % 2) * 2);
  });

  test('claims are encoded exactly as documented (deterministic CBOR)', () => {
    const hex = Buffer.from(encodeCbor(healthCodeClaimsToCbor(claims))).toString('hex');
    const iat = (Date.parse('2025-06-01T12:00:00Z') / 1000).toString(16).padStart(8, '0');
    const exp = (Date.parse('2025-06-01T12:05:00Z') / 1000).toString(16).padStart(8, '0');
    expect(hex).toBe(
      'a5' +
        '01' + '65' + Buffer.from('CN-31').toString('hex') + // 1 iss
        '04' + '1a' + exp + // 4 exp
        '06' + '1a' + iat + // 6 iat
        '07' + '50' + '00112233445566778899aabbccddeeff' + // 7 cti
        '3a00011170' + 'a4' + // -70001: map(4)
        '01' + '01' + // colour green
        '02' + '67' + Buffer.from('Z** Wei').toString('hex') + // masked name
        '03' + '1907c6' + // birth year 1990
        '04' + '66' + Buffer.from('2025.1').toString('hex'), // ruleset version
    );
    const paper = Buffer.from(encodeCbor(healthCodeClaimsToCbor({ ...claims, kind: 'paper' }))).toString('hex');
    expect(paper.endsWith('a5' + '0101' + '0267' + Buffer.from('Z** Wei').toString('hex') + '031907c6' + '0466' + Buffer.from('2025.1').toString('hex') + '0502')).toBe(true);
  });

  test('fixed vector: a token generated once decodes to the expected claims', () => {
    const vector = JSON.parse(readFileSync(path.join(fixtures, 'tokens/healthcode-v1.json'), 'utf8')) as {
      kid: string;
      publicKey: string;
      token: string;
      verifyAt: string;
      expectedClaims: Record<string, unknown>;
    };
    const publicKey = createPublicKey(readFileSync(path.join(fixtures, vector.publicKey), 'utf8'));
    const fixedTrust = createTrustStore([{ kid: vector.kid, publicKey }]);
    const decoded = decodeHealthCode(vector.token, fixedTrust, new Date(vector.verifyAt));
    expect({ ...decoded, issuedAt: decoded.issuedAt.toISOString(), validUntil: decoded.validUntil.toISOString() }).toEqual(vector.expectedClaims);
    // The checked-in private key is the one that signed it.
    const fixedKey = importSigningKey({ privateKeyPem: readFileSync(path.join(fixtures, 'keys/healthcode-test-es256.key.pem'), 'utf8') });
    expect(fixedKey.kid).toBe(vector.kid);
    expect(decodeHealthCode(encodeHealthCode(decoded, fixedKey), fixedTrust, new Date(vector.verifyAt))).toEqual(decoded);
  });

  describe('validity window (inclusive at both ends, millisecond precision)', () => {
    const token = encodeHealthCode(claims, key);
    const at = (ms: number) => new Date(ms);
    test('exactly at exp is valid, exp + 1 ms is expired', () => {
      expect(errorCode(() => decodeHealthCode(token, trust, claims.validUntil))).toBe('no error');
      expect(errorCode(() => decodeHealthCode(token, trust, at(claims.validUntil.getTime() + 1)))).toBe('expired');
    });
    test('iat − 60 s is valid (clock skew), one ms earlier is not yet valid', () => {
      const iat = claims.issuedAt.getTime();
      expect(errorCode(() => decodeHealthCode(token, trust, claims.issuedAt))).toBe('no error');
      expect(errorCode(() => decodeHealthCode(token, trust, at(iat - 60_000)))).toBe('no error');
      expect(errorCode(() => decodeHealthCode(token, trust, at(iat - 60_001)))).toBe('not_yet_valid');
      expect(errorCode(() => decodeHealthCode(token, trust, at(iat - 1), { clockSkewMs: 0 }))).toBe('not_yet_valid');
    });
  });

  describe('adversarial input', () => {
    const token = encodeHealthCode(claims, key);
    const cose = decodeBase45(token.slice(HEALTHCODE_PREFIX.length));

    test('every single-bit flip of the COSE bytes is rejected with a TokenError', () => {
      const seen = new Set<string>();
      for (let i = 0; i < cose.length; i++) {
        for (let bit = 0; bit < 8; bit++) {
          const bytes = Uint8Array.from(cose);
          bytes[i]! ^= 1 << bit;
          let caught: unknown = 'accepted';
          try {
            decodeHealthCode(HEALTHCODE_PREFIX + encodeBase45(bytes), trust, during);
          } catch (error) {
            caught = error;
          }
          expect(caught, `byte ${i} bit ${bit}`).toBeInstanceOf(TokenError);
          seen.add((caught as TokenError).code);
        }
      }
      expect(seen.has('bad_signature')).toBe(true);
      expect(seen.has('bad_cbor') || seen.has('bad_cose')).toBe(true);
    });

    test('every truncation is rejected with a TokenError', () => {
      for (let n = 0; n < cose.length; n++) {
        expect(() => decodeHealthCode(HEALTHCODE_PREFIX + encodeBase45(cose.subarray(0, n)), trust, during)).toThrow(TokenError);
      }
      for (let n = 0; n < token.length; n++) {
        expect(() => decodeHealthCode(token.slice(0, n), trust, during)).toThrow(TokenError);
      }
    });

    test('trailing bytes after the COSE structure → bad_cbor', () => {
      const longer = Uint8Array.from([...cose, 0x00]);
      expect(errorCode(() => decodeHealthCode(HEALTHCODE_PREFIX + encodeBase45(longer), trust, during))).toBe('bad_cbor');
    });

    test('a key not in the trust store → unknown_kid', () => {
      const stranger = generateSigningKey();
      expect(errorCode(() => decodeHealthCode(encodeHealthCode(claims, stranger), trust, during))).toBe('unknown_kid');
      expect(errorCode(() => decodeHealthCode(token, createTrustStore([]), during))).toBe('unknown_kid');
    });

    test('same kid but another key → bad_signature', () => {
      const impostor = generateSigningKey();
      const forged = encodeHealthCode(claims, { ...impostor, kid: key.kid });
      expect(errorCode(() => decodeHealthCode(forged, trust, during))).toBe('bad_signature');
      const swapped = createTrustStore([{ kid: key.kid, publicKey: impostor.publicKey }]);
      expect(errorCode(() => decodeHealthCode(token, swapped, during))).toBe('bad_signature');
    });

    test('length limit: 4097 characters → too_large before any decoding; 4096 is looked at', () => {
      expect(errorCode(() => decodeHealthCode('HCQ1:' + '0'.repeat(MAX_TOKEN_CHARS - 4), trust, during))).toBe('too_large');
      expect(errorCode(() => decodeHealthCode('x'.repeat(MAX_TOKEN_CHARS + 1), trust, during))).toBe('too_large');
      expect(errorCode(() => decodeHealthCode('HCQ1:' + '#'.repeat(MAX_TOKEN_CHARS - 5), trust, during))).toBe('bad_base45');
    });

    test('prefixes: HC1: → wrong_kind, anything else → bad_prefix', () => {
      expect(errorCode(() => decodeHealthCode('HC1:NCFOXN%TS3DH', trust, during))).toBe('wrong_kind');
      for (const text of ['', 'hello', 'hcq1:' + token.slice(5), 'HCQ2:' + token.slice(5), token.slice(5), ' ' + token]) {
        expect(errorCode(() => decodeHealthCode(text, trust, during))).toBe('bad_prefix');
      }
    });

    test('algorithm tampering is rejected', () => {
      const payload = decodeCoseSign1(cose).payload;
      const kid = Uint8Array.from(Buffer.from(key.kid, 'base64'));
      // alg only in the unprotected header (re-signed, so only the header placement is wrong)
      const protectedBytes = encodeCbor(sortedMap([[4, kid]]));
      const signature = sign('sha256', sigStructure(protectedBytes, payload), { key: key.privateKey, dsaEncoding: 'ieee-p1363' });
      const unprotectedAlg = encodeCoseSign1({ protectedBytes, unprotectedHeader: new Map([[1, -7]]), payload, signature });
      expect(errorCode(() => decodeHealthCode(HEALTHCODE_PREFIX + encodeBase45(unprotectedAlg), trust, during))).toBe('bad_cose');
      // alg -8 (EdDSA) and -37 (PS256) in the protected header
      expect(errorCode(() => decodeHealthCode(signRaw(payload, key, sortedMap([[1, -8], [4, kid]])), trust, during))).toBe('unsupported_algorithm');
      expect(errorCode(() => decodeHealthCode(signRaw(payload, key, sortedMap([[1, -37], [4, kid]])), trust, during))).toBe('unsupported_algorithm');
    });

    test('claims that are not exactly ours → bad_claims (or bad_cbor if not CBOR)', () => {
      const good = healthCodeClaimsToCbor(claims);
      const withExtra = new Map(good).set(2, 'subject');
      const priv = good.get(HEALTHCODE_CLAIM) as Map<number, unknown>;
      const cases: Map<unknown, unknown>[] = [
        withExtra,
        new Map([...good].filter(([k]) => k !== 7)),
        new Map(good).set(HEALTHCODE_CLAIM, new Map(priv).set(1, 9)),
        new Map(good).set(HEALTHCODE_CLAIM, new Map(priv).set(6, 1)),
        new Map(good).set(HEALTHCODE_CLAIM, new Map(priv).set(3, '1990')),
        new Map(good).set(HEALTHCODE_CLAIM, new Map(priv).set(5, 3)),
        new Map(good).set(HEALTHCODE_CLAIM, new Map([...priv].filter(([k]) => k !== 2))),
        new Map(good).set(4, 1.5),
        new Map(good).set(4, (good.get(6) as number) - 1),
        new Map(good).set(1, ''),
        new Map(good).set(7, 'not bytes'),
        new Map([...good].map(([k, v]) => [String(k), v])),
      ];
      for (const map of cases) expect(errorCode(() => decodeHealthCode(signRaw(encodeCbor(map)), trust, during))).toBe('bad_claims');
      expect(errorCode(() => decodeHealthCode(signRaw(encodeCbor([1, 2])), trust, during))).toBe('bad_claims');
      expect(errorCode(() => decodeHealthCode(signRaw(Uint8Array.of(0xa1)), trust, during))).toBe('bad_cbor');
    });

    test('fast-check: random text never throws anything but a TokenError, and never verifies', () => {
      const b45 = fc.constantFrom(...'0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:'.split(''));
      fc.assert(
        fc.property(
          fc.oneof(
            fc.string({ maxLength: 300 }),
            fc.string({ unit: 'binary', maxLength: 300 }),
            fc.array(b45, { maxLength: 400 }).map((cs) => 'HCQ1:' + cs.join('')),
            fc.uint8Array({ maxLength: 300 }).map((bytes) => 'HCQ1:' + encodeBase45(bytes)),
            fc.tuple(fc.nat(cose.length - 1), fc.uint8Array({ minLength: 1, maxLength: 8 })).map(([at, junk]) => {
              const bytes = Uint8Array.from(cose);
              bytes.set(junk.subarray(0, cose.length - at), at);
              return 'HCQ1:' + encodeBase45(bytes);
            }),
          ),
          (text) => {
            let caught: unknown;
            try {
              decodeHealthCode(text, trust, during);
            } catch (error) {
              caught = error;
            }
            const unchanged = text === token;
            if (!unchanged) expect(caught).toBeInstanceOf(TokenError);
          },
        ),
        { numRuns: 3000 },
      );
    });
  });

  describe('key usage from the trust list', () => {
    const token = encodeHealthCode(claims, key);
    const store = (extra: Partial<TrustedKey>) => createTrustStore([{ kid: key.kid, publicKey: key.publicKey, ...extra }]);
    test('a key pinned to another region → key_usage', () => {
      expect(errorCode(() => decodeHealthCode(token, store({ region: 'CN-31' }), during))).toBe('no error');
      expect(errorCode(() => decodeHealthCode(token, store({ region: 'CN-11' }), during))).toBe('key_usage');
    });
    test('a code issued outside the key validity → key_usage', () => {
      const iat = claims.issuedAt.getTime();
      expect(errorCode(() => decodeHealthCode(token, store({ validFrom: new Date(iat), validUntil: new Date(iat) }), during))).toBe('no error');
      expect(errorCode(() => decodeHealthCode(token, store({ validFrom: new Date(iat + 1) }), during))).toBe('key_usage');
      expect(errorCode(() => decodeHealthCode(token, store({ validUntil: new Date(iat - 1) }), during))).toBe('key_usage');
    });
  });

  test('encoding refuses claims it could not decode', () => {
    const bad: Partial<HealthCodeClaims>[] = [
      { codeId: 'XYZ' },
      { codeId: 'abc' },
      { codeId: '' },
      { codeId: 'AA' },
      { colour: 'blue' as never },
      { kind: 'digital' as never },
      { birthYear: 90 },
      { birthYear: 1990.5 },
      { maskedName: '' },
      { region: 'x'.repeat(129) },
      { validUntil: new Date('2025-06-01T11:59:59Z') },
      { issuedAt: new Date(Number.NaN) },
    ];
    for (const override of bad) expect(errorCode(() => encodeHealthCode({ ...claims, ...override }, key))).toBe('bad_claims');
  });

  test('property: any valid claims round-trip (times at whole seconds)', () => {
    const claimsArb = fc.record({
      codeId: fc.uint8Array({ minLength: 1, maxLength: 32 }).map((b) => Buffer.from(b).toString('hex')),
      colour: fc.constantFrom('green', 'yellow', 'red', 'grey') as fc.Arbitrary<HealthCodeClaims['colour']>,
      maskedName: fc.string({ minLength: 1, maxLength: 40 }),
      birthYear: fc.integer({ min: 1900, max: 2025 }),
      rulesetVersion: fc.string({ minLength: 1, maxLength: 20 }),
      region: fc.string({ minLength: 1, maxLength: 20 }),
      iat: fc.integer({ min: 0, max: 4_000_000_000 }),
      lifetime: fc.integer({ min: 0, max: 400 * 86_400 }),
      kind: fc.constantFrom('live', 'paper') as fc.Arbitrary<HealthCodeClaims['kind']>,
    });
    fc.assert(
      fc.property(claimsArb, ({ iat, lifetime, ...rest }) => {
        const exp = Math.min(iat + lifetime, 0xffffffff);
        const c: HealthCodeClaims = { ...rest, issuedAt: new Date(iat * 1000), validUntil: new Date(exp * 1000) };
        expect(decodeHealthCode(encodeHealthCode(c, key), trust, c.issuedAt)).toEqual(c);
      }),
      { numRuns: 200 },
    );
  });
});
