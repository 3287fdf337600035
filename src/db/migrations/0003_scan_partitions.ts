// Scans at province scale. Both stores get the event-id ledger (scan_event_ids: one row per
// event id, unpartitioned, so idempotency holds across days) and job_checkpoints (resumable
// long jobs). On PostgreSQL the scans table becomes declaratively partitioned by UTC day on
// scanned_at (primary key (event_id, scanned_at), as a partitioned table's keys must carry
// the partition key); existing rows are moved. SQLite keeps its single scans table. The
// query code is the same for both: only this DDL branches on the dialect.
import { PostgresAdapter, sql, type Kysely } from 'kysely';

const DAY = 86_400_000;

export async function up(db: Kysely<unknown>): Promise<void> {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;

  await db.schema
    .createTable('scan_event_ids')
    .addColumn('event_id', 'text', (c) => c.primaryKey())
    .addColumn('scanned_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('scan_event_ids_time').on('scan_event_ids').column('scanned_at').execute();
  await sql`insert into scan_event_ids (event_id, scanned_at) select event_id, scanned_at from scans`.execute(db);

  await db.schema
    .createTable('job_checkpoints')
    .addColumn('job', 'text', (c) => c.primaryKey())
    .addColumn('params', 'text', (c) => c.notNull())
    .addColumn('done', 'bigint', (c) => c.notNull())
    .addColumn('total', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();

  if (!postgres) return;

  await sql`alter table scans rename to scans_unpartitioned`.execute(db);
  await sql`alter index scans_venue_time rename to scans_unpartitioned_venue_time`.execute(db);
  await sql`alter index scans_holder_time rename to scans_unpartitioned_holder_time`.execute(db);
  await sql`alter table scans_unpartitioned rename constraint scans_pkey to scans_unpartitioned_pkey`.execute(db);
  await sql`
    create table scans (
      event_id text not null,
      venue_id text not null,
      operator_id text,
      holder_id text,
      code_id text,
      scanned_at bigint not null,
      received_at bigint not null,
      mode text not null,
      direction text,
      temperature_c double precision,
      verdict_ok integer not null,
      verdict_error text,
      verdict_colour text,
      verdict text not null,
      fingerprint text not null,
      primary key (event_id, scanned_at)
    ) partition by range (scanned_at)`.execute(db);
  await sql`create index scans_venue_time on scans (venue_id, scanned_at, holder_id)`.execute(db);
  await sql`create index scans_holder_time on scans (holder_id, scanned_at)`.execute(db);

  // partitions for the days already holding scans, and for the retention window up to a week ahead
  const today = Math.floor(Date.now() / DAY);
  const days = new Set<number>();
  for (let d = today - 22; d <= today + 7; d++) days.add(d);
  const old = await sql<{ day: number | string }>`select distinct floor(scanned_at / ${sql.lit(DAY)})::bigint as day from scans_unpartitioned`.execute(db);
  for (const r of old.rows) days.add(Number(r.day));
  for (const d of [...days].sort((a, b) => a - b)) {
    const name = `scans_d${new Date(d * DAY).toISOString().slice(0, 10).replaceAll('-', '')}`;
    await sql`create table ${sql.table(name)} partition of scans for values from (${sql.lit(d * DAY)}) to (${sql.lit((d + 1) * DAY)})`.execute(db);
  }
  await sql`insert into scans select * from scans_unpartitioned`.execute(db);
  await sql`drop table scans_unpartitioned`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  const postgres = db.getExecutor().adapter instanceof PostgresAdapter;
  if (postgres) {
    await sql`create table scans_flat (like scans including defaults)`.execute(db);
    await sql`insert into scans_flat select * from scans`.execute(db);
    await sql`drop table scans`.execute(db);
    await sql`alter table scans_flat rename to scans`.execute(db);
    await sql`alter table scans add primary key (event_id)`.execute(db);
    await sql`create index scans_venue_time on scans (venue_id, scanned_at, holder_id)`.execute(db);
    await sql`create index scans_holder_time on scans (holder_id, scanned_at)`.execute(db);
  }
  await db.schema.dropTable('job_checkpoints').ifExists().execute();
  await db.schema.dropTable('scan_event_ids').ifExists().execute();
}
