// Issue 9: paper codes and the revocation list, ID look-ups at checkpoints, dependants and their
// guardians, venue compliance (expected footfall, daily series, flags, interview routes, notices).
import type { Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // paper codes: the signed token is kept so the holder can print it again without a reprint
  await db.schema
    .createTable('paper_codes')
    .addColumn('code_id', 'text', (c) => c.primaryKey())
    .addColumn('holder_id', 'text', (c) => c.notNull().references('holders.id'))
    .addColumn('token', 'text', (c) => c.notNull())
    .addColumn('colour', 'text', (c) => c.notNull())
    .addColumn('issued_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('issued_by_kind', 'text', (c) => c.notNull())
    .addColumn('issued_by', 'text', (c) => c.notNull())
    .addColumn('revoked_at', 'bigint')
    .addColumn('revoked_reason', 'text')
    .addColumn('replaced_by', 'text')
    .execute();
  await db.schema.createIndex('paper_codes_holder').on('paper_codes').columns(['holder_id', 'issued_at']).execute();

  // the revocation list: a code id stays listed until the code itself expires
  await db.schema
    .createTable('code_revocations')
    .addColumn('code_id', 'text', (c) => c.primaryKey())
    .addColumn('holder_id', 'text', (c) => c.notNull())
    .addColumn('reason', 'text', (c) => c.notNull())
    .addColumn('revoked_at', 'bigint', (c) => c.notNull())
    .addColumn('code_expires_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('code_revocations_expiry').on('code_revocations').column('code_expires_at').execute();

  // ID look-ups at checkpoints: counted per operator for the rate limit (the audit log has the who and whom)
  await db.schema
    .createTable('id_lookups')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('operator_id', 'text', (c) => c.notNull())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('outcome', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('id_lookups_operator').on('id_lookups').columns(['operator_id', 'at']).execute();

  // dependants: holders registered by a guardian (no phone or password of their own until they take over)
  await db.schema
    .createTable('dependants')
    .addColumn('holder_id', 'text', (c) => c.primaryKey().references('holders.id'))
    .addColumn('registered_by', 'text', (c) => c.notNull())
    .addColumn('registered_at', 'bigint', (c) => c.notNull())
    .addColumn('taken_over_at', 'bigint')
    .execute();
  await db.schema
    .createTable('guardianships')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('guardian_id', 'text', (c) => c.notNull().references('holders.id'))
    .addColumn('dependant_id', 'text', (c) => c.notNull().references('holders.id'))
    .addColumn('relationship', 'text', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('requested_at', 'bigint', (c) => c.notNull())
    .addColumn('decided_by_kind', 'text')
    .addColumn('decided_by', 'text')
    .addColumn('decided_at', 'bigint')
    .addColumn('ended_at', 'bigint')
    .execute();
  await db.schema.createIndex('guardianships_guardian').on('guardianships').columns(['guardian_id', 'status']).execute();
  await db.schema.createIndex('guardianships_dependant').on('guardianships').columns(['dependant_id', 'status']).execute();
  await db.schema
    .createTable('takeover_codes')
    .addColumn('code_hash', 'text', (c) => c.primaryKey())
    .addColumn('dependant_id', 'text', (c) => c.notNull().references('holders.id'))
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('expires_at', 'bigint', (c) => c.notNull())
    .addColumn('used_at', 'bigint')
    .execute();

  // venue compliance
  await db.schema
    .createTable('venue_footfall')
    .addColumn('venue_id', 'text', (c) => c.primaryKey().references('venues.id'))
    .addColumn('declared_daily', 'integer', (c) => c.notNull())
    .addColumn('declared_by', 'text', (c) => c.notNull())
    .addColumn('declared_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('venue_compliance_days')
    .addColumn('venue_id', 'text', (c) => c.notNull())
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('scans', 'integer', (c) => c.notNull())
    .addColumn('declared', 'integer')
    .addColumn('learned', 'integer')
    .addColumn('expected', 'integer')
    .addColumn('flagged', 'integer', (c) => c.notNull())
    .addColumn('computed_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('venue_compliance_days_pk', ['venue_id', 'day'])
    .execute();
  await db.schema.createIndex('venue_compliance_days_day').on('venue_compliance_days').columns(['day', 'flagged']).execute();
  await db.schema
    .createTable('venue_flags')
    .addColumn('id', 'text', (c) => c.primaryKey())
    // one flag per key (per venue and day, or per interview visit): re-runs change nothing
    .addColumn('key', 'text', (c) => c.notNull().unique())
    .addColumn('venue_id', 'text', (c) => c.notNull())
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('case_id', 'text')
    .addColumn('detail', 'text', (c) => c.notNull())
    .addColumn('raised_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('venue_flags_venue').on('venue_flags').columns(['venue_id', 'day']).execute();
  await db.schema
    .createTable('case_route_visits')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('case_id', 'text', (c) => c.notNull().references('cases.id'))
    .addColumn('venue_id', 'text', (c) => c.notNull().references('venues.id'))
    .addColumn('from_at', 'bigint', (c) => c.notNull())
    .addColumn('to_at', 'bigint', (c) => c.notNull())
    .addColumn('matched', 'integer', (c) => c.notNull())
    .addColumn('recorded_by', 'text', (c) => c.notNull())
    .addColumn('recorded_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('case_route_visits_case').on('case_route_visits').column('case_id').execute();
  await db.schema
    .createTable('compliance_notices')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('venue_id', 'text', (c) => c.notNull().references('venues.id'))
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('deadline_at', 'bigint', (c) => c.notNull())
    .addColumn('issued_by', 'text', (c) => c.notNull())
    .addColumn('issued_at', 'bigint', (c) => c.notNull())
    .addColumn('acknowledged_by', 'text')
    .addColumn('acknowledged_at', 'bigint')
    .execute();
  await db.schema.createIndex('compliance_notices_venue').on('compliance_notices').columns(['venue_id', 'issued_at']).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of [
    'compliance_notices',
    'case_route_visits',
    'venue_flags',
    'venue_compliance_days',
    'venue_footfall',
    'takeover_codes',
    'guardianships',
    'dependants',
    'id_lookups',
    'code_revocations',
    'paper_codes',
  ]) {
    await db.schema.dropTable(t).ifExists().execute();
  }
}
