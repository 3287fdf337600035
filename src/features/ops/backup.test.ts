// healthcode backup / restore through the real CLI, on both stores: a restored backup holds
// every row of every table.
import { execFile } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../../test/support/app.ts';
import { DIALECTS, pgAdminUrl } from '../../../test/support/db.ts';
import { openStore } from '../../db/connect.ts';
import { migrateToLatest } from '../../db/migrate.ts';
import { cryptoRandom } from '../../support/clock.ts';
import { seedDemo } from '../demo/seed.ts';
import { ensureIdHashKey, initKeys, loadKeyRing } from '../keys/service.ts';
import { loadRuleBook } from '../rules/book.ts';
import { ScanWriter } from '../scans/writer.ts';
import { backupStore, BackupError, restoreStore } from './backup.ts';

const run = promisify(execFile);
const BIN = path.join(REPO_ROOT, 'bin', 'healthcode.js');

async function cli(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args], { env: { ...process.env, ...env }, timeout: 120_000 });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof err.code === 'number' ? err.code : -1, stdout: err.stdout ?? '', stderr: err.stderr ?? '' };
  }
}

/** Every table's rows, in a canonical order, as text. */
async function dump(url: string): Promise<Record<string, string[]>> {
  const store = openStore(url);
  try {
    const tables =
      store.dialect === 'sqlite'
        ? (await sql<{ name: string }>`select name from sqlite_master where type = 'table' and name not like 'sqlite_%' order by name`.execute(store.db)).rows
        : (
            await sql<{ name: string }>`select relname as name from pg_class
              where relnamespace = current_schema()::regnamespace and relkind in ('r', 'p') and not relispartition order by relname`.execute(store.db)
          ).rows;
    const out: Record<string, string[]> = {};
    for (const { name } of tables) {
      const rows = (await sql<Record<string, unknown>>`select * from ${sql.table(name)}`.execute(store.db)).rows;
      out[name] = rows.map((r) => JSON.stringify(Object.keys(r).sort().map((k) => [k, r[k]]))).sort();
    }
    return out;
  } finally {
    await store.close();
  }
}

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const c of cleanups.reverse()) await c();
});

async function newStoreUrl(dialect: string, dir: string, name: string): Promise<string> {
  if (dialect === 'sqlite') return `sqlite:${path.join(dir, `${name}.db`)}`;
  const db = `hc_backup_${name}_${crypto.randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: pgAdminUrl() });
  await admin.connect();
  await admin.query(`create database ${db}`);
  await admin.end();
  cleanups.push(async () => {
    const c = new pg.Client({ connectionString: pgAdminUrl() });
    await c.connect();
    await c.query(`drop database if exists ${db} with (force)`);
    await c.end();
  });
  const u = new URL(pgAdminUrl()!);
  u.pathname = `/${db}`;
  return u.toString();
}

describe.each(DIALECTS)('backup and restore on %s', (dialect) => {
  it('healthcode backup / restore: the restored store holds every row of every table', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hc-backup-'));
    cleanups.push(async () => fs.rmSync(dir, { recursive: true, force: true }));
    const source = await newStoreUrl(dialect, dir, 'source');
    const target = await newStoreUrl(dialect, dir, 'target');
    const env = (url: string) => ({ HEALTHCODE_DATABASE_URL: url, HEALTHCODE_DATA_DIR: dir });
    await seed(source);

    const file = path.join(dir, dialect === 'sqlite' ? 'backup.db' : 'backup.pgdump');
    const b = await cli(['backup', file], env(source));
    expect(b.stderr).toBe('');
    expect(b.stdout).toMatch(/^backup written to /);
    expect(b.code).toBe(0);
    const r = await cli(['restore', file], env(target));
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);

    const before = await dump(source);
    const after = await dump(target);
    expect(before.holders!.length).toBe(6);
    expect(before.scans!.length).toBeGreaterThan(0);
    expect(before.scan_event_ids!.length).toBe(before.scans!.length);
    expect(before.signing_keys!.length).toBe(1);
    expect(Object.keys(after).sort()).toEqual(Object.keys(before).sort());
    for (const table of Object.keys(before)) expect(after[table], table).toEqual(before[table]);

    // refusals: an existing backup file, a non-empty target, a backup of the other kind of store
    const store = openStore(source);
    try {
      await expect(backupStore(store, source, file)).rejects.toThrow(/exists/);
    } finally {
      await store.close();
    }
    await expect(restoreStore(target, file)).rejects.toThrow(/--force/);
    await restoreStore(target, file, { force: true });
    expect(await dump(target)).toEqual(before);
    const other = dialect === 'sqlite' ? 'postgres://127.0.0.1:1/x' : `sqlite:${path.join(dir, 'x.db')}`;
    await expect(restoreStore(other, file)).rejects.toThrow(/backup; HEALTHCODE_DATABASE_URL names a/);
    fs.writeFileSync(path.join(dir, 'junk'), 'not a backup');
    await expect(restoreStore(target, path.join(dir, 'junk'))).rejects.toThrow(BackupError);
  }, 120_000);
});

/** A small city in the store: keys, the demo (holders, assessments, codes, scans) and scans on other days. */
async function seed(url: string): Promise<void> {
  const store = openStore(url);
  try {
    await migrateToLatest(store.db);
    const now = new Date();
    await initKeys(store.db, { region: 'CN-LX', now });
    const keys = (await loadKeyRing(store.db))!;
    const idHashKey = await ensureIdHashKey(store.db, cryptoRandom, now);
    const rules = await loadRuleBook(store.db, now);
    await seedDemo(store.db, { holders: 6, seed: 3, scansPerHolder: 2 }, { now, random: cryptoRandom, keys, rules, idHashKey, timeZone: 'Asia/Shanghai', liveCodeMinutes: 5 });
    const writer = new ScanWriter(store.db);
    const rows = [1, 5, 9].map((daysAgo) => ({
      event_id: crypto.randomUUID(), venue_id: 'V0001', operator_id: null, holder_id: null, code_id: null,
      scanned_at: now.getTime() - daysAgo * 86_400_000, received_at: now.getTime(), mode: 'offline_sync', direction: 'in',
      temperature_c: 36.4, verdict_ok: 0, verdict_error: 'bad_prefix', verdict_colour: null, verdict: '{"ok":false}', fingerprint: 'x',
    }));
    await writer.writeBatch(rows);
    await writer.close();
  } finally {
    await store.close();
  }
}
