// The real server, killed: a stream of scans, `kill -9` in the middle, a restart, and every
// acknowledged event id is stored exactly once (scans and ledger agree). Then SIGTERM during a
// burst: the server drains, exits 0, and again every acknowledged scan is stored.
import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/db/connect.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { seedDemo, DEMO_PASSWORD } from '../../src/features/demo/seed.ts';
import { ensureIdHashKey, initKeys, loadKeyRing } from '../../src/features/keys/service.ts';
import { loadRuleBook } from '../../src/features/rules/book.ts';
import { cryptoRandom } from '../../src/support/clock.ts';
import { REPO_ROOT } from '../support/app.ts';
import { DIALECTS, pgAdminUrl } from '../support/db.ts';

const BIN = path.join(REPO_ROOT, 'bin', 'healthcode.js');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Server {
  child: ChildProcess;
  url: string;
  exited: Promise<number | null>;
}

async function startServer(env: Record<string, string>): Promise<Server> {
  const child = spawn(process.execPath, [BIN, 'serve'], {
    env: { ...process.env, PORT: '0', HOST: '127.0.0.1', HEALTHCODE_SEED_DEMO: 'false', HEALTHCODE_SCHEDULER_SECONDS: '0', HEALTHCODE_LOG_LEVEL: 'warn', HEALTHCODE_LIVE_CODE_MINUTES: '60', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  let out = '';
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start: ${out}`)), 60_000);
    const onData = (d: Buffer) => {
      out += d.toString();
      const m = /holder app\s+(http:\/\/localhost:\d+)\//.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!.replace('localhost', '127.0.0.1'));
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    child.once('exit', (code) => reject(new Error(`server exited with ${code}: ${out}`)));
  });
  return { child, url, exited };
}

async function login(url: string, path_: string, body: object, cookieName: string): Promise<string> {
  const res = await fetch(url + path_, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const set = res.headers.getSetCookie().find((c) => c.startsWith(`${cookieName}=`));
  if (!set) throw new Error(`log-in failed: ${res.status} ${await res.text()}`);
  return set.split(';')[0]!;
}

/**
 * Concurrent checkpoints posting scans until stop() — or until the server vanishes. Returns the
 * ids acknowledged (201/200) and every id sent.
 */
function streamScans(url: string, cookie: string, token: string, workers: number) {
  const acked = new Set<string>();
  const sent: string[] = [];
  const statuses = new Map<number, number>();
  let stopped = false;
  const run = async () => {
    while (!stopped) {
      const eventId = crypto.randomUUID();
      sent.push(eventId);
      try {
        const res = await fetch(`${url}/api/checkpoint/scans`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', cookie },
          body: JSON.stringify({ eventId, venueId: 'V0001', code: token, scannedAt: new Date().toISOString(), mode: 'camera' }),
        });
        await res.text();
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        if (res.status === 201 || res.status === 200) acked.add(eventId);
      } catch {
        return; // the server is gone
      }
    }
  };
  const done = Promise.all(Array.from({ length: workers }, run));
  return {
    acked,
    sent,
    statuses,
    async stop() {
      stopped = true;
      await done;
    },
    done,
  };
}

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c().catch(() => {});
});

describe.each(DIALECTS)('the server killed during a stream of scans, on %s', (dialect) => {
  it('kill -9, restart: every acknowledged event id is stored exactly once; SIGTERM drains', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hc-crash-'));
    cleanups.push(async () => fs.rmSync(dir, { recursive: true, force: true }));
    let url = `sqlite:${path.join(dir, 'hc.db')}`;
    if (dialect === 'postgres') {
      const name = `hc_crash_${crypto.randomBytes(4).toString('hex')}`;
      const admin = new pg.Client({ connectionString: pgAdminUrl() });
      await admin.connect();
      await admin.query(`create database ${name}`);
      await admin.end();
      cleanups.push(async () => {
        const c = new pg.Client({ connectionString: pgAdminUrl() });
        await c.connect();
        await c.query(`drop database if exists ${name} with (force)`);
        await c.end();
      });
      const u = new URL(pgAdminUrl()!);
      u.pathname = `/${name}`;
      url = u.toString();
    }
    // the city: keys, venues, the checkpoint1 account, three holders
    const store = openStore(url);
    try {
      await migrateToLatest(store.db);
      const now = new Date();
      await initKeys(store.db, { region: 'CN-LX', now });
      const ctx = {
        now,
        random: cryptoRandom,
        keys: (await loadKeyRing(store.db))!,
        rules: await loadRuleBook(store.db, now),
        idHashKey: await ensureIdHashKey(store.db, cryptoRandom, now),
        timeZone: 'Asia/Shanghai',
        liveCodeMinutes: 5,
      };
      await seedDemo(store.db, { holders: 3, seed: 1, scansPerHolder: 1 }, ctx);
    } finally {
      await store.close();
    }
    const env = { HEALTHCODE_DATABASE_URL: url, HEALTHCODE_DATA_DIR: dir };

    let server = await startServer(env);
    cleanups.push(async () => void server.child.kill('SIGKILL'));
    const staff = await login(server.url, '/api/staff/login', { username: 'checkpoint1', password: DEMO_PASSWORD }, 'hc_staff');
    const holder = await login(server.url, '/api/holder/login', { phone: '13800000001', password: DEMO_PASSWORD }, 'hc_holder');
    const token = ((await (await fetch(`${server.url}/api/holder/code`, { headers: { cookie: holder } })).json()) as { token: string }).token;

    const stream = streamScans(server.url, staff, token, 16);
    while (stream.acked.size < 300) await sleep(20);
    server.child.kill('SIGKILL');
    await stream.done;
    expect(await server.exited).toBe(null); // killed, no clean exit
    const acked = [...stream.acked];
    expect(acked.length).toBeGreaterThanOrEqual(300);
    expect([...stream.statuses.keys()]).toEqual([201]);

    server = await startServer(env);
    const check = openStore(url);
    try {
      const count = async (table: 'scans' | 'scan_event_ids', ids: string[]) => {
        let n = 0;
        for (let i = 0; i < ids.length; i += 500) {
          const r = await check.db.selectFrom(table).select((e) => e.fn.countAll().as('n')).where('event_id', 'in', ids.slice(i, i + 500)).executeTakeFirstOrThrow();
          n += Number(r.n);
        }
        return n;
      };
      const all = async (table: 'scans' | 'scan_event_ids') => Number((await check.db.selectFrom(table).select((e) => e.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
      expect(await count('scans', acked)).toBe(acked.length);
      expect(await count('scan_event_ids', acked)).toBe(acked.length);
      expect(await all('scans')).toBe(await all('scan_event_ids')); // no half-written scan

      // the checkpoints retry everything they sent (they cannot know what was lost in flight)
      const staff2 = await login(server.url, '/api/staff/login', { username: 'checkpoint1', password: DEMO_PASSWORD }, 'hc_staff');
      const retry = await fetch(`${server.url}/api/checkpoint/scans/batch`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', cookie: staff2 },
        body: JSON.stringify({ events: stream.sent.map((eventId) => ({ eventId, venueId: 'V0001', code: token, scannedAt: new Date().toISOString(), mode: 'offline_sync' })) }),
      });
      expect(retry.status).toBe(200);
      const answers = ((await retry.json()) as { results: { eventId: string; status: string; error: { code: string } | null }[] }).results;
      const byId = new Map(answers.map((a) => [a.eventId, a]));
      // an acknowledged id comes back as already there (its content differs only in scannedAt here: event_id_reused)
      for (const id of acked) expect(['duplicate', 'rejected'], id).toContain(byId.get(id)!.status);
      for (const id of acked) if (byId.get(id)!.status === 'rejected') expect(byId.get(id)!.error!.code).toBe('event_id_reused');
      expect(await count('scans', stream.sent)).toBe(stream.sent.length);
      expect(await all('scans')).toBe(await all('scan_event_ids'));

      // graceful: SIGTERM during a burst; the server drains, exits 0, every acknowledged scan is stored
      const burst = streamScans(server.url, staff2, token, 16);
      while (burst.acked.size < 100) await sleep(20);
      server.child.kill('SIGTERM');
      await burst.done;
      expect(await server.exited).toBe(0);
      const ackedAfter = [...burst.acked];
      expect(await count('scans', ackedAfter)).toBe(ackedAfter.length);
      for (const s of burst.statuses.keys()) expect([201, 503]).toContain(s);
    } finally {
      await check.close();
    }
  }, 120_000);
});
