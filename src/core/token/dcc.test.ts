import { X509Certificate } from 'node:crypto';
import { deflateSync } from 'node:zlib';
import { afterEach, describe, expect, test } from 'vitest';
import { encodeBase45 } from './base45.ts';
import {
  dccCheckCertificateValidity,
  dccCheckExpiration,
  dccCheckKeyUsage,
  dccInflate,
  dccTrustStore,
  decodeDcc,
  MAX_DCC_CHARS,
  MAX_DCC_INFLATED_BYTES,
  parseInstant,
  parseX509Time,
} from './dcc.ts';
import { TokenError } from './errors.ts';
import type { TokenErrorCode } from './errors.ts';
import { kidForCertificate } from './keys.ts';
import { readDccVector } from './testing/vectors.ts';

function errorCode(fn: () => unknown): TokenErrorCode | 'no error' {
  try {
    fn();
  } catch (error) {
    if (error instanceof TokenError) return error.code;
    throw error;
  }
  return 'no error';
}

const certOf = (rel: string) => new X509Certificate(Buffer.from(readDccVector(rel).TESTCTX!.CERTIFICATE!, 'base64'));

describe('time parsing', () => {
  const originalTz = process.env.TZ;
  afterEach(() => {
    if (originalTz === undefined) delete process.env.TZ;
    else process.env.TZ = originalTz;
  });

  test.each([
    ['2021-05-03T20:00:00+02:00', '2021-05-03T18:00:00.000Z'],
    ['2021-06-09T15:15:34+0200', '2021-06-09T13:15:34.000Z'],
    ['2021-07-02T07:44:21+0000', '2021-07-02T07:44:21.000Z'],
    ['2021-08-19T10:01:55.429915Z', '2021-08-19T10:01:55.429Z'],
    ['2021-06-14T12:05:26.170Z', '2021-06-14T12:05:26.170Z'],
    ['2021-05-21T12:33:43.120+02:00', '2021-05-21T10:33:43.120Z'],
    ['2021-06-18T23:59:59-03:00', '2021-06-19T02:59:59.000Z'],
    ['2021-05-03T18:00:00', '2021-05-03T18:00:00.000Z'],
    ['2021-05-03', '2021-05-03T00:00:00.000Z'],
  ])('%s → %s in every time zone', (text, iso) => {
    for (const tz of ['UTC', 'America/New_York', 'Asia/Shanghai', 'Pacific/Kiritimati']) {
      process.env.TZ = tz;
      expect(parseInstant(text).toISOString()).toBe(iso);
    }
  });

  test('rejects what is not an ISO 8601 instant', () => {
    for (const text of ['yesterday', '2021-13-01T00:00:00Z', '2021-02-30T00:00:00Z', '2021-05-03T25:00:00Z', '']) {
      expect(() => parseInstant(text)).toThrow(RangeError);
    }
  });

  test('X.509 validity strings are GMT whatever the time zone', () => {
    for (const tz of ['UTC', 'Europe/Berlin', 'Asia/Shanghai']) {
      process.env.TZ = tz;
      expect(parseX509Time('May  3 18:00:00 2021 GMT').toISOString()).toBe('2021-05-03T18:00:00.000Z');
      expect(parseX509Time('Dec 31 23:59:59 2049 GMT').toISOString()).toBe('2049-12-31T23:59:59.000Z');
    }
    expect(errorCode(() => parseX509Time('2021-05-03'))).toBe('certificate_invalid');
  });
});

