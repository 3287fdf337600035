/**
 * The one place that touches the CBOR library (cborg: strict, no native or optional
 * dependencies). Encoding is deterministic CBOR (RFC 8949 §4.2.1): definite lengths, shortest
 * integer/length forms, and map keys sorted bytewise by their encoding (cborg's RFC 8949 map
 * sorter; {@link sortedMap} also orders Maps that way for callers that iterate them). We only
 * encode integers, byte strings, text strings, arrays, Maps and a top-level tag.
 *
 * cbor-x was the first choice, but its optional native helper (cbor-extract) pulls platform
 * packages that this registry does not serve, which breaks `npm ci` against the lock file.
 */
import { decode, encode, rfc8949EncodeOptions } from 'cborg';
import { TokenError } from './errors.ts';

/** A CBOR tag (major type 6) around a value. */
export class Tag {
  constructor(
    readonly value: unknown,
    readonly tag: number,
  ) {}
}

const ENCODE_OPTIONS = { ...rfc8949EncodeOptions, float64: false };

// Every tag number decodes to a Tag, so a tagged value never makes a decode fail by itself;
// callers check the tags they expect (18 COSE_Sign1, 61 CWT).
const ANY_TAG = new Proxy([] as ((inner: unknown) => unknown)[], {
  get(target, prop) {
    if (typeof prop === 'string' && /^\d+$/.test(prop)) return (inner: unknown) => new Tag(inner, Number(prop));
    return Reflect.get(target, prop);
  },
});

const DECODE_OPTIONS = { useMaps: true, rejectDuplicateMapKeys: true, allowUndefined: false, tags: ANY_TAG };

export type CborKey = number | string;

function tagHeader(tag: number): Uint8Array {
  if (!Number.isInteger(tag) || tag < 0 || tag > 0xffff) throw new RangeError(`unsupported tag ${tag}`);
  if (tag < 24) return Uint8Array.of(0xc0 | tag);
  if (tag < 0x100) return Uint8Array.of(0xd8, tag);
  return Uint8Array.of(0xd9, tag >> 8, tag & 0xff);
}

export function encodeCbor(value: unknown): Uint8Array {
  if (value instanceof Tag) {
    const head = tagHeader(value.tag);
    const body = encodeCbor(value.value);
    const out = new Uint8Array(head.length + body.length);
    out.set(head, 0);
    out.set(body, head.length);
    return out;
  }
  return Uint8Array.from(encode(value, ENCODE_OPTIONS));
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
    return decode(bytes, DECODE_OPTIONS);
  } catch {
    throw new TokenError('bad_cbor', `The ${what} is not well-formed CBOR.`);
  }
}

export function isTag(value: unknown, tag: number): value is Tag {
  return value instanceof Tag && value.tag === tag;
}
