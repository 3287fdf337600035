/**
 * COSE_Sign1 (RFC 9052) with node:crypto.
 *
 * - Signing: ES256 only (alg -7), kid in the protected header, tag 18.
 * - Verifying: the caller says which algorithms it accepts (healthcodes: ES256;
 *   EU DCCs: ES256 and PS256). The algorithm must sit in the protected header.
 *   The key comes only from the caller's trust store, looked up by kid, and the
 *   key's own algorithm must equal the header's.
 */
import { constants, sign, verify } from 'node:crypto';
import { TokenError } from './errors.ts';
import { decodeCbor, encodeCbor, isTag, sortedMap, Tag } from './cbor.ts';
import { algorithmForKey } from './keys.ts';
import type { SignatureAlgorithm, SigningKey, TrustedKey, TrustStore } from './keys.ts';

export const COSE_ALG: Readonly<Record<SignatureAlgorithm, number>> = Object.freeze({ ES256: -7, PS256: -37 });
export const COSE_HEADER = Object.freeze({ alg: 1, crit: 2, kid: 4 });
export const COSE_SIGN1_TAG = 18;
export const CWT_TAG = 61;

export interface CoseSign1 {
  /** The protected header exactly as signed. */
  readonly protectedBytes: Uint8Array;
  readonly protectedHeader: ReadonlyMap<unknown, unknown>;
  readonly unprotectedHeader: ReadonlyMap<unknown, unknown>;
  readonly payload: Uint8Array;
  readonly signature: Uint8Array;
  /** The COSE algorithm id (from the protected header unless {@link DecodeCoseOptions.allowUnprotectedAlg}). */
  readonly alg: number;
  readonly algProtected: boolean;
  /** base64 kid: protected header if present there, else unprotected; undefined if neither. */
  readonly kid: string | undefined;
}

const EMPTY = new Uint8Array(0);

function algorithmName(alg: number): SignatureAlgorithm | undefined {
  if (alg === COSE_ALG.ES256) return 'ES256';
  if (alg === COSE_ALG.PS256) return 'PS256';
  return undefined;
}

function kidBytes(kid: string): Uint8Array {
  const bytes = Buffer.from(kid, 'base64');
  if (bytes.length === 0 || bytes.toString('base64') !== kid) throw new TypeError('A key id must be non-empty base64.');
  return bytes;
}

export function sigStructure(protectedBytes: Uint8Array, payload: Uint8Array): Uint8Array {
  return encodeCbor(['Signature1', protectedBytes, EMPTY, payload]);
}

/** Signs `payload` as a tagged COSE_Sign1 with ES256 and the key's kid in the protected header. */
export function signCoseSign1(payload: Uint8Array, key: SigningKey): Uint8Array {
  const protectedBytes = encodeCbor(
    sortedMap([
      [COSE_HEADER.alg, COSE_ALG.ES256],
      [COSE_HEADER.kid, kidBytes(key.kid)],
    ]),
  );
  const signature = sign('sha256', sigStructure(protectedBytes, payload), {
    key: key.privateKey,
    dsaEncoding: 'ieee-p1363',
  });
  return encodeCoseSign1({ protectedBytes, unprotectedHeader: new Map(), payload, signature });
}

export function encodeCoseSign1(parts: {
  protectedBytes: Uint8Array;
  unprotectedHeader: ReadonlyMap<unknown, unknown>;
  payload: Uint8Array;
  signature: Uint8Array;
}): Uint8Array {
  return encodeCbor(
    new Tag([parts.protectedBytes, parts.unprotectedHeader, parts.payload, Uint8Array.from(parts.signature)], COSE_SIGN1_TAG),
  );
}

function isBytes(value: unknown): value is Uint8Array {
  return value instanceof Uint8Array;
}

function headerMap(value: unknown, what: string): ReadonlyMap<unknown, unknown> {
  if (!(value instanceof Map)) throw new TokenError('bad_cose', `The ${what} header is not a map.`);
  return value;
}

export interface DecodeCoseOptions {
  /**
   * Accept the algorithm from the unprotected header when the protected header
   * has none. Off by default (our own tokens pin it in the protected header).
   * The EU DCC profile turns it on for interoperability: the test vector CO20
   * and deployed verifiers accept it. It is safe there only because
   * {@link verifyCoseSign1} also requires the algorithm to be the one bound to
   * the trusted key, so rewriting the unprotected header cannot change how the
   * signature is checked.
   */
  readonly allowUnprotectedAlg?: boolean;
}

/**
 * Parses COSE_Sign1 bytes. Accepts an optional CWT tag (61) and an optional
 * COSE_Sign1 tag (18); any other tag is rejected. Does not verify anything.
 */
