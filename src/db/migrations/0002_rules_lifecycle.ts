// Rules as published data, and the colour lifecycle: the facts the rules read (check-ins, lab
// results, exposures, discharges), each holder's current status, and the history of changes.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('rulesets')
    .addColumn('version', 'text', (c) => c.primaryKey())
    .addColumn('document', 'text', (c) => c.notNull())
    .addColumn('effective_from', 'bigint', (c) => c.notNull())
    .addColumn('published_at', 'bigint', (c) => c.notNull())
    .addColumn('emergency', 'integer', (c) => c.notNull())
    .addColumn('published_by', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('rulesets_effective').on('rulesets').column('effective_from').execute();

  await db.schema
    .createTable('check_ins')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('holder_id', 'text', (c) => c.notNull().references('holders.id'))
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('local_date', 'text', (c) => c.notNull())
    .addColumn('temperature_c', 'double precision')
    .execute();
  await db.schema.createIndex('check_ins_holder_date').on('check_ins').columns(['holder_id', 'local_date']).unique().execute();

  await db.schema
    .createTable('lab_results')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('holder_id', 'text', (c) => c.notNull().references('holders.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('result', 'text', (c) => c.notNull())
    .addColumn('sampled_at', 'bigint', (c) => c.notNull())
    .addColumn('reported_at', 'bigint', (c) => c.notNull())
    .addColumn('verified', 'integer', (c) => c.notNull())
    .addColumn('lab', 'text', (c) => c.notNull())
    .addColumn('source', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('lab_results_holder').on('lab_results').columns(['holder_id', 'sampled_at']).execute();

  await db.schema
    .createTable('exposures')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('holder_id', 'text', (c) => c.notNull().references('holders.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('last_exposure_at', 'bigint', (c) => c.notNull())
    .addColumn('notified_at', 'bigint', (c) => c.notNull())
    .addColumn('venue_id', 'text', (c) => c.notNull())
    .addColumn('venue_name', 'text', (c) => c.notNull())
    .addColumn('minutes', 'integer', (c) => c.notNull())
    .addColumn('source_ref', 'text')
    .execute();
  await db.schema.createIndex('exposures_holder').on('exposures').columns(['holder_id', 'notified_at']).execute();

  await db.schema
    .createTable('discharges')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('holder_id', 'text', (c) => c.notNull().references('holders.id'))
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('official_id', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('discharges_holder').on('discharges').columns(['holder_id', 'at']).execute();

  // one row per holder: the colour in force, since when, and when time alone may change it
  await db.schema
    .createTable('holder_status')
    .addColumn('holder_id', 'text', (c) => c.primaryKey().references('holders.id'))
    .addColumn('colour', 'text', (c) => c.notNull())
    .addColumn('colour_since', 'bigint', (c) => c.notNull())
    .addColumn('assessment_id', 'text', (c) => c.notNull())
    .addColumn('assessment_version', 'integer', (c) => c.notNull())
    .addColumn('ruleset_version', 'text', (c) => c.notNull())
    .addColumn('reason_key', 'text', (c) => c.notNull())
    .addColumn('valid_until', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('holder_status_due').on('holder_status').column('valid_until').execute();

  // every change of colour, with its cause
  await db.schema
    .createTable('status_events')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('holder_id', 'text', (c) => c.notNull().references('holders.id'))
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('from_colour', 'text')
    .addColumn('to_colour', 'text', (c) => c.notNull())
    .addColumn('cause_kind', 'text', (c) => c.notNull())
    .addColumn('cause_ref', 'text')
    .addColumn('ruleset_version', 'text', (c) => c.notNull())
    .addColumn('assessment_id', 'text', (c) => c.notNull())
    .addColumn('assessment_version', 'integer', (c) => c.notNull())
    .addColumn('reasons', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('status_events_holder').on('status_events').columns(['holder_id', 'assessment_version']).unique().execute();

  await db.schema
    .createTable('jobs_state')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of ['jobs_state', 'status_events', 'holder_status', 'discharges', 'exposures', 'lab_results', 'check_ins', 'rulesets']) {
    await db.schema.dropTable(t).ifExists().execute();
  }
}
