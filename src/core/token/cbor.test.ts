import { describe, expect, test } from 'vitest';
import { decodeCbor, encodeCbor, sortedMap } from './cbor.ts';
import { TokenError } from './errors.ts';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

describe('deterministic CBOR encoding', () => {
  test('a COSE protected header: definite-length map, int keys, shortest forms, sorted keys', () => {
    const kid = Uint8Array.of(0xbb, 0x52, 0x1a, 0xb4, 0xf6, 0x2c, 0x68, 0xf8);
    // Inserted out of order on purpose: sortedMap puts 1 before 4.
    const bytes = encodeCbor(sortedMap([[4, kid], [1, -7]]));
    expect(hex(bytes)).toBe('a2' + '01' + '26' + '04' + '48' + 'bb521ab4f62c68f8');
  });

  test('Sig_structure for COSE_Sign1', () => {
    const bytes = encodeCbor(['Signature1', Uint8Array.of(0xa1, 0x01, 0x26), new Uint8Array(0), Uint8Array.of(0x01)]);
    // array(4), text(10) "Signature1", bstr(3), bstr(0), bstr(1)
    expect(hex(bytes)).toBe('84' + '6a5369676e617475726531' + '43a10126' + '40' + '4101');
  });

  test('key order is bytewise over the encoded keys (positive ints, then negative)', () => {
    const map = sortedMap([
      [-70001, 1],
      [7, 1],
      [1, 1],
      [-1, 1],
      [24, 1],
    ]);
    expect([...map.keys()]).toEqual([1, 7, 24, -1, -70001]);
    expect(hex(encodeCbor(map))).toBe('a5' + '0101' + '0701' + '181801' + '2001' + '3a0001117001');
  });

  test('integer and length headers use the shortest form', () => {
    expect(hex(encodeCbor(23))).toBe('17');
    expect(hex(encodeCbor(24))).toBe('1818');
    expect(hex(encodeCbor(65536))).toBe('1a00010000');
    expect(hex(encodeCbor(0x67c2bf80))).toBe('1a67c2bf80');
    expect(hex(encodeCbor(-25))).toBe('3818');
    expect(hex(encodeCbor('a'.repeat(24))).slice(0, 4)).toBe('7818');
    expect(hex(encodeCbor(new Uint8Array(24))).slice(0, 4)).toBe('5818');
    expect(hex(encodeCbor(new Map()))).toBe('a0');
  });
});

describe('decodeCbor', () => {
  test.each([
    ['', 'empty'],
    ['a2', 'truncated map'],
    ['0102', 'trailing bytes'],
    ['ff', 'lone break'],
    ['1c', 'reserved additional info'],
  ])('%s (%s) → bad_cbor', (input, _what) => {
    expect(() => decodeCbor(Buffer.from(input, 'hex'), 'test')).toThrow(TokenError);
    try {
      decodeCbor(Buffer.from(input, 'hex'), 'test');
    } catch (error) {
      expect((error as TokenError).code).toBe('bad_cbor');
    }
  });

  test('integer-keyed maps decode as Map', () => {
    const value = decodeCbor(Buffer.from('a201260442abcd', 'hex'), 'test');
    expect(value).toBeInstanceOf(Map);
    expect((value as Map<number, unknown>).get(1)).toBe(-7);
  });
});
