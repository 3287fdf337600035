// Dialect selection: one Kysely<Database> over better-sqlite3 (WAL) or PostgreSQL.
import fs from 'node:fs';
import path from 'node:path';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { Kysely, PostgresDialect, SqliteDialect, sql, type SqliteDatabase } from 'kysely';
import type { Database } from './schema.ts';

export type Dialect = 'sqlite' | 'postgres';

export interface Store {
  readonly db: Kysely<Database>;
  readonly dialect: Dialect;
  /** a cheap round trip, for /readyz */
  ping(): Promise<void>;
  /** SQLite: bytes the database can still grow by (the disk's free space, or max_page_count) */
  capacity?(): { freeBytes: number };
  /** SQLite: an online backup to a file (the SQLite backup API: consistent while the server runs) */
  backup?(file: string): Promise<void>;
  /** PostgreSQL: the connection pool's state, for /metrics */
  poolStats?(): { total: number; idle: number; waiting: number };
  close(): Promise<void>;
}

// int8 (bigint) columns hold epoch milliseconds, well inside Number.MAX_SAFE_INTEGER.
pg.types.setTypeParser(20, (v) => Number(v));
// numeric → number (temperatures)
pg.types.setTypeParser(1700, (v) => Number(v));

export interface StoreOptions {
  /** PostgreSQL: connections in the pool (default 10) */
  poolMax?: number;
  /** SQLite: how long a write waits for another connection's lock before SQLITE_BUSY (default 5000 ms) */
  busyTimeoutMs?: number;
}

/**
 * Kysely's SQLite driver prepares every query afresh; preparing costs as much as running a
 * small indexed query. This keeps the most recently used statements (by SQL text) for reuse.
 * A statement still being iterated (a streamed query) is never handed out twice.
 */
export class StatementCache implements SqliteDatabase {
  private readonly cache = new Map<string, SQLite.Statement>();

  constructor(
    private readonly sqlite: SQLite.Database,
    private readonly max = 500,
  ) {}

  prepare(text: string): SQLite.Statement {
    const hit = this.cache.get(text);
    if (hit && !hit.busy) {
      // most recently used last: the Map's order is the eviction order
      this.cache.delete(text);
      this.cache.set(text, hit);
      return hit;
    }
    const stmt = this.sqlite.prepare(text);
    if (!hit) {
      this.cache.set(text, stmt);
      if (this.cache.size > this.max) this.cache.delete(this.cache.keys().next().value!);
    }
    return stmt;
  }

  close(): void {
    this.cache.clear();
    this.sqlite.close();
  }
}

export function openStore(url: string, opts: StoreOptions = {}): Store {
  if (url.startsWith('sqlite:')) {
    const file = url.slice('sqlite:'.length);
    if (file !== ':memory:') fs.mkdirSync(path.dirname(path.resolve(file)), { recursive: true });
    const sqlite = new SQLite(file);
    sqlite.pragma('journal_mode = WAL');
    // FULL: a commit is on disk before it is acknowledged (scans are acknowledged only when durable).
    sqlite.pragma('synchronous = FULL');
    sqlite.pragma('foreign_keys = ON');
    sqlite.pragma(`busy_timeout = ${opts.busyTimeoutMs ?? 5000}`);
    const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: new StatementCache(sqlite) }) });
    return {
      db,
      dialect: 'sqlite',
      async ping() {
        await sql`select 1`.execute(db);
      },
      capacity() {
        const pageSize = sqlite.pragma('page_size', { simple: true }) as number;
        const pages = sqlite.pragma('page_count', { simple: true }) as number;
        const maxPages = sqlite.pragma('max_page_count', { simple: true }) as number;
        const freePages = sqlite.pragma('freelist_count', { simple: true }) as number;
        let freeBytes = (maxPages - pages + freePages) * pageSize;
        if (file !== ':memory:') {
          const st = fs.statfsSync(path.dirname(path.resolve(file)));
          freeBytes = Math.min(freeBytes, st.bavail * st.bsize + freePages * pageSize);
        }
        return { freeBytes };
      },
      async backup(to: string) {
        await sqlite.backup(to);
      },
      async close() {
        await db.destroy();
      },
    };
  }
  const pool = new pg.Pool({ connectionString: url, max: opts.poolMax ?? 10 });
  // An idle pooled connection that the server ends (restart, failover, pg_terminate_backend)
  // is dropped from the pool; without this listener the error would end the process.
  pool.on('error', () => {});
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return {
    db,
    dialect: 'postgres',
    async ping() {
      await sql`select 1`.execute(db);
    },
    poolStats() {
      return { total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount };
    },
    async close() {
      await db.destroy();
    },
  };
}
