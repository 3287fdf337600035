import { createHash, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { createTrustStore, exportSigningKey, generateSigningKey, importSigningKey, kidFor } from './keys.ts';

describe('keys', () => {
  test('kid = base64 of the first 8 bytes of SHA-256 over the SPKI DER', () => {
    const key = generateSigningKey();
    const spki = key.publicKey.export({ format: 'der', type: 'spki' });
    const expected = createHash('sha256').update(spki).digest().subarray(0, 8).toString('base64');
    expect(key.kid).toBe(expected);
    expect(kidFor(key.publicKey)).toBe(expected);
    expect(Buffer.from(key.kid, 'base64')).toHaveLength(8);
    expect(key.publicKey.asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
  });

  test('kid of a known public key', () => {
    // The checked-in fixture key (test/fixtures/keys/healthcode-test-es256.pub.pem).
    const pem = [
      '-----BEGIN PUBLIC KEY-----',
      'MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEjlea5TBkG8DXFvGoT+P0YYkKdfz4',
      'OH3eWTKVNYBZy4uYikfLn4C27KUwfbuEYOlVMZaqUXEpfFlAt17vSH6fUA==',
      '-----END PUBLIC KEY-----',
    ].join('\n');
    expect(kidFor(createPublicKey(pem))).toBe('u1IatPYsaPg=');
  });

  test('export → import round trip through PEM', () => {
    const key = generateSigningKey();
    const exported = exportSigningKey(key);
    expect(exported.privateKeyPem).toMatch(/^-----BEGIN PRIVATE KEY-----/);
    expect(exported.publicKeyPem).toMatch(/^-----BEGIN PUBLIC KEY-----/);
    const imported = importSigningKey(exported);
    expect(imported.kid).toBe(key.kid);
    expect(imported.publicKey.equals(key.publicKey)).toBe(true);
    expect(importSigningKey({ privateKeyPem: exported.privateKeyPem }).kid).toBe(key.kid);
  });

  test('import refuses mismatched parts and non-P-256 keys', () => {
    const a = exportSigningKey(generateSigningKey());
    const b = exportSigningKey(generateSigningKey());
    expect(() => importSigningKey({ ...a, publicKeyPem: b.publicKeyPem })).toThrow(TypeError);
    expect(() => importSigningKey({ ...a, kid: b.kid })).toThrow(TypeError);
    const p384 = generateKeyPairSync('ec', { namedCurve: 'P-384' }).privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    expect(() => importSigningKey({ privateKeyPem: p384 })).toThrow(TypeError);
  });

  test('trust store looks keys up by kid and refuses duplicates', () => {
    const a = generateSigningKey();
    const b = generateSigningKey();
    const store = createTrustStore([a, b].map((k) => ({ kid: k.kid, publicKey: k.publicKey })));
    expect(store.lookup(a.kid)?.publicKey.equals(a.publicKey)).toBe(true);
    expect(store.lookup('AAAAAAAAAAA=')).toBeUndefined();
    expect(() => createTrustStore([a, a].map((k) => ({ kid: k.kid, publicKey: k.publicKey })))).toThrow(TypeError);
  });
});
