import { constants, generateKeyPairSync, sign } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { encodeCbor, sortedMap, Tag } from './cbor.ts';
import { COSE_ALG, decodeCoseSign1, encodeCoseSign1, sigStructure, signCoseSign1, verifyCoseSign1 } from './cose.ts';
import type { DecodeCoseOptions } from './cose.ts';
import { TokenError } from './errors.ts';
import type { TokenErrorCode } from './errors.ts';
import { createTrustStore, generateSigningKey, kidFor } from './keys.ts';
import type { SigningKey } from './keys.ts';

const key = generateSigningKey();
const trust = createTrustStore([{ kid: key.kid, publicKey: key.publicKey }]);
const payload = Uint8Array.of(0xa1, 0x01, 0x61, 0x78); // {1: "x"}
const kidBytes = (k: { kid: string }) => Uint8Array.from(Buffer.from(k.kid, 'base64'));

function errorCode(fn: () => unknown): TokenErrorCode | 'no error' {
  try {
    fn();
  } catch (error) {
    if (error instanceof TokenError) return error.code;
    throw error;
  }
  return 'no error';
}

interface Craft {
  protectedHeader: Map<unknown, unknown> | null;
  unprotectedHeader?: Map<unknown, unknown>;
  signer?: SigningKey;
  rsa?: boolean;
  tagged?: boolean;
}

const rsa = (() => {
  const pair = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { kid: kidFor(pair.publicKey), privateKey: pair.privateKey, publicKey: pair.publicKey };
})();

function craft({ protectedHeader, unprotectedHeader = new Map(), signer = key, rsa: useRsa = false, tagged = true }: Craft): Uint8Array {
  const protectedBytes = protectedHeader === null ? new Uint8Array(0) : encodeCbor(protectedHeader);
  const data = sigStructure(protectedBytes, payload);
  const signature = useRsa
    ? sign('sha256', data, { key: rsa.privateKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 })
    : sign('sha256', data, { key: signer.privateKey, dsaEncoding: 'ieee-p1363' });
  if (tagged) return encodeCoseSign1({ protectedBytes, unprotectedHeader, payload, signature });
  return encodeCbor([protectedBytes, unprotectedHeader, payload, signature]);
}

function decodeAndVerify(bytes: Uint8Array, options: DecodeCoseOptions = {}, algorithms: ('ES256' | 'PS256')[] = ['ES256']) {
  const store = createTrustStore([
    { kid: key.kid, publicKey: key.publicKey },
    { kid: rsa.kid, publicKey: rsa.publicKey },
  ]);
  return verifyCoseSign1(decodeCoseSign1(bytes, options), store, { algorithms });
}

