import { sign } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { TokenError } from './errors.ts';
import type { TokenErrorCode } from './errors.ts';
import { decodeHealthCode, encodeHealthCode } from './healthcode.ts';
import { createTrustStore, generateSigningKey } from './keys.ts';
import { signTrustList, TRUST_LIST_TYP, trustListKeyFor, trustStoreFromList, verifyTrustList } from './trust-list.ts';
import type { TrustListDoc } from './trust-list.ts';

const root = generateSigningKey();
const roots = createTrustStore([{ kid: root.kid, publicKey: root.publicKey }]);
const issuing = generateSigningKey();
const doc: TrustListDoc = {
  version: 1,
  issuer: 'healthcode.example',
  issuedAt: '2025-06-01T00:00:00.000Z',
  expiresAt: '2025-06-08T00:00:00.000Z',
  keys: [trustListKeyFor(issuing, { region: 'CN-31', validFrom: new Date('2025-01-01T00:00:00Z'), validUntil: null })],
};
const now = new Date('2025-06-02T00:00:00Z');

function errorCode(fn: () => unknown): TokenErrorCode | 'no error' {
  try {
    fn();
  } catch (error) {
    if (error instanceof TokenError) return error.code;
    throw error;
  }
  return 'no error';
}

const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

describe('signed trust list', () => {
  test('sign → verify round trip, header as documented', () => {
    const jws = signTrustList(doc, root);
    const [header] = jws.split('.');
    expect(JSON.parse(Buffer.from(header!, 'base64url').toString())).toEqual({ alg: 'ES256', kid: root.kid, typ: TRUST_LIST_TYP });
    expect(verifyTrustList(jws, roots, now)).toEqual(doc);
  });

  test('the listed keys verify healthcodes, with their region pinned', () => {
    const store = trustStoreFromList(verifyTrustList(signTrustList(doc, root), roots, now));
    const claims = {
      codeId: 'aa',
      colour: 'red' as const,
      maskedName: 'L* Na',
      birthYear: 1970,
      rulesetVersion: '1',
      region: 'CN-31',
      issuedAt: now,
      validUntil: new Date(now.getTime() + 300_000),
      kind: 'live' as const,
    };
    expect(decodeHealthCode(encodeHealthCode(claims, issuing), store, now).colour).toBe('red');
    expect(errorCode(() => decodeHealthCode(encodeHealthCode({ ...claims, region: 'CN-11' }, issuing), store, now))).toBe('key_usage');
  });

  test('WebCrypto in a browser can verify it (ES256, raw r||s, base64url)', async () => {
    const jws = signTrustList(doc, root);
    const [header, payload, signature] = jws.split('.') as [string, string, string];
    const spki = root.publicKey.export({ format: 'der', type: 'spki' });
    const subtle = globalThis.crypto.subtle;
    const publicKey = await subtle.importKey('spki', spki, { name: 'ECDSA', namedCurve: 'P-256' }, false, ['verify']);
    const data = new TextEncoder().encode(`${header}.${payload}`);
    const sig = Buffer.from(signature, 'base64url');
    expect(sig).toHaveLength(64);
    expect(await subtle.verify({ name: 'ECDSA', hash: 'SHA-256' }, publicKey, sig, data)).toBe(true);
    const tampered = new TextEncoder().encode(`${header}.${payload}x`);
    expect(await subtle.verify({ name: 'ECDSA', hash: 'SHA-256' }, publicKey, sig, tampered)).toBe(false);
  });

  test('a tampered payload → bad_signature', () => {
    const [header, , signature] = signTrustList(doc, root).split('.');
    const evil = { ...doc, keys: [trustListKeyFor(generateSigningKey(), { region: 'CN-31', validFrom: new Date(0), validUntil: null })] };
    expect(errorCode(() => verifyTrustList(`${header}.${b64url(evil)}.${signature}`, roots, now))).toBe('bad_signature');
  });

  test('now > expiresAt → stale_trust_list; exactly at expiresAt still fresh', () => {
    const jws = signTrustList(doc, root);
    expect(errorCode(() => verifyTrustList(jws, roots, new Date(doc.expiresAt)))).toBe('no error');
    expect(errorCode(() => verifyTrustList(jws, roots, new Date(Date.parse(doc.expiresAt) + 1)))).toBe('stale_trust_list');
    expect(errorCode(() => verifyTrustList(jws, roots, new Date(Date.parse(doc.issuedAt) - 3_600_000)))).toBe('not_yet_valid');
  });

  test('an unknown root → unknown_kid; a non-root signer → unknown_kid', () => {
    expect(errorCode(() => verifyTrustList(signTrustList(doc, generateSigningKey()), roots, now))).toBe('unknown_kid');
    expect(errorCode(() => verifyTrustList(signTrustList(doc, root), createTrustStore([]), now))).toBe('unknown_kid');
  });

  test('header tampering', () => {
    const [, payload, signature] = signTrustList(doc, root).split('.');
    const withHeader = (h: unknown) => `${b64url(h)}.${payload}.${signature}`;
    expect(errorCode(() => verifyTrustList(withHeader({ alg: 'none', kid: root.kid, typ: TRUST_LIST_TYP }), roots, now))).toBe('unsupported_algorithm');
    expect(errorCode(() => verifyTrustList(withHeader({ alg: 'HS256', kid: root.kid, typ: TRUST_LIST_TYP }), roots, now))).toBe('unsupported_algorithm');
    expect(errorCode(() => verifyTrustList(withHeader({ alg: 'ES256', kid: root.kid, typ: 'JWT' }), roots, now))).toBe('wrong_kind');
    // Header changed → signing input changed → signature no longer matches.
    expect(errorCode(() => verifyTrustList(withHeader({ alg: 'ES256', kid: root.kid, typ: TRUST_LIST_TYP, x: 1 }), roots, now))).toBe('bad_signature');
  });

  test('malformed envelopes → bad_signature, never another kind of error', () => {
    const jws = signTrustList(doc, root);
    for (const text of ['', 'a.b', 'a.b.c.d', jws + '=', jws.replace('.', '.+'), '!!.!!.!!', `${Buffer.from('not json').toString('base64url')}.e30.AA`]) {
      expect(errorCode(() => verifyTrustList(text, roots, now))).toBe('bad_signature');
    }
  });

  test('a signed document with the wrong shape → bad_claims', () => {
    const bad: unknown[] = [
      { ...doc, version: 2 },
      { ...doc, expiresAt: 'next week' },
      { ...doc, keys: [{ ...doc.keys[0]!, kid: 'AAAAAAAAAAA=' }] },
      { ...doc, keys: [{ ...doc.keys[0]!, alg: 'PS256' }] },
      { ...doc, keys: [doc.keys[0], doc.keys[0]] },
      { ...doc, keys: [{ ...doc.keys[0]!, publicKeySpki: 'AAAA' }] },
    ];
    for (const value of bad) {
      // Sign the bad shape directly (signTrustList itself refuses to sign it).
      expect(() => signTrustList(value as TrustListDoc, root)).toThrow(TokenError);
      const header = b64url({ alg: 'ES256', kid: root.kid, typ: TRUST_LIST_TYP });
      const input = `${header}.${b64url(value)}`;
      const signature = sign('sha256', Buffer.from(input), { key: root.privateKey, dsaEncoding: 'ieee-p1363' }).toString('base64url');
      expect(errorCode(() => verifyTrustList(`${input}.${signature}`, roots, now))).toBe('bad_claims');
    }
  });
});
