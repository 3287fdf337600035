// Due process and security: the hash-chained audit log and its published daily heads, log-in
// lockout, TOTP for staff who decide about people, appeals with evidence, two-person overrides,
// alarms to auditors, holders' deletion requests, and the scan aggregates kept after retention.
import { sql, type Kysely } from 'kysely';

export async function up(db: Kysely<unknown>): Promise<void> {
  // append-only; seq is the chain order (unique: two appenders cannot both extend the same head)
  await db.schema
    .createTable('audit_log')
    .addColumn('seq', 'bigint', (c) => c.primaryKey())
    .addColumn('at', 'bigint', (c) => c.notNull())
    .addColumn('actor_kind', 'text', (c) => c.notNull())
    .addColumn('actor_id', 'text')
    .addColumn('actor_role', 'text', (c) => c.notNull())
    .addColumn('action', 'text', (c) => c.notNull())
    .addColumn('subject_kind', 'text')
    .addColumn('subject_id', 'text')
    .addColumn('reason', 'text')
    .addColumn('detail', 'text', (c) => c.notNull())
    .addColumn('prev_hash', 'text', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('audit_log_subject').on('audit_log').columns(['subject_kind', 'subject_id', 'seq']).execute();
  await db.schema.createIndex('audit_log_actor').on('audit_log').columns(['actor_id', 'at']).execute();

  await db.schema
    .createTable('audit_heads')
    .addColumn('day', 'text', (c) => c.primaryKey())
    .addColumn('seq', 'bigint', (c) => c.notNull())
    .addColumn('hash', 'text', (c) => c.notNull())
    .addColumn('published_at', 'bigint', (c) => c.notNull())
    .execute();

  await db.schema
    .createTable('login_failures')
    .addColumn('key', 'text', (c) => c.primaryKey())
    .addColumn('failures', 'integer', (c) => c.notNull())
    .addColumn('window_start', 'bigint', (c) => c.notNull())
    .addColumn('locked_until', 'bigint')
    .execute();

  await db.schema.alterTable('staff_accounts').addColumn('totp_secret', 'text').execute();
  await db.schema.alterTable('staff_accounts').addColumn('totp_last_step', 'bigint').execute();

  await db.schema
    .createTable('overrides')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('holder_id', 'text', (c) => c.notNull().references('holders.id'))
    .addColumn('colour', 'text', (c) => c.notNull())
    .addColumn('reason_code', 'text', (c) => c.notNull())
    .addColumn('note', 'text', (c) => c.notNull())
    .addColumn('until', 'bigint', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('proposed_by', 'text', (c) => c.notNull())
    .addColumn('proposed_at', 'bigint', (c) => c.notNull())
    .addColumn('approved_by', 'text')
    .addColumn('decided_by', 'text')
    .addColumn('decided_at', 'bigint')
    .addColumn('decision_note', 'text')
    .addColumn('appeal_id', 'text')
    .addColumn('flags', 'text', (c) => c.notNull())
    // self-approval is impossible in the store itself, whatever the code above it does
    .addCheckConstraint('overrides_two_people', sql`approved_by is null or approved_by <> proposed_by`)
    .addCheckConstraint('overrides_approved_has_approver', sql`status <> 'approved' or approved_by is not null`)
    .execute();
  await db.schema.createIndex('overrides_holder').on('overrides').columns(['holder_id', 'status']).execute();
  await db.schema.createIndex('overrides_proposer').on('overrides').columns(['proposed_by', 'proposed_at']).execute();
  await db.schema.createIndex('overrides_proposed_at').on('overrides').column('proposed_at').execute();

  await db.schema
    .createTable('appeals')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('holder_id', 'text', (c) => c.notNull().references('holders.id'))
    .addColumn('assessment_id', 'text')
    .addColumn('colour', 'text', (c) => c.notNull())
    .addColumn('text', 'text', (c) => c.notNull())
    .addColumn('filed_at', 'bigint', (c) => c.notNull())
    .addColumn('deadline_at', 'bigint', (c) => c.notNull())
    .addColumn('status', 'text', (c) => c.notNull())
    .addColumn('decided_by', 'text')
    .addColumn('decided_at', 'bigint')
    .addColumn('decision_reason', 'text')
    .addColumn('override_id', 'text')
    .execute();
  await db.schema.createIndex('appeals_holder').on('appeals').columns(['holder_id', 'filed_at']).execute();
  await db.schema.createIndex('appeals_status').on('appeals').columns(['status', 'deadline_at']).execute();

  await db.schema
    .createTable('appeal_evidence')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('appeal_id', 'text', (c) => c.notNull().references('appeals.id'))
    .addColumn('holder_id', 'text', (c) => c.notNull().references('holders.id'))
    .addColumn('content_type', 'text', (c) => c.notNull())
    .addColumn('size', 'integer', (c) => c.notNull())
    .addColumn('sha256', 'text', (c) => c.notNull())
    // base64: the same column type on both stores
    .addColumn('content', 'text', (c) => c.notNull())
    .addColumn('uploaded_at', 'bigint', (c) => c.notNull())
    .execute();
  await db.schema.createIndex('appeal_evidence_appeal').on('appeal_evidence').column('appeal_id').execute();

  await db.schema
    .createTable('alarms')
    .addColumn('id', 'text', (c) => c.primaryKey())
    .addColumn('kind', 'text', (c) => c.notNull())
    // one alarm per key (e.g. one per official and hour): repeats update it
    .addColumn('key', 'text', (c) => c.notNull().unique())
    .addColumn('raised_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addColumn('subject', 'text', (c) => c.notNull())
    .addColumn('detail', 'text', (c) => c.notNull())
    .addColumn('acknowledged_by', 'text')
    .addColumn('acknowledged_at', 'bigint')
    .addColumn('ack_note', 'text')
    .execute();
  await db.schema.createIndex('alarms_kind').on('alarms').columns(['kind', 'raised_at']).execute();

  // no foreign key: the request outlives the holder it deletes (it records that it was applied)
  await db.schema
    .createTable('deletion_requests')
    .addColumn('holder_id', 'text', (c) => c.primaryKey())
    .addColumn('requested_at', 'bigint', (c) => c.notNull())
    .addColumn('apply_after', 'bigint', (c) => c.notNull())
    .addColumn('hold_reasons', 'text', (c) => c.notNull())
    .addColumn('applied_at', 'bigint')
    .execute();

  // what is kept of scans after retention: counts per venue and UTC day
  await db.schema
    .createTable('scan_daily_counts')
    .addColumn('venue_id', 'text', (c) => c.notNull())
    .addColumn('day', 'text', (c) => c.notNull())
    .addColumn('scans', 'bigint', (c) => c.notNull())
    .addColumn('passes', 'bigint', (c) => c.notNull())
    .addColumn('invalid', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('scan_daily_counts_pk', ['venue_id', 'day'])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  for (const t of ['scan_daily_counts', 'deletion_requests', 'alarms', 'appeal_evidence', 'appeals', 'overrides', 'login_failures', 'audit_heads', 'audit_log']) {
    await db.schema.dropTable(t).ifExists().execute();
  }
  await db.schema.alterTable('staff_accounts').dropColumn('totp_last_step').execute();
  await db.schema.alterTable('staff_accounts').dropColumn('totp_secret').execute();
}
