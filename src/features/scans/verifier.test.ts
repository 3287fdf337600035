import { afterEach, describe, expect, it } from 'vitest';
import { createTrustStore, encodeHealthCode, generateSigningKey, type HealthCodeClaims } from '../../core/token/index.ts';
import { trustedKeyFor } from '../../core/token/keys.ts';
import { fromWireKeys, inlineVerifier, toWireKeys, workerVerifier, type CodeVerifier, type DecodeItem } from './verifier.ts';

const NOW = new Date('2026-11-23T08:00:00Z');
const key = generateSigningKey();
const other = generateSigningKey();
const trusted = [trustedKeyFor(key, { alg: 'ES256', region: 'CN-LX', validFrom: new Date('2026-01-01T00:00:00Z') })];
const trust = createTrustStore(trusted);

function claims(i: number, over: Partial<HealthCodeClaims> = {}): HealthCodeClaims {
  return {
    codeId: i.toString(16).padStart(32, '0'),
    colour: (['green', 'yellow', 'red'] as const)[i % 3]!,
    maskedName: 'Z** Wei',
    birthYear: 1950 + (i % 60),
    rulesetVersion: '2026.11.1',
    region: 'CN-LX',
    issuedAt: new Date(NOW.getTime() - 60_000),
    validUntil: new Date(NOW.getTime() + 4 * 60_000),
    kind: i % 7 === 0 ? 'paper' : 'live',
    ...over,
  };
}

/** Valid, expired, forged, foreign-signed, wrong-region and malformed codes, in a fixed order. */
function mixedItems(n: number): DecodeItem[] {
  return Array.from({ length: n }, (_, i) => {
    const good = encodeHealthCode(claims(i), key);
    switch (i % 6) {
      case 0:
        return { text: good, at: NOW };
      case 1:
        return { text: good, at: new Date(NOW.getTime() + 10 * 60_000) }; // expired by then
      case 2:
        return { text: good.slice(0, -3) + (good.endsWith('00') ? '11' : '00') + good.slice(-1), at: NOW }; // altered
      case 3:
        return { text: encodeHealthCode(claims(i), other), at: NOW }; // a key nobody trusts
      case 4:
        return { text: encodeHealthCode(claims(i, { region: 'CN-XX' }), key), at: NOW }; // key limited to CN-LX
      default:
        return { text: i % 2 ? 'HC1:NOT-A-HEALTHCODE' : 'hello', at: NOW };
    }
  });
}

describe('code verification on worker threads', () => {
  let pool: CodeVerifier | null = null;
  afterEach(async () => {
    await pool?.close();
    pool = null;
  });

  it('keys cross to a worker as SPKI with their limits intact', () => {
    const back = fromWireKeys(toWireKeys(trusted));
    expect(back[0]!.kid).toBe(trusted[0]!.kid);
    expect(back[0]!.publicKey.equals(trusted[0]!.publicKey)).toBe(true);
    expect(back[0]!.region).toBe('CN-LX');
    expect(back[0]!.validFrom).toEqual(trusted[0]!.validFrom);
  });

  it('answers exactly what in-line verification answers, in order, for good and bad codes alike', async () => {
    const items = mixedItems(300);
    const expected = await inlineVerifier(trust).decode(items);
    // the bad kinds really are bad, with different codes
    expect(new Set(expected.filter((r) => !r.ok).map((r) => (r.ok ? '' : r.code))).size).toBeGreaterThanOrEqual(4);
    expect(expected.filter((r) => r.ok)).toHaveLength(50);
    pool = workerVerifier(trusted, trust, 2);
    expect(await pool.decode(items)).toEqual(expected);
    expect(pool.counts).toEqual({ workers: 300, here: 0 });
  });

  it('many callers in one turn (single scans) each get their own answers; a large batch is split across the workers', async () => {
    const items = mixedItems(120);
    const expected = await inlineVerifier(trust).decode(items);
    pool = workerVerifier(trusted, trust, 2);
    const singles = await Promise.all(items.map((i) => pool!.decode([i])));
    expect(singles.map((r) => r[0])).toEqual(expected);
    const big = mixedItems(2000);
    const [a, b] = await Promise.all([pool.decode(big), pool.decode(items)]);
    expect(a).toEqual(await inlineVerifier(trust).decode(big));
    expect(b).toEqual(expected);
    expect(await pool.decode([])).toEqual([]);
    expect(pool.counts).toEqual({ workers: 120 + 2000 + 120, here: 0 });
  });

  it('codes held by workers when the pool stops are still answered (on this thread), and so are later ones', async () => {
    const items = mixedItems(600);
    const expected = await inlineVerifier(trust).decode(items);
    pool = workerVerifier(trusted, trust, 2);
    await pool.decode(items.slice(0, 10)); // the workers are up
    const pending = pool.decode(items);
    await new Promise((r) => setImmediate(r)); // shipped to the workers
    await pool.close();
    expect(await pending).toEqual(expected);
    expect(await pool.decode(items.slice(0, 6))).toEqual(expected.slice(0, 6));
    // the first ten by the workers; of the 600 some or all were taken back when they stopped, and the last six here
    expect(pool.counts.workers + pool.counts.here).toBe(10 + 600 + 6);
    expect(pool.counts.here).toBeGreaterThanOrEqual(6 + 1);
  });

  it('with no workers it verifies in-line', async () => {
    const items = mixedItems(12);
    pool = workerVerifier(trusted, trust, 0);
    expect(await pool.decode(items)).toEqual(await inlineVerifier(trust).decode(items));
    expect(pool.counts).toEqual({ workers: 0, here: 12 });
  });
});
