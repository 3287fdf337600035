// Cases, tracing runs, risk areas declared by officials, lab result imports, and the holder's
// inbox with an outbox of deliveries.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // lab results: where they came from (for idempotent imports) and the review of holder uploads
  await db.schema.alterTable('lab_results').addColumn('external_id', 'text').execute();
  await db.schema.alterTable('lab_results').addColumn('review', 'text', (c) => c.notNull().defaultTo('verified')).execute();
  await db.schema.createIndex('lab_results_external').on('lab_results').columns(['source', 'external_id']).unique().execute();

  await db.schema
    .createTable('cases')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('holder_id', 'text', (c) => c.notNull().references('holders.id'))
    .addColumn('lab_result_id', 'text', (c) => c.notNull().unique().references('lab_results.id'))
    .addColumn('onset_at', 'bigint')
    .addColumn('sampled_at', 'bigint', (c) => c.notNull())
    .addColumn('confirmed_at', 'bigint', (c) => c.notNull())
    .addColumn('infectious_from', 'bigint', (c) => c.notNull())
    .addColumn('infectious_to', 'bigint', (c) => c.notNull())
    .addColumn('confirmed_by', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('cases_holder').on('cases').columns(['holder_id', 'infectious_from']).execute();

  await db.schema
    .createTable('trace_runs')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('case_id', 'text', (c) => c.notNull().references('cases.id'))
    .addColumn('run_at', 'bigint', (c) => c.notNull())
    .addColumn('run_by', 'text', (c) => c.notNull())
    .addColumn('case_visits', 'integer', (c) => c.notNull())
    .addColumn('close_contacts', 'integer', (c) => c.notNull())
    .addColumn('secondary_contacts', 'integer', (c) => c.notNull())
    .addColumn('new_exposures', 'integer', (c) => c.notNull())
    .addColumn('result', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('trace_runs_case').on('trace_runs').columns(['case_id', 'run_at']).execute();

  // risk areas: a region or a set of venues; renewed or lifted by officials, or lifted by the clean-days job
  await db.schema.alterTable('risk_areas').addColumn('venue_ids', 'text').execute();
  await db.schema.alterTable('risk_areas').addColumn('renewed_at', 'bigint').execute();
  await db.schema.alterTable('risk_areas').addColumn('lifted_reason', 'text').execute();
  await db.schema.alterTable('risk_areas').addColumn('declared_by', 'text', (c) => c.notNull().defaultTo('system')).execute();

  await db.schema
    .createTable('inbox_messages')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('holder_id', 'text', (c) => c.notNull().references('holders.id'))
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('colour', 'text', (c) => c.notNull())
    .addColumn('title', 'text', (c) => c.notNull())
    .addColumn('body', 'text', (c) => c.notNull())
    .addColumn('event_id', 'text', (c) => c.notNull())
    .addColumn('read_at', 'bigint')
    .execute();
  await db.schema.createIndex('inbox_holder').on('inbox_messages').columns(['holder_id', 'at']).execute();

  await db.schema
    .createTable('outbox')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('channel', 'text', (c) => c.notNull())
    .addColumn('holder_id', 'text', (c) => c.notNull())
    .addColumn('payload', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('attempts', 'integer', (c) => c.notNull())
    .addColumn('next_attempt_at', 'bigint', (c) => c.notNull())
    .addColumn('last_error', 'text')
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('sent_at', 'bigint')
    .execute();
  await db.schema.createIndex('outbox_due').on('outbox').columns(['status', 'next_attempt_at']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of ['outbox', 'inbox_messages', 'trace_runs', 'cases']) await db.schema.dropTable(t).ifExists().execute();
}