describe('DCC checks', () => {
  test('expiration: iat ≤ now ≤ exp, inclusive, millisecond precision, fractional seconds', () => {
    const claims = { iat: 1_620_000_000.25, exp: 1_620_086_400.5 };
    expect(errorCode(() => dccCheckExpiration(claims, new Date(1_620_000_000_250)))).toBe('no error');
    expect(errorCode(() => dccCheckExpiration(claims, new Date(1_620_000_000_249)))).toBe('not_yet_valid');
    expect(errorCode(() => dccCheckExpiration(claims, new Date(1_620_086_400_500)))).toBe('no error');
    expect(errorCode(() => dccCheckExpiration(claims, new Date(1_620_086_400_501)))).toBe('expired');
  });

  test('the signing certificate must be valid at iat and through exp', () => {
    // CO3's DSC: May 3 18:00:00 2021 GMT – Jun 2 18:00:00 2021 GMT
    const cert = certOf('common/2DCode/raw/CO3.json');
    const notBefore = Date.parse('2021-05-03T18:00:00Z') / 1000;
    const notAfter = Date.parse('2021-06-02T18:00:00Z') / 1000;
    expect(errorCode(() => dccCheckCertificateValidity(cert, { iat: notBefore, exp: notAfter }))).toBe('no error');
    expect(errorCode(() => dccCheckCertificateValidity(cert, { iat: notBefore - 1, exp: notAfter }))).toBe('certificate_invalid');
    expect(errorCode(() => dccCheckCertificateValidity(cert, { iat: notBefore, exp: notAfter + 1 }))).toBe('certificate_invalid');
    expect(errorCode(() => dccCheckCertificateValidity(cert, { iat: notAfter + 1, exp: notAfter + 2 }))).toBe('certificate_invalid');
  });

  test('key usage: DCC EKU OIDs restrict the certificate types, no OIDs restrict nothing', () => {
    const testOnly = certOf('common/2DCode/raw/CO6.json'); // OID for test only
    expect(testOnly.keyUsage).toEqual(['1.3.6.1.4.1.0.1847.2021.1.1']);
    expect(errorCode(() => dccCheckKeyUsage(testOnly, { t: [{}] }))).toBe('no error');
    expect(errorCode(() => dccCheckKeyUsage(testOnly, { v: [{}] }))).toBe('key_usage');
    expect(errorCode(() => dccCheckKeyUsage(testOnly, { r: [{}] }))).toBe('key_usage');
    expect(errorCode(() => dccCheckKeyUsage(testOnly, { t: [{}], v: [{}] }))).toBe('key_usage');
    const all = certOf('common/2DCode/raw/CO1.json');
    for (const type of ['t', 'v', 'r']) expect(errorCode(() => dccCheckKeyUsage(all, { [type]: [{}] }))).toBe('no error');
    const none = certOf('IT/2DCode/raw/2.json'); // no EKU extension
    expect(none.keyUsage).toBeUndefined();
    expect(errorCode(() => dccCheckKeyUsage(none, { v: [{}] }))).toBe('no error');
  });

  test('zlib: broken → bad_zlib, larger than the cap → too_large', () => {
    expect(errorCode(() => dccInflate(Uint8Array.of(1, 2, 3)))).toBe('bad_zlib');
    expect(errorCode(() => dccInflate(deflateSync(Buffer.alloc(100))).subarray(0, 10))).toBe('no error');
    const full = deflateSync(Buffer.alloc(MAX_DCC_INFLATED_BYTES + 1));
    expect(errorCode(() => dccInflate(full))).toBe('too_large');
    expect(dccInflate(deflateSync(Buffer.alloc(MAX_DCC_INFLATED_BYTES)))).toHaveLength(MAX_DCC_INFLATED_BYTES);
  });
});

describe('decodeDcc (whole chain)', () => {
  const vector = readDccVector('IT/2DCode/raw/2.json');
  const cert = new X509Certificate(Buffer.from(vector.TESTCTX!.CERTIFICATE!, 'base64'));
  const clock = parseInstant(vector.TESTCTX!.VALIDATIONCLOCK!);

  test('a valid vector verifies with its certificate, as a list or as a trust store', () => {
    const result = decodeDcc(vector.PREFIX!, { trust: [cert], now: clock });
    expect(result.kid).toBe(kidForCertificate(cert));
    expect(result.claims.hcert).toMatchObject({ ver: expect.any(String), r: expect.any(Array) });
    expect(decodeDcc(vector.PREFIX!, { trust: dccTrustStore([cert]), now: clock }).claims).toEqual(result.claims);
  });

  test('each failure has its own code', () => {
    const at = (iso: string) => ({ trust: [cert], now: new Date(iso) });
    expect(errorCode(() => decodeDcc(vector.PREFIX!, { trust: [], now: clock }))).toBe('unknown_kid');
    expect(errorCode(() => decodeDcc(vector.PREFIX!, { trust: [certOf('common/2DCode/raw/CO3.json')], now: clock }))).toBe('unknown_kid');
    expect(errorCode(() => decodeDcc(vector.PREFIX!, at('2000-01-01T00:00:00Z')))).toBe('not_yet_valid');
    expect(errorCode(() => decodeDcc(vector.PREFIX!, at('2099-01-01T00:00:00Z')))).toBe('expired');
    expect(errorCode(() => decodeDcc('HCQ1:' + vector.PREFIX!.slice(4), at('2021-06-01T00:00:00Z')))).toBe('bad_prefix');
    expect(errorCode(() => decodeDcc('HC1:' + 'A'.repeat(MAX_DCC_CHARS), at('2021-06-01T00:00:00Z')))).toBe('too_large');
    expect(errorCode(() => decodeDcc('HC1:' + encodeBase45(Uint8Array.of(1, 2, 3)), at('2021-06-01T00:00:00Z')))).toBe('bad_zlib');
    expect(errorCode(() => decodeDcc('HC1:' + encodeBase45(deflateSync(Buffer.from([0xff, 0xff]))), at('2021-06-01T00:00:00Z')))).toBe('bad_cbor');
    expect(errorCode(() => decodeDcc('HC1:' + encodeBase45(deflateSync(Buffer.from([0x80]))), at('2021-06-01T00:00:00Z')))).toBe('bad_cose');
  });

  test('key usage and certificate validity are part of the chain', () => {
    const co6 = readDccVector('common/2DCode/raw/CO6.json');
    expect(errorCode(() => decodeDcc(co6.PREFIX!, { trust: [certOf('common/2DCode/raw/CO6.json')], now: parseInstant(co6.TESTCTX!.VALIDATIONCLOCK!) }))).toBe(
      'key_usage',
    );
    // FR vaccin_ok: a one-year DCC signed by a three-month DSC — the hcert spec says exp must not exceed the DSC validity.
    const fr = readDccVector('FR/2DCode/raw/vaccin_ok.json');
    expect(errorCode(() => decodeDcc(fr.PREFIX!, { trust: [certOf('FR/2DCode/raw/vaccin_ok.json')], now: new Date('2021-06-01T00:00:00Z') }))).toBe(
      'certificate_invalid',
    );
  });
});
