import { describe, expect, test } from 'vitest';
import fc from 'fast-check';
import { BASE45_ALPHABET, decodeBase45, encodeBase45 } from './base45.ts';
import { TokenError } from './errors.ts';

const utf8 = (s: string) => new TextEncoder().encode(s);

function expectBad(text: string): void {
  let caught: unknown;
  try {
    decodeBase45(text);
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(TokenError);
  expect((caught as TokenError).code).toBe('bad_base45');
}

describe('base45 (RFC 9285)', () => {
  test.each([
    ['AB', 'BB8'],
    ['Hello!!', '%69 VD92EX0'],
    ['base-45', 'UJCLQE7W581'],
    ['ietf!', 'QED8WEX0'],
    ['', ''],
  ])('%j ↔ %j', (plain, encoded) => {
    expect(encodeBase45(utf8(plain))).toBe(encoded);
    expect(Buffer.from(decodeBase45(encoded)).toString('utf8')).toBe(plain);
  });

  test('the extremes of each group', () => {
    expect(encodeBase45(Uint8Array.of(0xff, 0xff))).toBe('FGW');
    expect(decodeBase45('FGW')).toEqual(Uint8Array.of(0xff, 0xff));
    expect(encodeBase45(Uint8Array.of(0xff))).toBe('U5');
    expect(decodeBase45('U5')).toEqual(Uint8Array.of(0xff));
    expect(decodeBase45('000')).toEqual(Uint8Array.of(0, 0));
  });

  test('rejects characters outside the alphabet', () => {
    for (const text of ['bb8', 'BB#', 'A_B', 'BB8\n', 'BÉ8', 'BB\u0000', '=BB']) expectBad(text);
  });

  test('rejects a length of 1 mod 3', () => {
    for (const text of ['A', 'BB8A', 'BB8BB8A']) expectBad(text);
  });

  test('rejects triplets above 65535 and pairs above 255', () => {
    expectBad('GGW'); // 16 + 16*45 + 32*2025 = 65536
    expectBad(':::'); // 44 + 44*45 + 44*2025 = 91124
    expectBad('V5'); // 31 + 5*45 = 256
    expectBad('::');
    expectBad('BB8V5');
  });

  test('property: round trip of any bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => {
        const text = encodeBase45(bytes);
        expect(text.length).toBe(Math.floor(bytes.length / 2) * 3 + (bytes.length % 2) * 2);
        expect([...text].every((c) => BASE45_ALPHABET.includes(c))).toBe(true);
        expect(decodeBase45(text)).toEqual(bytes);
      }),
    );
  });

  test('property: whatever it accepts re-encodes to the same text; otherwise only bad_base45', () => {
    const alphabetChar = fc.constantFrom(...BASE45_ALPHABET.split(''));
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.array(alphabetChar).map((cs) => cs.join(''))), (text) => {
        let bytes: Uint8Array;
        try {
          bytes = decodeBase45(text);
        } catch (error) {
          expect(error).toBeInstanceOf(TokenError);
          expect((error as TokenError).code).toBe('bad_base45');
          return;
        }
        expect(encodeBase45(bytes)).toBe(text);
      }),
      { numRuns: 2000 },
    );
  });
});