describe('COSE_Sign1', () => {
  test('signCoseSign1: tag 18, alg -7 and kid in the protected header, empty unprotected header', () => {
    const bytes = signCoseSign1(payload, key);
    const hex = Buffer.from(bytes).toString('hex');
    const kidHex = Buffer.from(kidBytes(key)).toString('hex');
    // tag 18, array(4), bstr(13) {1: -7, 4: h'kid'}, {}, bstr(4) payload, bstr(64) signature
    expect(hex.startsWith(`d284` + `4d` + `a20126` + `0448${kidHex}` + `a0` + `44a1016178` + `5840`)).toBe(true);
    expect(bytes.length).toBe(2 + 14 + 1 + 5 + 2 + 64);
    const message = decodeCoseSign1(bytes);
    expect(message.alg).toBe(COSE_ALG.ES256);
    expect(message.kid).toBe(key.kid);
    expect(verifyCoseSign1(message, trust, { algorithms: ['ES256'] }).kid).toBe(key.kid);
  });

  test('the tag is optional on decode', () => {
    const bytes = craft({ protectedHeader: sortedMap([[1, -7], [4, kidBytes(key)]]), tagged: false });
    expect(decodeAndVerify(bytes).kid).toBe(key.kid);
  });

  test('a CWT tag (61) around the COSE tag is accepted; any other tag is not', () => {
    const inner = decodeCoseSign1(signCoseSign1(payload, key));
    const parts = [inner.protectedBytes, new Map(), inner.payload, inner.signature];
    expect(decodeAndVerify(encodeCbor(new Tag(new Tag(parts, 18), 61))).kid).toBe(key.kid);
    expect(errorCode(() => decodeCoseSign1(encodeCbor(new Tag(parts, 17))))).toBe('bad_cose');
    expect(errorCode(() => decodeCoseSign1(encodeCbor(new Tag(parts, 98))))).toBe('bad_cose');
  });

  test('kid in the unprotected header only is used; the protected one wins when both are there', () => {
    expect(decodeAndVerify(craft({ protectedHeader: sortedMap([[1, -7]]), unprotectedHeader: new Map([[4, kidBytes(key)]]) })).kid).toBe(key.kid);
    const both = craft({
      protectedHeader: sortedMap([[1, -7], [4, kidBytes(key)]]),
      unprotectedHeader: new Map([[4, Uint8Array.of(1, 2, 3)]]),
    });
    expect(decodeAndVerify(both).kid).toBe(key.kid);
    const wrongProtected = craft({
      protectedHeader: sortedMap([[1, -7], [4, Uint8Array.of(1, 2, 3)]]),
      unprotectedHeader: new Map([[4, kidBytes(key)]]),
    });
    expect(errorCode(() => decodeAndVerify(wrongProtected))).toBe('unknown_kid');
  });

  test('alg only in the unprotected header is rejected unless the profile allows it', () => {
    const bytes = craft({ protectedHeader: sortedMap([[4, kidBytes(key)]]), unprotectedHeader: new Map([[1, -7]]) });
    expect(errorCode(() => decodeCoseSign1(bytes))).toBe('bad_cose');
    expect(decodeAndVerify(bytes, { allowUnprotectedAlg: true }).kid).toBe(key.kid);
    const empty = craft({ protectedHeader: null, unprotectedHeader: new Map<number, unknown>([[1, -7], [4, kidBytes(key)]]) });
    expect(errorCode(() => decodeCoseSign1(empty))).toBe('bad_cose');
    expect(decodeAndVerify(empty, { allowUnprotectedAlg: true }).kid).toBe(key.kid);
  });

  test('even when allowed, an unprotected alg cannot change how the key is used', () => {
    // EC key, header rewritten to PS256: rejected because the key is ES256-only.
    const bytes = craft({ protectedHeader: null, unprotectedHeader: new Map<number, unknown>([[1, -37], [4, kidBytes(key)]]) });
    expect(errorCode(() => decodeAndVerify(bytes, { allowUnprotectedAlg: true }, ['ES256', 'PS256']))).toBe('unsupported_algorithm');
  });

  test('alg in both headers, missing, non-integer, or crit present → bad_cose', () => {
    const kid = kidBytes(key);
    expect(errorCode(() => decodeCoseSign1(craft({ protectedHeader: sortedMap([[1, -7], [4, kid]]), unprotectedHeader: new Map([[1, -7]]) })))).toBe('bad_cose');
    expect(errorCode(() => decodeCoseSign1(craft({ protectedHeader: sortedMap([[4, kid]]) })))).toBe('bad_cose');
    expect(errorCode(() => decodeCoseSign1(craft({ protectedHeader: sortedMap([[1, 'ES256'], [4, kid]]) })))).toBe('bad_cose');
    expect(errorCode(() => decodeCoseSign1(craft({ protectedHeader: sortedMap([[1, -7], [2, [99]], [4, kid]]) })))).toBe('bad_cose');
  });

  test('algorithms other than the accepted ones → unsupported_algorithm', () => {
    const kid = kidBytes(key);
    for (const alg of [-8, -35, -36, -257, 0]) {
      expect(errorCode(() => decodeAndVerify(craft({ protectedHeader: sortedMap([[1, alg], [4, kid]]) })))).toBe('unsupported_algorithm');
    }
  });

  test('PS256 (RSA-PSS, salt 32) verifies only where allowed and only with an RSA key', () => {
    const bytes = craft({ protectedHeader: sortedMap([[1, -37], [4, kidBytes(rsa)]]), rsa: true });
    expect(decodeAndVerify(bytes, {}, ['ES256', 'PS256']).kid).toBe(rsa.kid);
    expect(errorCode(() => decodeAndVerify(bytes, {}, ['ES256']))).toBe('unsupported_algorithm');
    const lying = craft({ protectedHeader: sortedMap([[1, -7], [4, kidBytes(rsa)]]), rsa: true });
    expect(errorCode(() => decodeAndVerify(lying, {}, ['ES256', 'PS256']))).toBe('unsupported_algorithm');
  });

  test('a TrustedKey.alg that disagrees with the header is rejected', () => {
    const store = createTrustStore([{ kid: key.kid, publicKey: key.publicKey, alg: 'PS256' }]);
    expect(errorCode(() => verifyCoseSign1(decodeCoseSign1(signCoseSign1(payload, key)), store, { algorithms: ['ES256', 'PS256'] }))).toBe(
      'unsupported_algorithm',
    );
  });

  test('wrong shapes → bad_cose; not CBOR → bad_cbor', () => {
    const good = decodeCoseSign1(signCoseSign1(payload, key));
    const shapes: unknown[] = [
      [],
      [good.protectedBytes, new Map(), good.payload],
      [good.protectedBytes, new Map(), good.payload, good.signature, 1],
      ['x', new Map(), good.payload, good.signature],
      [good.protectedBytes, [], good.payload, good.signature],
      [good.protectedBytes, new Map(), null, good.signature],
      [good.protectedBytes, new Map(), good.payload, 'sig'],
      [encodeCbor([1, -7]), new Map(), good.payload, good.signature],
      [good.protectedBytes, new Map([[4, 'text-kid']]), good.payload, good.signature],
      { 0: 1 },
      42,
    ];
    for (const shape of shapes) expect(errorCode(() => decodeCoseSign1(encodeCbor(shape)))).toBe('bad_cose');
    expect(errorCode(() => decodeCoseSign1(Uint8Array.of(0xd2, 0x84, 0x43)))).toBe('bad_cbor');
    expect(errorCode(() => decodeCoseSign1(Uint8Array.of(0x84, 0x41, 0xa0)))).toBe('bad_cbor');
    // protected header bytes that are not CBOR
    expect(errorCode(() => decodeCoseSign1(encodeCbor([Uint8Array.of(0xa2, 0x01), new Map(), good.payload, good.signature])))).toBe('bad_cbor');
  });

  test('signature problems → bad_signature', () => {
    const good = decodeCoseSign1(signCoseSign1(payload, key));
    const flipped = Uint8Array.from(good.signature);
    flipped[10]! ^= 1;
    expect(errorCode(() => verifyCoseSign1({ ...good, signature: flipped }, trust, { algorithms: ['ES256'] }))).toBe('bad_signature');
    expect(errorCode(() => verifyCoseSign1({ ...good, signature: good.signature.subarray(0, 63) }, trust, { algorithms: ['ES256'] }))).toBe(
      'bad_signature',
    );
    expect(errorCode(() => verifyCoseSign1({ ...good, payload: Uint8Array.of(0xa0) }, trust, { algorithms: ['ES256'] }))).toBe('bad_signature');
    // DER-encoded ECDSA signature instead of raw r||s
    const der = sign('sha256', sigStructure(good.protectedBytes, good.payload), key.privateKey);
    expect(errorCode(() => verifyCoseSign1({ ...good, signature: der }, trust, { algorithms: ['ES256'] }))).toBe('bad_signature');
  });

  test('no kid at all, or a kid not in the store → unknown_kid', () => {
    expect(errorCode(() => decodeAndVerify(craft({ protectedHeader: sortedMap([[1, -7]]) })))).toBe('unknown_kid');
    const other = generateSigningKey();
    expect(errorCode(() => decodeAndVerify(signCoseSign1(payload, other)))).toBe('unknown_kid');
  });
});
