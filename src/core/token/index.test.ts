import { X509Certificate } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { createTrustStore, encodeHealthCode, generateSigningKey, parseInstant, verifyAny } from './index.ts';
import { readDccVector } from './testing/vectors.ts';

const key = generateSigningKey();
const trust = createTrustStore([{ kid: key.kid, publicKey: key.publicKey }]);
const now = new Date('2025-06-01T12:01:00Z');
const token = encodeHealthCode(
  {
    codeId: 'ab'.repeat(16),
    colour: 'red',
    maskedName: 'Z** Wei',
    birthYear: 1990,
    rulesetVersion: '2025.1',
    region: 'CN-31',
    issuedAt: new Date('2025-06-01T12:00:00Z'),
    validUntil: new Date('2025-06-01T12:05:00Z'),
    kind: 'live',
  },
  key,
);

describe('verifyAny', () => {
  test('a healthcode', () => {
    expect(verifyAny(token, { trust, now })).toEqual({
      ok: true,
      kind: 'healthcode',
      error: null,
      claims: {
        codeId: 'ab'.repeat(16),
        colour: 'red',
        maskedName: 'Z** Wei',
        birthYear: 1990,
        rulesetVersion: '2025.1',
        region: 'CN-31',
        issuedAt: '2025-06-01T12:00:00.000Z',
        validUntil: '2025-06-01T12:05:00.000Z',
        kind: 'live',
      },
    });
    expect(verifyAny(token, { trust, now: new Date('2025-06-01T12:06:00Z') })).toEqual({ ok: false, kind: 'healthcode', error: 'expired', claims: {} });
  });

  test('a DCC, with and without its certificate', () => {
    const vector = readDccVector('SE/2DCode/raw/1.json');
    const cert = new X509Certificate(Buffer.from(vector.TESTCTX!.CERTIFICATE!, 'base64'));
    const at = parseInstant(vector.TESTCTX!.VALIDATIONCLOCK!);
    const result = verifyAny(vector.PREFIX!, { trust, trustCerts: [cert], now: at });
    expect(result).toMatchObject({ ok: true, kind: 'dcc', error: null, claims: { iss: 'SE', hcert: { ver: expect.any(String) } } });
    expect(verifyAny(vector.PREFIX!, { trust, now: at })).toEqual({ ok: false, kind: 'dcc', error: 'unknown_kid', claims: {} });
  });

  test('anything else', () => {
    expect(verifyAny('https://example.com', { trust, now })).toEqual({ ok: false, kind: null, error: 'bad_prefix', claims: {} });
    expect(verifyAny('x'.repeat(5000), { trust, now })).toEqual({ ok: false, kind: null, error: 'too_large', claims: {} });
  });
});
