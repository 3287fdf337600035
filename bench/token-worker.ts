// A worker thread of bench/token.ts: decodes its share of the tokens for the given time and
// posts its rate. Also exports the timing loop both use.
import crypto from 'node:crypto';
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { createTrustStore, decodeHealthCode } from '../src/core/token/index.ts';

/** Runs `fn(i)` in a loop for `seconds`; returns calls per second. */
export function rate(seconds: number, fn: (i: number) => void): number {
  for (let i = 0; i < 500; i++) fn(i); // warm up
  const start = performance.now();
  let n = 0;
  while (performance.now() - start < seconds * 1000) {
    for (let k = 0; k < 200; k++) fn(n++);
  }
  return (n * 1000) / (performance.now() - start);
}

if (!isMainThread && parentPort) {
  const { pem, kid, tokens, seconds } = workerData as { pem: string; kid: string; tokens: string[]; seconds: number };
  const trust = createTrustStore([{ kid, publicKey: crypto.createPublicKey(pem), alg: 'ES256', region: 'CN-LX' }]);
  const now = new Date('2026-11-23T08:00:00Z');
  parentPort.postMessage(rate(seconds, (i) => decodeHealthCode(tokens[i % tokens.length]!, trust, now)));
}
