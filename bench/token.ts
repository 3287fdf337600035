// npm run bench:token [-- --seconds 3]
//
// Decode + verify healthcodes (HCQ1: base45 → CBOR → COSE_Sign1 ES256 against the trust list →
// claims and expiry) per second, against bare node:crypto ES256 verification (ieee-p1363, as
// COSE signs) of payloads of the same size with the same key, measured in the same run; then
// the same decode on two worker threads against one thread. Prints rates and ratios; asserts
// nothing about time.
import crypto from 'node:crypto';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import { decodeHealthCode, encodeHealthCode, generateSigningKey, type SigningKey } from '../src/core/token/index.ts';
import { keyRingFrom } from '../src/features/keys/service.ts';

const N = 2000;
const NOW = new Date('2026-11-23T08:00:00Z');

function makeTokens(key: SigningKey): string[] {
  return Array.from({ length: N }, (_, i) =>
    encodeHealthCode(
      {
        codeId: crypto.randomBytes(16).toString('hex'),
        colour: i % 10 === 0 ? 'yellow' : 'green',
        maskedName: 'Z** Wei',
        birthYear: 1950 + (i % 60),
        rulesetVersion: '2026.11.1',
        region: 'CN-LX',
        issuedAt: NOW,
        validUntil: new Date(NOW.getTime() + 5 * 60_000),
        kind: 'live',
      },
      key,
    ),
  );
}

import { rate } from './token-worker.ts';

await main();

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { seconds: { type: 'string', default: '3' } } });
  const seconds = Number(values.seconds);
  const key = generateSigningKey();
  const ring = keyRingFrom(key, 'CN-LX');
  const tokens = makeTokens(key);

  // the baseline: the same key, payloads of a token's size, signatures in COSE's format
  const payloads = Array.from({ length: N }, () => crypto.randomBytes(Math.round(tokens[0]!.length * 0.6)));
  const sigs = payloads.map((p) => crypto.sign('sha256', p, { key: key.privateKey, dsaEncoding: 'ieee-p1363' }));
  const pub = key.publicKey;
  for (const t of tokens.slice(0, 10)) decodeHealthCode(t, ring.trust, NOW); // they are valid

  const rounds: { bare: number; decode: number }[] = [];
  for (let r = 0; r < 3; r++) {
    const bare = rate(seconds, (i) => {
      if (!crypto.verify('sha256', payloads[i % N]!, { key: pub, dsaEncoding: 'ieee-p1363' }, sigs[i % N]!)) throw new Error('bad');
    });
    const decode = rate(seconds, (i) => decodeHealthCode(tokens[i % N]!, ring.trust, NOW));
    rounds.push({ bare, decode });
  }
  const median = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const bare = median(rounds.map((r) => r.bare));
  const decode = median(rounds.map((r) => r.decode));

  // worker threads: the keys travel as PEM; each worker builds its own trust store
  const pem = key.publicKey.export({ type: 'spki', format: 'pem' }) as string;
  const workerRate = async (threads: number): Promise<number> => {
    const rs = await Promise.all(
      Array.from({ length: threads }, (_, w) =>
        new Promise<number>((resolve, reject) => {
          // a worker loads TypeScript through tsx's API, as bin/healthcode.js does
          const entry = new URL('./token-worker.ts', import.meta.url).href;
          const worker = new Worker(`import('tsx/esm/api').then((m) => { m.register(); return import(${JSON.stringify(entry)}); })`, {
            eval: true,
            workerData: { pem, kid: key.kid, tokens: tokens.filter((_, i) => i % threads === w), seconds },
          });
          worker.once('message', resolve);
          worker.once('error', reject);
        }),
      ),
    );
    return rs.reduce((a, b) => a + b, 0);
  };
  const one = await workerRate(1);
  const two = await workerRate(2);

  const f = (n: number) => `${Math.round(n).toLocaleString('en')}/s`;
  console.log(`tokens: ${N} distinct HCQ1 codes, ~${tokens[0]!.length} characters; ${seconds} s per measurement, median of 3 rounds`);
  console.log(`bare node:crypto ES256 verify (ieee-p1363)     ${f(bare)}`);
  console.log(`healthcode decode + verify, main thread         ${f(decode)}   ratio ${(decode / bare).toFixed(2)} × bare verify (target ≥ 0.8)`);
  console.log(`healthcode decode + verify, 1 worker thread     ${f(one)}`);
  console.log(`healthcode decode + verify, 2 worker threads    ${f(two)}   ratio ${(two / one).toFixed(2)} × one thread (target ≥ 1.6; ${2} cores here, shared with the main thread)`);
}
