// Backup and restore of the whole store.
// SQLite: the online backup API (a consistent copy while the server runs); restore checks the
// file (integrity_check, migrations table) and swaps it in while the server is stopped.
// PostgreSQL: pg_dump's custom format; restore with pg_restore into the database of
// HEALTHCODE_DATABASE_URL. A backup restores into the same kind of store only.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import type { Store } from '../../db/connect.ts';

const run = promisify(execFile);

/** A restore or backup that cannot go ahead, with the reason (exit code 2 in the CLI). */
export class BackupError extends Error {
  override name = 'BackupError';
}

const PG_BIN_DIRS = ['/usr/lib/postgresql/15/bin', '/usr/lib/postgresql/16/bin', '/usr/lib/postgresql/17/bin'];

/** pg_dump / pg_restore: on PATH, else in the usual Debian folders. */
export function findPgTool(name: 'pg_dump' | 'pg_restore'): string {
  for (const dir of [...(process.env.PATH ?? '').split(path.delimiter), ...PG_BIN_DIRS]) {
    if (!dir) continue;
    const p = path.join(dir, name);
    if (fs.existsSync(p)) return p;
  }
  throw new BackupError(`${name} was not found on PATH nor in ${PG_BIN_DIRS.join(', ')}; install the PostgreSQL client tools`);
}

export type BackupKind = 'sqlite' | 'postgres';

export function kindOfBackup(file: string): BackupKind {
  let head: Buffer;
  try {
    const fd = fs.openSync(file, 'r');
    head = Buffer.alloc(16);
    fs.readSync(fd, head, 0, 16, 0);
    fs.closeSync(fd);
  } catch (e) {
    throw new BackupError(`cannot read ${file}: ${(e as Error).message}`);
  }
  if (head.subarray(0, 16).toString('latin1') === 'SQLite format 3\0') return 'sqlite';
  if (head.subarray(0, 5).toString('latin1') === 'PGDMP') return 'postgres';
  throw new BackupError(`${file} is neither a SQLite backup nor a pg_dump custom-format archive`);
}

export async function backupStore(store: Store, databaseUrl: string, file: string): Promise<{ bytes: number }> {
  const target = path.resolve(file);
  if (fs.existsSync(target)) throw new BackupError(`${target} exists; choose a new file name`);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  if (store.dialect === 'sqlite') {
    await store.backup!(target);
  } else {
    await run(findPgTool('pg_dump'), ['--format=custom', '--no-owner', `--file=${target}`, `--dbname=${databaseUrl}`], { maxBuffer: 16 * 1024 * 1024 });
  }
  return { bytes: fs.statSync(target).size };
}

function sqliteFileOf(databaseUrl: string): string {
  return path.resolve(databaseUrl.slice('sqlite:'.length));
}

async function pgEmptySchema(databaseUrl: string): Promise<void> {
  const c = new pg.Client({ connectionString: databaseUrl });
  await c.connect();
  try {
    const r = await c.query('select current_schema() as s');
    const schema = c.escapeIdentifier(r.rows[0].s as string);
    await c.query(`drop schema ${schema} cascade`);
    await c.query(`create schema ${schema}`);
  } finally {
    await c.end();
  }
}

async function pgTableCount(databaseUrl: string): Promise<number> {
  const c = new pg.Client({ connectionString: databaseUrl });
  await c.connect();
  try {
    const r = await c.query("select count(*)::int as n from information_schema.tables where table_schema = current_schema()");
    return r.rows[0].n as number;
  } finally {
    await c.end();
  }
}

/**
 * Restores `file` into the store of `databaseUrl`. The target must be empty unless `force`
 * (then it is replaced). SQLite: stop the server first — the file is swapped underneath it.
 */
export async function restoreStore(databaseUrl: string, file: string, opts: { force?: boolean } = {}): Promise<{ kind: BackupKind }> {
  const kind = kindOfBackup(file);
  const targetKind: BackupKind = databaseUrl.startsWith('sqlite:') ? 'sqlite' : 'postgres';
  if (kind !== targetKind) throw new BackupError(`${file} is a ${kind} backup; HEALTHCODE_DATABASE_URL names a ${targetKind} store`);

  if (kind === 'sqlite') {
    const target = sqliteFileOf(databaseUrl);
    const check = new SQLite(file, { readonly: true, fileMustExist: true });
    try {
      const ok = check.pragma('integrity_check', { simple: true });
      if (ok !== 'ok') throw new BackupError(`${file} fails SQLite's integrity check: ${String(ok)}`);
      const m = check.prepare("select count(*) as n from sqlite_master where name = 'kysely_migration'").get() as { n: number };
      if (m.n !== 1) throw new BackupError(`${file} is a SQLite database but not a healthcode store`);
    } finally {
      check.close();
    }
    if (fs.existsSync(target) && fs.statSync(target).size > 0 && !opts.force) {
      throw new BackupError(`${target} exists; stop the server and pass --force to replace it`);
    }
    fs.mkdirSync(path.dirname(target), { recursive: true });
    const tmp = `${target}.restoring`;
    fs.copyFileSync(file, tmp);
    // a stale write-ahead log of the old database must not be applied to the restored one
    for (const suffix of ['-wal', '-shm']) fs.rmSync(target + suffix, { force: true });
    fs.renameSync(tmp, target);
    return { kind };
  }

  if ((await pgTableCount(databaseUrl)) > 0) {
    if (!opts.force) throw new BackupError('the PostgreSQL database is not empty; pass --force to replace its tables');
    // pg_restore --clean cannot drop a partitioned table's inherited keys one by one; start from an empty schema instead
    await pgEmptySchema(databaseUrl);
  }
  await run(findPgTool('pg_restore'), ['--no-owner', '--exit-on-error', `--dbname=${databaseUrl}`, file], { maxBuffer: 16 * 1024 * 1024 });
  return { kind };
}