export function decodeCoseSign1(bytes: Uint8Array, options: DecodeCoseOptions = {}): CoseSign1 {
  let item = decodeCbor(bytes, 'signed message');
  if (isTag(item, CWT_TAG)) item = item.value;
  if (isTag(item, COSE_SIGN1_TAG)) item = item.value;
  if (!Array.isArray(item) || item.length !== 4) {
    throw new TokenError('bad_cose', 'The signed message is not a COSE_Sign1 structure.');
  }
  const [protectedBytes, unprotected, payload, signature] = item as unknown[];
  if (!isBytes(protectedBytes)) throw new TokenError('bad_cose', 'The protected header is not a byte string.');
  if (!isBytes(payload)) throw new TokenError('bad_cose', 'The payload is missing or not a byte string.');
  if (!isBytes(signature)) throw new TokenError('bad_cose', 'The signature is not a byte string.');
  const unprotectedHeader = headerMap(unprotected, 'unprotected');
  const protectedHeader =
    protectedBytes.length === 0 ? new Map<unknown, unknown>() : headerMap(decodeCbor(protectedBytes, 'protected header'), 'protected');

  if (protectedHeader.has(COSE_HEADER.crit)) {
    throw new TokenError('bad_cose', 'The message has critical header parameters this verifier does not understand.');
  }
  const protectedAlg = protectedHeader.get(COSE_HEADER.alg);
  const unprotectedAlg = unprotectedHeader.get(COSE_HEADER.alg);
  if (protectedAlg !== undefined && unprotectedAlg !== undefined) {
    throw new TokenError('bad_cose', 'The signature algorithm appears in both headers.');
  }
  if (protectedAlg === undefined && (unprotectedAlg === undefined || options.allowUnprotectedAlg !== true)) {
    throw new TokenError('bad_cose', 'The signature algorithm is not in the protected header.');
  }
  const alg = protectedAlg ?? unprotectedAlg;
  if (typeof alg !== 'number' || !Number.isInteger(alg)) {
    throw new TokenError('bad_cose', 'The signature algorithm is not an integer.');
  }

  const protectedKid = protectedHeader.get(COSE_HEADER.kid);
  const unprotectedKid = unprotectedHeader.get(COSE_HEADER.kid);
  if (protectedKid !== undefined && !isBytes(protectedKid)) throw new TokenError('bad_cose', 'The key id is not a byte string.');
  if (unprotectedKid !== undefined && !isBytes(unprotectedKid)) throw new TokenError('bad_cose', 'The key id is not a byte string.');
  const kidRaw = protectedKid ?? unprotectedKid;

  return {
    protectedBytes,
    protectedHeader,
    unprotectedHeader,
    payload,
    signature,
    alg,
    algProtected: protectedAlg !== undefined,
    kid: kidRaw === undefined ? undefined : Buffer.from(kidRaw).toString('base64'),
  };
}

/** Which key ids and algorithms to accept when verifying. */
export interface VerifyOptions {
  readonly algorithms: readonly SignatureAlgorithm[];
}

/**
 * Verifies the signature against the trust store. Returns the key that
 * verified it. Throws 'unsupported_algorithm', 'unknown_kid' or 'bad_signature'.
 */
export function verifyCoseSign1(message: CoseSign1, trust: TrustStore, options: VerifyOptions): TrustedKey {
  const alg = algorithmName(message.alg);
  if (alg === undefined || !options.algorithms.includes(alg)) {
    throw new TokenError('unsupported_algorithm', 'The signature algorithm is not accepted here.');
  }
  if (message.kid === undefined) throw new TokenError('unknown_kid', 'The message names no signing key.');
  const key = trust.lookup(message.kid);
  if (key === undefined) throw new TokenError('unknown_kid', 'The signing key is not in the trust list.');
  const keyAlg = key.alg ?? algorithmForKey(key.publicKey);
  if (keyAlg !== alg || algorithmForKey(key.publicKey) !== alg) {
    throw new TokenError('unsupported_algorithm', "The message's algorithm does not match its signing key.");
  }
  const data = sigStructure(message.protectedBytes, message.payload);
  let ok = false;
  try {
    if (alg === 'ES256') {
      ok = message.signature.length === 64 && verify('sha256', data, { key: key.publicKey, dsaEncoding: 'ieee-p1363' }, message.signature);
    } else {
      ok = verify(
        'sha256',
        data,
        { key: key.publicKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 },
        message.signature,
      );
    }
  } catch {
    ok = false;
  }
  if (!ok) throw new TokenError('bad_signature', 'The signature does not match the signing key.');
  return key;
}
