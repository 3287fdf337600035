// The foundation schema. Types are portable between SQLite and PostgreSQL:
// text, bigint (epoch ms), integer, double precision.
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('regions')
    .addColumn('code', 'text', (c) => c.primaryKey())
    .addColumn('name_en', 'text', (c) => c.notNull())
    .addColumn('name_zh', 'text', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('holders')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('id_hash', 'text', (c) => c.notNull().unique())
    .addColumn('id_last4', 'text', (c) => c.notNull())
    .addColumn('date_of_birth', 'text', (c) => c.notNull())
    .addColumn('phone', 'text', (c) => c.notNull().unique())
    .addColumn('region', 'text', (c) => c.notNull())
    .addColumn('time_zone', 'text', (c) => c.notNull())
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('sessions')
    .addColumn('token_hash', 'text', (c) => c.primaryKey())
    .addColumn('subject_kind', 'text', (c) => c.notNull())
    .addColumn('subject_id', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('declarations')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('holder_id', 'text', (c) => c.notNull().references('holders.id'))
    .addColumn('symptoms', 'text', (c) => c.notNull())
    .addColumn('temperature_c', 'double precision')
    .addColumn('places_visited', 'text', (c) => c.notNull())
    .addColumn('declared_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('declarations_holder_time').on('declarations').columns(['holder_id', 'declared_at']).execute();

  await db.schema
    .createTable('assessments')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('holder_id', 'text', (c) => c.notNull().references('holders.id'))
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('colour', 'text', (c) => c.notNull())
    .addColumn('reasons', 'text', (c) => c.notNull())
    .addColumn('facts', 'text', (c) => c.notNull())
    .addColumn('ruleset_version', 'text', (c) => c.notNull())
    .addColumn('assessed_at', 'bigint', (c) => c.notNull())
    .addColumn('valid_until', 'bigint', (c) => c.notNull())
    .execute();
  // a holder's assessments form a sequence: 1, 2, 3…; the unique pair refuses a lost update
  await db.schema.createIndex('assessments_holder_version').on('assessments').columns(['holder_id', 'version']).unique().execute();

  await db.schema
    .createTable('venues')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('region', 'text', (c) => c.notNull())
    .addColumn('address', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('staff_accounts')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('username', 'text', (c) => c.notNull().unique())
    .addColumn('display_name', 'text', (c) => c.notNull())
    .addColumn('role', 'text', (c) => c.notNull())
    .addColumn('password_hash', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('staff_venues')
    .addColumn('staff_id', 'text', (c) => c.notNull().references('staff_accounts.id'))
    .addColumn('venue_id', 'text', (c) => c.notNull().references('venues.id'))
    .addPrimaryKeyConstraint('staff_venues_pk', ['staff_id', 'venue_id'])
    .execute();

  await db.schema
    .createTable('signing_keys')
    .addColumn('kid', 'text', (c) => c.primaryKey())
    .addColumn('alg', 'text', (c) => c.notNull())
    .addColumn('public_key_pem', 'text', (c) => c.notNull())
    .addColumn('private_key_pem', 'text', (c) => c.notNull())
    .addColumn('region', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('active', 'integer', (c) => c.notNull())
    .addColumn('retired_at', 'bigint')
    .execute();

  await db.schema
    .createTable('server_secrets')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('value', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('issued_codes')
    .addColumn('code_id', 'text', (c) => c.primaryKey())
    .addColumn('holder_id', 'text', (c) => c.notNull().references('holders.id'))
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('colour', 'text', (c) => c.notNull())
    .addColumn('issued_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('issued_codes_holder').on('issued_codes').columns(['holder_id', 'issued_at']).execute();

  // The big table. No foreign keys: scans arrive from offline checkpoints and must never be
  // refused for ordering reasons; venue existence is checked by the service.
  await db.schema
    .createTable('scans')
    .addColumn('event_id', 'text', (c) => c.primaryKey())
    .addColumn('venue_id', 'text', (c) => c.notNull())
    .addColumn('operator_id', 'text')
    .addColumn('holder_id', 'text')
    .addColumn('code_id', 'text')
    .addColumn('scanned_at', 'bigint', (c) => c.notNull())
    .addColumn('received_at', 'bigint', (c) => c.notNull())
    .addColumn('mode', 'text', (c) => c.notNull())
    .addColumn('direction', 'text')
    .addColumn('temperature_c', 'double precision')
    .addColumn('verdict_ok', 'integer', (c) => c.notNull())
    .addColumn('verdict_error', 'text')
    .addColumn('verdict_colour', 'text')
    .addColumn('verdict', 'text', (c) => c.notNull())
    .addColumn('fingerprint', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('scans_venue_time').on('scans').columns(['venue_id', 'scanned_at', 'holder_id']).execute();
  await db.schema.createIndex('scans_holder_time').on('scans').columns(['holder_id', 'scanned_at']).execute();

  await db.schema
    .createTable('risk_areas')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('region', 'text', (c) => c.notNull())
    .addColumn('level', 'text', (c) => c.notNull())
    .addColumn('starts_at', 'bigint', (c) => c.notNull())
    .addColumn('ends_at', 'bigint')
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('risk_areas_region').on('risk_areas').columns(['region', 'starts_at']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of [
    'risk_areas', 'scans', 'issued_codes', 'server_secrets', 'signing_keys', 'staff_venues',
    'staff_accounts', 'venues', 'assessments', 'declarations', 'sessions', 'holders', 'regions',
  ]) {
    await db.schema.dropTable(t).ifExists().execute();
  }
}
