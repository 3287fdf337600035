import { describe, expect, it } from 'vitest';
import { base32Decode, base32Encode, hotp, matchTotp, stepAt, totp } from './totp.ts';

// RFC 6238 appendix B (SHA-1 rows): the seed is the ASCII string "12345678901234567890"
const SEED = Buffer.from('12345678901234567890', 'ascii');
const VECTORS: [number, string][] = [
  [59, '94287082'],
  [1111111109, '07081804'],
  [1111111111, '14050471'],
  [1234567890, '89005924'],
  [2000000000, '69279037'],
  [20000000000, '65353130'],
];

describe('TOTP (RFC 6238)', () => {
  it.each(VECTORS)('at %i s the 8-digit code is %s', (seconds, code) => {
    expect(hotp(SEED, Math.floor(seconds / 30), 8)).toBe(code);
  });

  it('RFC 4226 appendix D HOTP values', () => {
    const expected = ['755224', '287082', '359152', '969429', '338314', '254676', '287922', '162583', '399871', '520489'];
    expect(expected.map((_, i) => hotp(SEED, i))).toEqual(expected);
  });

  it('base32 round-trips and matches RFC 4648 vectors', () => {
    expect(base32Encode(Buffer.from('foobar'))).toBe('MZXW6YTBOI');
    expect(base32Decode('MZXW6YTBOI').toString()).toBe('foobar');
    expect(base32Decode(base32Encode(SEED)).equals(SEED)).toBe(true);
    expect(() => base32Decode('ABC1')).toThrow();
  });

  it('accepts the current step and one either side, each code once', () => {
    const secret = base32Encode(SEED);
    const at = new Date(1_111_111_111_000);
    const code = totp(secret, at);
    expect(matchTotp(secret, code, at, null)).toBe(stepAt(at));
    expect(matchTotp(secret, code, new Date(at.getTime() + 30_000), null)).toBe(stepAt(at));
    expect(matchTotp(secret, code, new Date(at.getTime() + 90_000), null)).toBeNull();
    // replay of the same step is refused
    expect(matchTotp(secret, code, at, stepAt(at))).toBeNull();
    expect(matchTotp(secret, '12345', at, null)).toBeNull();
    expect(matchTotp(secret, String((Number(code) + 1) % 1_000_000).padStart(6, '0'), at, null)).toBeNull();
  });
});
