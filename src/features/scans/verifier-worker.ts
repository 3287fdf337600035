// A worker thread of the code verifier (verifier.ts): holds the trust store it was started with
// and answers each message's codes in order.
import { parentPort, workerData } from 'node:worker_threads';
import { createTrustStore } from '../../core/token/index.ts';
import { decodeOne, fromWireKeys, type DecodeResult, type WireKey, type WorkerReply } from './verifier.ts';

const trust = createTrustStore(fromWireKeys((workerData as { keys: WireKey[] }).keys));

parentPort!.on('message', (m: { id: number; items: { text: string; at: number }[] }) => {
  let reply: WorkerReply;
  try {
    const results: DecodeResult[] = m.items.map((i) => decodeOne(i.text, trust, new Date(i.at)));
    reply = { id: m.id, results };
  } catch (e) {
    reply = { id: m.id, fault: e instanceof Error ? e.message : String(e) };
  }
  parentPort!.postMessage(reply);
});
