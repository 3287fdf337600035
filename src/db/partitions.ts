// PostgreSQL scans are range-partitioned by UTC day on scanned_at (epoch ms): one partition
// per day, named scans_dYYYYMMDD, holding [day 00:00Z, next day 00:00Z). SQLite keeps one
// table; every function here is a no-op there, so callers need not branch.
import { PostgresAdapter, sql, type Kysely } from 'kysely';

export const DAY_MS = 86_400_000;

export function isPostgres(db: Kysely<any>): boolean {
  return db.getExecutor().adapter instanceof PostgresAdapter;
}

/** The UTC day number (days since 1970-01-01) of an instant in ms. */
export function dayOf(ms: number): number {
  return Math.floor(ms / DAY_MS);
}

export function partitionName(day: number): string {
  return `scans_d${new Date(day * DAY_MS).toISOString().slice(0, 10).replaceAll('-', '')}`;
}

/** Day number from a partition name, or null for a name that is not one of ours. */
export function dayOfPartition(name: string): number | null {
  const m = /^scans_d(\d{4})(\d{2})(\d{2})$/.exec(name);
  if (!m) return null;
  return dayOf(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
}

/** The day partitions of scans that exist, oldest first (PostgreSQL), or [] (SQLite). */
export async function listScanPartitions(db: Kysely<any>): Promise<{ name: string; day: number }[]> {
  if (!isPostgres(db)) return [];
  const r = await sql<{ name: string }>`
    select c.relname as name from pg_inherits i
      join pg_class c on c.oid = i.inhrelid
      join pg_class p on p.oid = i.inhparent
     where p.relname = 'scans' and p.relnamespace = current_schema()::regnamespace`.execute(db);
  return r.rows
    .map((x) => ({ name: x.name, day: dayOfPartition(x.name) }))
    .filter((x): x is { name: string; day: number } => x.day !== null)
    .sort((a, b) => a.day - b.day);
}

/** Creates the partitions for days [fromDay, toDay] that are missing; returns the names created. */
export async function ensureScanPartitions(db: Kysely<any>, fromDay: number, toDay: number): Promise<string[]> {
  if (!isPostgres(db)) return [];
  const existing = new Set((await listScanPartitions(db)).map((p) => p.day));
  const created: string[] = [];
  for (let d = fromDay; d <= toDay; d++) {
    if (existing.has(d)) continue;
    const name = partitionName(d);
    try {
      await sql`create table if not exists ${sql.table(name)} partition of scans for values from (${sql.lit(d * DAY_MS)}) to (${sql.lit((d + 1) * DAY_MS)})`.execute(db);
      created.push(name);
    } catch (e) {
      // another instance created it at the same moment
      if ((e as { code?: string }).code !== '42P07') throw e;
    }
  }
  return created;
}

/** Drops the day partitions that end at or before `beforeDay` 00:00Z; returns their names. */
export async function dropScanPartitionsBefore(db: Kysely<any>, beforeDay: number): Promise<string[]> {
  const dropped: string[] = [];
  for (const p of await listScanPartitions(db)) {
    if (p.day >= beforeDay) break;
    await sql`drop table if exists ${sql.table(p.name)}`.execute(db);
    dropped.push(p.name);
  }
  return dropped;
}

/** True for PostgreSQL's "no partition of relation scans found for row". */
export function isMissingPartition(e: unknown): boolean {
  const err = e as { code?: unknown; message?: unknown } | null;
  return err?.code === '23514' && typeof err.message === 'string' && /no partition of relation/.test(err.message);
}
