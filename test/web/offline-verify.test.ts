// The checkpoint's in-browser verifier (web/shared/offline-verify.ts, WebCrypto) against tokens and
// trust lists made by the server's own codec (src/core/token).
import { sign } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  createTrustStore,
  decodeBase45,
  decodeHealthCode,
  encodeBase45,
  encodeHealthCode,
  generateSigningKey,
  signTrustList,
  trustedKeyFor,
  trustListKeyFor,
  type HealthCodeClaims,
  type SigningKey,
  type TrustListDoc,
} from '../../src/core/token/index.ts';
import { decodeCbor, encodeCbor, Tag } from '../../src/core/token/cbor.ts';
import {
  decodeHealthCodeOffline,
  offlineVerdict,
  REVOCATION_LIST_TYP,
  verifyRevocationListJws,
  verifyTrustListJws,
  type BrowserTrust,
} from '../../web/shared/offline-verify.ts';

const NOW = new Date('2026-11-23T08:00:00.000Z');
const key = generateSigningKey();
const other = generateSigningKey();

function claims(over: Partial<HealthCodeClaims> = {}): HealthCodeClaims {
  return {
    codeId: '00112233445566778899aabbccddeeff',
    colour: 'yellow',
    maskedName: 'Z** Wei',
    birthYear: 1990,
    rulesetVersion: '2026.1',
    region: 'CN-LX',
    issuedAt: new Date(NOW.getTime() - 60_000),
    validUntil: new Date(NOW.getTime() + 4 * 60_000),
    kind: 'live',
    ...over,
  };
}

function trustListJws(keys: SigningKey[], signer: SigningKey, over: Partial<TrustListDoc> = {}): string {
  const doc: TrustListDoc = {
    version: 1,
    issuer: 'CN-LX',
    issuedAt: NOW.toISOString(),
    expiresAt: new Date(NOW.getTime() + 48 * 3_600_000).toISOString(),
    keys: keys.map((k) => trustListKeyFor(k, { region: 'CN-LX', validFrom: new Date(0), validUntil: null })),
    ...over,
  };
  return signTrustList(doc, signer);
}

async function trustOf(keys: SigningKey[], revoked: string[] = []): Promise<BrowserTrust> {
  const { trust } = await verifyTrustListJws(trustListJws(keys, keys[0]!), NOW);
  return { keys: trust, revoked: new Set(revoked) };
}

function b64url(s: string | Uint8Array): string {
  return Buffer.from(s).toString('base64url');
}

