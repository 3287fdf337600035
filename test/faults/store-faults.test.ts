// Store faults, in-process: the store unavailable, out of space, read-only. Each is caused
// for real (a lock held by another connection / connections refused by PostgreSQL; SQLite's
// max_page_count giving SQLITE_FULL; a PostgreSQL tablespace on a tiny tmpfs; SQLite's query_only / PostgreSQL's
// default_transaction_read_only). Scans then get 503 with Retry-After and a clear code, none of
// the request is stored, readiness is false; when the fault is cleared, all is well again.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/db/connect.ts';
import { migrateToLatest } from '../../src/db/migrate.ts';
import { loginOperator, makeTestApp, registerHolder, VENUE_ID, type TestApp } from '../support/app.ts';
import { DIALECTS, pgAdminUrl } from '../support/db.ts';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.each(DIALECTS)('store faults on %s', (dialect) => {
  let t: TestApp;
  let staff: string;
  let token: string;
  let dir: string;
  let sqliteFile = '';
  let dbName = '';

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hc-faults-'));
    if (dialect === 'sqlite') {
      // a file (another connection must be able to lock it), and a short busy timeout
      sqliteFile = path.join(dir, 'hc.db');
      const store = openStore(`sqlite:${sqliteFile}`, { busyTimeoutMs: 200 });
      await migrateToLatest(store.db);
      t = await makeTestApp({ testStore: { store, drop: () => store.close() } });
    } else {
      t = await makeTestApp({ dialect });
      dbName = (await sql<{ n: string }>`select current_database() as n`.execute(t.deps.store.db)).rows[0]!.n;
    }
    staff = await loginOperator(t.app);
    const h = await registerHolder(t.app);
    token = (await t.app.inject({ method: 'GET', url: '/api/holder/code', headers: { cookie: h.cookie } })).json().token;
  });
  afterAll(async () => {
    await t.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const event = () => ({ eventId: crypto.randomUUID(), venueId: VENUE_ID, code: token, scannedAt: t.clock.now().toISOString(), mode: 'camera' });
  const scan = (body = event()) => t.app.inject({ method: 'POST', url: '/api/checkpoint/scans', headers: { cookie: staff }, payload: body });
  const batch = (events: unknown[]) => t.app.inject({ method: 'POST', url: '/api/checkpoint/scans/batch', headers: { cookie: staff }, payload: { events } });
  const ready = async () => {
    await sleep(1100); // readiness answers are cached for a second
    return t.app.inject('/readyz');
  };
  const storedOf = async (ids: string[]) => {
    const a = await t.deps.store.db.selectFrom('scans').select('event_id').where('event_id', 'in', ids).execute();
    const b = await t.deps.store.db.selectFrom('scan_event_ids').select('event_id').where('event_id', 'in', ids).execute();
    return { scans: a.length, ledger: b.length };
  };

  async function pgAdmin(text: string) {
    const c = new pg.Client({ connectionString: pgAdminUrl() });
    await c.connect();
    try {
      await c.query(text);
    } finally {
      await c.end();
    }
  }
  const terminateBackends = () => pgAdmin(`select pg_terminate_backend(pid) from pg_stat_activity where datname = '${dbName}' and pid <> pg_backend_pid()`);

  /** Scans succeed and the instance is ready: the check after every fault is cleared. */
  async function expectHealthy() {
    const ok = await scan();
    expect(ok.statusCode).toBe(201);
    const r = await ready();
    expect(r.json()).toEqual({ status: 'ready' });
  }

  it('is ready and stores scans to begin with', async () => {
    await expectHealthy();
  });

  describe('the store unavailable', () => {
    let release: (() => Promise<void>) | null = null;
    afterEach(async () => {
      await release?.();
      release = null;
    });

    it('scans get 503 store_unavailable with Retry-After, nothing is stored, readiness is false; then it recovers', async () => {
      if (dialect === 'sqlite') {
        // another process holds the write lock (a long migration, a careless sqlite3 shell)
        const other = new SQLite(sqliteFile);
        other.exec('begin exclusive');
        other.prepare("insert into regions (code, name_en, name_zh) values ('XX-LOCK', 'lock', 'lock')").run();
        release = async () => {
          other.exec('rollback');
          other.close();
        };
      } else {
        // the database refuses connections and the existing ones are cut (a failover, a restart)
        await pgAdmin(`alter database ${dbName} allow_connections false`);
        await terminateBackends();
        await sleep(200);
        release = () => pgAdmin(`alter database ${dbName} allow_connections true`);
      }
      const body = event();
      const res = await scan(body);
      expect(res.statusCode).toBe(503);
      expect(res.headers['retry-after']).toBe('5');
      expect(res.json().error.code).toBe('store_unavailable');
      const events = [event(), event(), event()];
      const b = await batch(events);
      expect(b.statusCode).toBe(503);
      const r = await ready();
      expect(r.statusCode).toBe(503);
      expect(r.json().error.code).toBe('store_unavailable');

      await release!();
      release = null;
      expect(await storedOf([body.eventId, ...events.map((e) => e.eventId)])).toEqual({ scans: 0, ledger: 0 });
      // the checkpoint retries the same batch: stored once now
      expect((await batch(events)).json()).toMatchObject({ stored: 3, rejected: 0 });
      await expectHealthy();
    });
  });

  // PostgreSQL's disk full (53100), caused for real: the scan ledger is moved into a tablespace on
  // a 48 KiB tmpfs. That needs a local server and root (to mount); where either is missing the
  // test says so and is skipped.
  const localPgData = async (): Promise<string | null> => {
    if (dialect !== 'postgres') return null;
    const r = await sql<{ setting: string }>`select setting from pg_settings where name = 'data_directory'`.execute(t.deps.store.db).catch(() => null);
    const dataDir = r?.rows[0]?.setting;
    return dataDir && fs.existsSync(dataDir) ? dataDir : null;
  };
  if (dialect === 'postgres') it('disk full on PostgreSQL: 53100 gives 503 store_full, the batch is not half-written, readiness is false', async (ctx) => {
    if (process.getuid?.() !== 0 || !(await localPgData())) {
      console.warn('PostgreSQL disk-full test skipped: it needs root (to mount a small tmpfs) and the server on this machine');
      ctx.skip();
    }
    const { execFileSync } = await import('node:child_process');
    const mnt = fs.mkdtempSync(path.join(os.tmpdir(), 'hc-pgfull-'));
    const owner = fs.statSync(await localPgData() as string);
    try {
      execFileSync('mount', ['-t', 'tmpfs', '-o', `size=48k,mode=0700,uid=${owner.uid},gid=${owner.gid}`, 'tmpfs', mnt]);
    } catch (e) {
      fs.rmdirSync(mnt);
      console.warn(`PostgreSQL disk-full test skipped: cannot mount a tmpfs here (${(e as Error).message.split('\n')[0]})`);
      ctx.skip();
    }
    const space = `hc_full_${crypto.randomBytes(3).toString('hex')}`;
    try {
      await pgAdmin(`create tablespace ${space} location '${mnt}'`);
      const db = t.deps.store.db;
      await sql.raw(`alter table scan_event_ids set tablespace ${space}`).execute(db);
      try {
        const events = Array.from({ length: 2000 }, event);
        const res = await batch(events);
        expect(res.statusCode).toBe(503);
        expect(res.headers['retry-after']).toBe('5');
        expect(res.json().error).toMatchObject({ code: 'store_full' });
        expect(res.json().error.message).toMatch(/out of space/);
        const r = await ready();
        expect(r.statusCode).toBe(503);
        expect(r.json().error.code).toBe('store_full');
        await sql.raw('alter table scan_event_ids set tablespace pg_default').execute(db);
        expect(await storedOf(events.map((e) => e.eventId))).toEqual({ scans: 0, ledger: 0 });
        // the checkpoint retries the same batch once there is room: stored once
        expect((await batch(events)).json()).toMatchObject({ stored: 2000, rejected: 0 });
      } finally {
        await sql.raw('alter table scan_event_ids set tablespace pg_default').execute(db);
      }
      await expectHealthy();
    } finally {
      await pgAdmin(`drop tablespace if exists ${space}`).catch(() => {});
      execFileSync('umount', [mnt]);
      fs.rmdirSync(mnt);
    }
  });

  if (dialect === 'sqlite') it('disk full: SQLITE_FULL gives 503 store_full, the batch is not half-written, readiness is false', async () => {
    const db = t.deps.store.db;
    const pages = Number((await sql<{ page_count: number }>`pragma page_count`.execute(db)).rows[0]!.page_count);
    await sql.raw(`pragma max_page_count = ${pages + 2}`).execute(db);
    try {
      const events = Array.from({ length: 2000 }, event);
      const res = await batch(events);
      expect(res.statusCode).toBe(503);
      expect(res.headers['retry-after']).toBe('5');
      expect(res.json().error).toMatchObject({ code: 'store_full' });
      expect(res.json().error.message).toMatch(/out of space/);
      expect(await storedOf(events.map((e) => e.eventId))).toEqual({ scans: 0, ledger: 0 });
      const r = await ready();
      expect(r.statusCode).toBe(503);
      expect(r.json().error.code).toBe('store_full');
    } finally {
      await sql.raw('pragma max_page_count = 1073741823').execute(db);
    }
    await expectHealthy();
  });

  it('read-only database: 503 store_read_only, nothing stored, readiness is false; then it recovers', async () => {
    const db = t.deps.store.db;
    if (dialect === 'sqlite') {
      await sql`pragma query_only = 1`.execute(db);
    } else {
      // what a PostgreSQL standby does to writes; new sessions pick the setting up
      await pgAdmin(`alter database ${dbName} set default_transaction_read_only = on`);
      await terminateBackends();
      await sleep(200);
    }
    try {
      const body = event();
      const res = await scan(body);
      expect(res.statusCode).toBe(503);
      expect(res.headers['retry-after']).toBe('5');
      expect(res.json().error.code).toBe('store_read_only');
      const r = await ready();
      expect(r.statusCode).toBe(503);
      expect(r.json().error.code).toBe('store_read_only');
      expect(await storedOf([body.eventId])).toEqual({ scans: 0, ledger: 0 });
    } finally {
      if (dialect === 'sqlite') {
        await sql`pragma query_only = 0`.execute(db);
      } else {
        await pgAdmin(`alter database ${dbName} reset default_transaction_read_only`);
        await terminateBackends();
        await sleep(200);
      }
    }
    await expectHealthy();
  });
});
