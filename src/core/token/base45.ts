/**
 * Strict base45 (RFC 9285). Every input the decoder accepts is the canonical
 * encoding of exactly one byte string, so `encode(decode(s)) === s`.
 */
import { TokenError } from './errors.ts';

export const BASE45_ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:';

/** Character code → digit value, or -1 when the character is not in the alphabet. */
const DECODE_TABLE: Int8Array = (() => {
  const table = new Int8Array(128).fill(-1);
  for (let i = 0; i < BASE45_ALPHABET.length; i++) table[BASE45_ALPHABET.charCodeAt(i)] = i;
  return table;
})();

export function encodeBase45(bytes: Uint8Array): string {
  let out = '';
  const full = bytes.length - (bytes.length % 2);
  for (let i = 0; i < full; i += 2) {
    let n = (bytes[i]! << 8) | bytes[i + 1]!;
    const c = n % 45;
    n = (n - c) / 45;
    const d = n % 45;
    const e = (n - d) / 45;
    out += BASE45_ALPHABET[c]! + BASE45_ALPHABET[d]! + BASE45_ALPHABET[e]!;
  }
  if (full < bytes.length) {
    const n = bytes[full]!;
    const c = n % 45;
    out += BASE45_ALPHABET[c]! + BASE45_ALPHABET[(n - c) / 45]!;
  }
  return out;
}

function digit(text: string, index: number): number {
  const code = text.charCodeAt(index);
  const value = code < 128 ? DECODE_TABLE[code]! : -1;
  if (value < 0) throw new TokenError('bad_base45', `Character ${index + 1} is not in the base45 alphabet.`);
  return value;
}

export function decodeBase45(text: string): Uint8Array {
  const rest = text.length % 3;
  if (rest === 1) throw new TokenError('bad_base45', 'The base45 text has an impossible length.');
  const out = new Uint8Array(((text.length - rest) / 3) * 2 + (rest === 2 ? 1 : 0));
  let o = 0;
  const full = text.length - rest;
  for (let i = 0; i < full; i += 3) {
    const n = digit(text, i) + digit(text, i + 1) * 45 + digit(text, i + 2) * 2025;
    if (n > 0xffff) throw new TokenError('bad_base45', 'A base45 group encodes a value above 65535.');
    out[o++] = n >> 8;
    out[o++] = n & 0xff;
  }
  if (rest === 2) {
    const n = digit(text, full) + digit(text, full + 1) * 45;
    if (n > 0xff) throw new TokenError('bad_base45', 'The final base45 pair encodes a value above 255.');
    out[o] = n;
  }
  return out;
}
