/**
 * The one place that touches cbor-x. Encoding is deterministic CBOR
 * (RFC 8949 §4.2.1): definite lengths, shortest integer/length forms, and map
 * keys sorted bytewise by their encoding ({@link sortedMap}). We only ever
 * encode integers in the uint32/nint32 range (cbor-x writes larger ones as
 * floats), byte strings, text strings, arrays and Maps.
 */
import { Decoder, Encoder, Tag } from 'cbor-x';
import { TokenError } from './errors.ts';

const encoder = new Encoder({
  useRecords: false,
  mapsAsObjects: false,
  variableMapSize: true,
  tagUint8Array: false,
  pack: false,
  structuredClone: false,
  bundleStrings: false,
});

const decoder = new Decoder({
  useRecords: false,
  mapsAsObjects: false,
  structuredClone: false,
  bundleStrings: false,
});

export type CborKey = number | string;

export function encodeCbor(value: unknown): Uint8Array {
  const out = encoder.encode(value);
  // cbor-x may hand back a view on a shared buffer: copy it out.
  return Uint8Array.from(out);
}

/** Builds a Map whose iteration order is the deterministic CBOR key order. */
export function sortedMap(entries: Iterable<readonly [CborKey, unknown]>): Map<CborKey, unknown> {
  const withBytes = [...entries].map(([key, value]) => ({ key, value, bytes: encodeCbor(key) }));
  withBytes.sort((a, b) => compareBytes(a.bytes, b.bytes));
  return new Map(withBytes.map((e) => [e.key, e.value]));
}

function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    if (a[i] !== b[i]) return a[i]! - b[i]!;
  }
  return a.length - b.length;
}

/** Decodes one CBOR item; any decoder failure (including trailing bytes) becomes 'bad_cbor'. */
export function decodeCbor(bytes: Uint8Array, what: string): unknown {
  if (bytes.length === 0) throw new TokenError('bad_cbor', `The ${what} is empty.`);
  try {
    return decoder.decode(bytes);
  } catch {
    throw new TokenError('bad_cbor', `The ${what} is not well-formed CBOR.`);
  }
}

export function isTag(value: unknown, tag: number): value is Tag {
  return value instanceof Tag && value.tag === tag;
}

export { Tag };