describe('offline verifier (WebCrypto)', () => {
  it('verifies a code made by the server codec, with the same claims the server reads', async () => {
    const token = encodeHealthCode(claims(), key);
    const c = await decodeHealthCodeOffline(token, await trustOf([key]), NOW);
    const server = decodeHealthCode(token, createTrustStore([trustedKeyFor(key, { region: 'CN-LX' })]), NOW);
    expect(c).toEqual(server);
    const v = await offlineVerdict(token, await trustOf([key]), NOW);
    expect(v).toMatchObject({ ok: true, pass: false, colour: 'yellow', maskedName: 'Z** Wei', birthYear: 1990, error: null, kind: 'live', colourSource: 'token' });
    expect((await offlineVerdict(encodeHealthCode(claims({ colour: 'green', kind: 'paper' }), key), await trustOf([key]), NOW)).pass).toBe(true);
  });

  it('refuses tampered, expired, not-yet-valid, unknown-kid, wrong-region, revoked and non-healthcode texts', async () => {
    const trust = await trustOf([key]);
    const token = encodeHealthCode(claims(), key);
    // tamper with the payload: change the colour byte, keep the signature
    const cose = decodeCbor(decodeBase45(token.slice(5)), 'x') as Tag;
    const [p, u, payload, sig] = cose.value as [Uint8Array, Map<number, unknown>, Uint8Array, Uint8Array];
    const m = decodeCbor(payload, 'x') as Map<number, unknown>;
    (m.get(-70001) as Map<number, unknown>).set(1, 1); // yellow → green
    const tampered = 'HCQ1:' + encodeBase45(encodeCbor(new Tag([p, u, encodeCbor(m), sig], 18)));
    const err = async (text: string, t = trust, now = NOW) => (await offlineVerdict(text, t, now)).error;
    expect(await err(tampered)).toBe('bad_signature');
    // the alg moved to the unprotected header
    expect(await err('HCQ1:' + encodeBase45(encodeCbor(new Tag([p, new Map([[1, -7]]), payload, sig], 18))))).toBe('bad_cose');
    expect(await err(token, trust, new Date(claims().validUntil.getTime() + 1))).toBe('expired');
    expect(await err(token, trust, claims().validUntil)).toBeNull(); // inclusive at exp
    expect(await err(token, trust, new Date(claims().issuedAt.getTime() - 61_000))).toBe('not_yet_valid');
    expect(await err(encodeHealthCode(claims(), other))).toBe('unknown_kid');
    expect(await err(encodeHealthCode(claims({ region: 'CN-31' }), key))).toBe('key_usage');
    expect(await err(token, { keys: trust.keys, revoked: new Set([claims().codeId]) })).toBe('revoked');
    expect(await err('https://example.com/x')).toBe('bad_prefix');
    expect(await err('HC1:6BF')).toBe('wrong_kind');
    expect(await err('HCQ1:!!')).toBe('bad_base45');
    expect(await err('HCQ1:' + 'A'.repeat(5000))).toBe('too_large');
    // a truncated code
    expect(await err(token.slice(0, token.length - 3))).not.toBeNull();
  });

  it('verifies the trust list JWS: kids match keys, signature by a listed (or pinned) key, stale lists still load', async () => {
    const jws = trustListJws([key, other], key);
    const { doc, trust } = await verifyTrustListJws(jws, NOW);
    expect(doc.keys.map((k) => k.kid)).toEqual([key.kid, other.kid]);
    expect([...trust.keys()]).toEqual([key.kid, other.kid]);
    // expired lists still parse: the scanner warns instead of failing silently
    const later = new Date(NOW.getTime() + 100 * 3_600_000);
    expect((await verifyTrustListJws(jws, later)).doc.expiresAt).toBe(doc.expiresAt);
    // a signer outside the pinned keys is refused
    await expect(verifyTrustListJws(trustListJws([other], other), NOW, trust.size ? new Map([[key.kid, trust.get(key.kid)!]]) : undefined)).rejects.toMatchObject({
      code: 'unknown_kid',
    });
    // forged signature
    const parts = jws.split('.');
    const forged = `${parts[0]}.${b64url(JSON.stringify({ ...doc, expiresAt: '2099-01-01T00:00:00.000Z' }))}.${parts[2]}`;
    await expect(verifyTrustListJws(forged, NOW)).rejects.toMatchObject({ code: 'bad_signature' });
    // a key whose kid does not match its SPKI
    const badDoc = { ...doc, keys: [{ ...doc.keys[0]!, kid: other.kid }] };
    await expect(verifyTrustListJws(forgeJws({ alg: 'ES256', kid: other.kid, typ: 'healthcode-trust-list+jws' }, badDoc, other), NOW)).rejects.toMatchObject({
      code: 'bad_claims',
    });
    await expect(verifyTrustListJws('a.b', NOW)).rejects.toMatchObject({ code: 'bad_signature' });
  });

  it('verifies a revocation list signed by a trusted key', async () => {
    const trust = await trustOf([key]);
    const doc = { version: 1, issuer: 'CN-LX', issuedAt: NOW.toISOString(), expiresAt: new Date(NOW.getTime() + 3_600_000).toISOString(), revoked: ['aabb'] };
    const jws = forgeJws({ alg: 'ES256', kid: key.kid, typ: REVOCATION_LIST_TYP }, doc, key);
    expect((await verifyRevocationListJws(jws, trust.keys)).revoked).toEqual(['aabb']);
    await expect(verifyRevocationListJws(forgeJws({ alg: 'ES256', kid: other.kid, typ: REVOCATION_LIST_TYP }, doc, other), trust.keys)).rejects.toMatchObject({
      code: 'unknown_kid',
    });
    await expect(verifyRevocationListJws(forgeJws({ alg: 'ES256', kid: key.kid, typ: 'other' }, doc, key), trust.keys)).rejects.toMatchObject({ code: 'wrong_kind' });
  });
});

function forgeJws(header: object, payload: object, signer: SigningKey): string {
  const input = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(payload))}`;
  return `${input}.${b64url(sign('sha256', Buffer.from(input), { key: signer.privateKey, dsaEncoding: 'ieee-p1363' }))}`;
}
