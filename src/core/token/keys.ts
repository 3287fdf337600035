/**
 * Signing keys and trust stores. Keys are always passed in as parameters; this
 * module never reads them from disk or the environment.
 */
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync } from 'node:crypto';
import type { KeyObject, X509Certificate } from 'node:crypto';

export type SignatureAlgorithm = 'ES256' | 'PS256';

export interface SigningKey {
  /** base64 of 8 bytes: see {@link kidFor}. */
  readonly kid: string;
  readonly privateKey: KeyObject;
  readonly publicKey: KeyObject;
}

export interface TrustedKey {
  readonly kid: string;
  readonly publicKey: KeyObject;
  /** When absent, derived from the key type (EC P-256 → ES256, RSA → PS256). */
  readonly alg?: SignatureAlgorithm;
  readonly certificate?: X509Certificate;
  /** When set, the key may only sign codes whose issuing region is this one. */
  readonly region?: string;
  /** When set, the key may only sign codes issued within [validFrom, validUntil]. */
  readonly validFrom?: Date;
  readonly validUntil?: Date;
}

export interface TrustStore {
  lookup(kid: string): TrustedKey | undefined;
}

/** Key id: base64 of the first 8 bytes of SHA-256 over the SPKI DER of the public key. */
export function kidFor(publicKey: KeyObject): string {
  const spki = publicKey.export({ format: 'der', type: 'spki' });
  return createHash('sha256').update(spki).digest().subarray(0, 8).toString('base64');
}

/**
 * Key id of an EU DCC document signer certificate: base64 of the first 8 bytes
 * of SHA-256 over the whole certificate DER (not just its SPKI).
 */
export function kidForCertificate(certificate: X509Certificate): string {
  return createHash('sha256').update(certificate.raw).digest().subarray(0, 8).toString('base64');
}

export function generateSigningKey(): SigningKey {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return { kid: kidFor(publicKey), privateKey, publicKey };
}

export interface ExportedSigningKey {
  readonly kid: string;
  /** PKCS#8 PEM. */
  readonly privateKeyPem: string;
  /** SPKI PEM. */
  readonly publicKeyPem: string;
}

export function exportSigningKey(key: SigningKey): ExportedSigningKey {
  return {
    kid: key.kid,
    privateKeyPem: key.privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
    publicKeyPem: key.publicKey.export({ format: 'pem', type: 'spki' }).toString(),
  };
}

/**
 * Rebuilds a signing key from its PKCS#8 PEM (the public key is derived from
 * the private one). When `publicKeyPem` or `kid` are given they must agree.
 */
export function importSigningKey(exported: { privateKeyPem: string; publicKeyPem?: string; kid?: string }): SigningKey {
  const privateKey = createPrivateKey({ key: exported.privateKeyPem, format: 'pem' });
  if (privateKey.asymmetricKeyType !== 'ec' || privateKey.asymmetricKeyDetails?.namedCurve !== 'prime256v1') {
    throw new TypeError('A signing key must be an EC P-256 private key.');
  }
  const publicKey = createPublicKey(privateKey);
  if (exported.publicKeyPem !== undefined) {
    const stored = createPublicKey({ key: exported.publicKeyPem, format: 'pem' });
    if (!stored.equals(publicKey)) throw new TypeError('The stored public key does not belong to the private key.');
  }
  const kid = kidFor(publicKey);
  if (exported.kid !== undefined && exported.kid !== kid) {
    throw new TypeError('The stored key id does not match the key.');
  }
  return { kid, privateKey, publicKey };
}

/** The algorithm a public key can verify, or undefined for key types we do not support. */
export function algorithmForKey(publicKey: KeyObject): SignatureAlgorithm | undefined {
  if (publicKey.asymmetricKeyType === 'ec' && publicKey.asymmetricKeyDetails?.namedCurve === 'prime256v1') return 'ES256';
  if (publicKey.asymmetricKeyType === 'rsa' || publicKey.asymmetricKeyType === 'rsa-pss') return 'PS256';
  return undefined;
}

export function trustedKeyFor(key: Pick<SigningKey, 'kid' | 'publicKey'>, extra: Omit<TrustedKey, 'kid' | 'publicKey'> = {}): TrustedKey {
  return { kid: key.kid, publicKey: key.publicKey, ...extra };
}

/** An in-memory trust store. Key ids must be unique. */
export function createTrustStore(keys: readonly TrustedKey[]): TrustStore {
  const byKid = new Map<string, TrustedKey>();
  for (const key of keys) {
    if (byKid.has(key.kid)) throw new TypeError(`Duplicate key id in trust store: ${key.kid}`);
    byKid.set(key.kid, Object.freeze({ ...key }));
  }
  return Object.freeze({ lookup: (kid: string) => byKid.get(kid) });
}
