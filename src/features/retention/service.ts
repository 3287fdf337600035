// Retention and holders' rights.
// - purge: scans older than the ruleset's scan retention are deleted to the millisecond (their
//   counts per venue and day are kept in scan_daily_counts first); declarations, check-ins,
//   issued codes, expired sessions and the evidence of decided appeals go after their configured
//   periods; due deletion requests are applied; overdue appeals raise alarms; today's audit-log
//   head is published. Idempotent; the server runs it hourly and `healthcode purge` on demand.
// - export: everything stored about a holder, as JSON.
// - deletion: asked for by the holder, applied after any hold (shown to them).
import { sql, type Kysely } from 'kysely';
import type { Config } from '../../config.ts';
import type { Database } from '../../db/schema.ts';
import { DomainError } from '../../errors.ts';
import type { Random } from '../../support/clock.ts';
import { statusOf } from '../assessments/repository.ts';
import { raiseAlarm } from '../audit/alarms.ts';
import { audit, publishAuditHead, SYSTEM } from '../audit/service.ts';
import { accessLogOf } from '../access-log/service.ts';
import { runScanMaintenance } from '../ops/maintenance.ts';
import { markExpiredOverrides } from '../overrides/service.ts';
import { deletionOrder, holderTables, NOT_EXPORTED } from './holder-data.ts';

const DAY = 86_400_000;

export type RetentionConfig = Pick<
  Config,
  'retainDeclarationDays' | 'retainCheckInDays' | 'retainIssuedCodeDays' | 'retainEvidenceDays' | 'deletionHoldDays'
>;

export interface PurgeOptions {
  now: Date;
  /** the ruleset's scanRetentionDays */
  scanRetentionDays: number;
  config: RetentionConfig;
  random: Random;
}

export interface PurgeReport {
  scansBefore: string;
  scansDeleted: number;
  scanIdsDeleted: number;
  aggregatedDays: number;
  declarationsDeleted: number;
  checkInsDeleted: number;
  issuedCodesDeleted: number;
  sessionsDeleted: number;
  evidenceDeleted: number;
  overridesExpired: number;
  overdueAppealAlarms: number;
  deletionsApplied: number;
  deletionsPostponed: number;
  auditHead: { day: string; seq: number; published: boolean };
}

function isoDay(dayNumber: number): string {
  return new Date(dayNumber * DAY).toISOString().slice(0, 10);
}

/** Counts the scans before `cutoff` into scan_daily_counts, then deletes them, in one transaction. */
async function purgeScans(db: Kysely<Database>, cutoff: number): Promise<{ scans: number; ids: number; days: number }> {
  return db.transaction().execute(async (trx) => {
    const groups = await trx
      .selectFrom('scans')
      .select([
        'venue_id',
        sql<number>`scanned_at / ${sql.lit(DAY)}`.as('d'),
        (eb) => eb.fn.countAll<number>().as('n'),
        sql<number>`sum(case when verdict_ok = 1 and verdict_colour = 'green' then 1 else 0 end)`.as('passes'),
        sql<number>`sum(case when verdict_ok = 0 then 1 else 0 end)`.as('invalid'),
      ])
      .where('scanned_at', '<', cutoff)
      .groupBy(['venue_id', sql`scanned_at / ${sql.lit(DAY)}`])
      .execute();
    for (const g of groups) {
      const row = { venue_id: g.venue_id, day: isoDay(Math.floor(Number(g.d))), scans: Number(g.n), passes: Number(g.passes), invalid: Number(g.invalid) };
      await trx
        .insertInto('scan_daily_counts')
        .values(row)
        .onConflict((oc) =>
          oc.columns(['venue_id', 'day']).doUpdateSet((eb) => ({
            scans: eb('scan_daily_counts.scans', '+', eb.ref('excluded.scans')),
            passes: eb('scan_daily_counts.passes', '+', eb.ref('excluded.passes')),
            invalid: eb('scan_daily_counts.invalid', '+', eb.ref('excluded.invalid')),
          })),
        )
        .execute();
    }
    const s = await trx.deleteFrom('scans').where('scanned_at', '<', cutoff).executeTakeFirst();
    const l = await trx.deleteFrom('scan_event_ids').where('scanned_at', '<', cutoff).executeTakeFirst();
    return { scans: Number(s.numDeletedRows), ids: Number(l.numDeletedRows), days: new Set(groups.map((g) => `${g.d}`)).size };
  });
}

export async function runPurge(db: Kysely<Database>, opts: PurgeOptions): Promise<PurgeReport> {
  const t = opts.now.getTime();
  const c = opts.config;
  const cutoff = t - opts.scanRetentionDays * DAY;
  const scans = await purgeScans(db, cutoff);
  // partitions: the coming days ready, the emptied past days dropped (PostgreSQL)
  await runScanMaintenance(db, { now: opts.now, retentionDays: opts.scanRetentionDays });

  const del = async (q: Promise<{ numDeletedRows: bigint }>) => Number((await q).numDeletedRows);
  const declarationsDeleted = await del(db.deleteFrom('declarations').where('declared_at', '<', t - c.retainDeclarationDays * DAY).executeTakeFirst());
  const checkInsDeleted = await del(db.deleteFrom('check_ins').where('at', '<', t - c.retainCheckInDays * DAY).executeTakeFirst());
  const issuedCodesDeleted = await del(db.deleteFrom('issued_codes').where('expires_at', '<', t - c.retainIssuedCodeDays * DAY).executeTakeFirst());
  const sessionsDeleted = await del(db.deleteFrom('sessions').where('expires_at', '<', t).executeTakeFirst());
  await db
    .deleteFrom('login_failures')
    .where('window_start', '<', t - DAY)
    .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', t)]))
    .execute();
  const decided = db.selectFrom('appeals').select('id').where('status', '<>', 'open').where('decided_at', '<', t - c.retainEvidenceDays * DAY);
  const evidenceDeleted = await del(db.deleteFrom('appeal_evidence').where('appeal_id', 'in', decided).executeTakeFirst());
  const overridesExpired = await markExpiredOverrides(db, opts.now);

  let overdueAppealAlarms = 0;
  const overdue = await db.selectFrom('appeals').select(['id', 'holder_id', 'deadline_at']).where('status', '=', 'open').where('deadline_at', '<', t).execute();
  for (const a of overdue) {
    const isNew = await db.transaction().execute((trx) =>
      raiseAlarm(
        trx,
        { kind: 'appeal_overdue', key: `appeal_overdue:${a.id}`, subject: `appeal:${a.id}`, detail: { appealId: a.id, deadline: new Date(Number(a.deadline_at)).toISOString() } },
        { now: opts.now, random: opts.random },
      ),
    );
    if (isNew) overdueAppealAlarms++;
  }

  const deletions = await applyDueDeletions(db, opts);
  const head = await publishAuditHead(db, opts.now);
  const report: PurgeReport = {
    scansBefore: new Date(cutoff).toISOString(),
    scansDeleted: scans.scans,
    scanIdsDeleted: scans.ids,
    aggregatedDays: scans.days,
    declarationsDeleted,
    checkInsDeleted,
    issuedCodesDeleted,
    sessionsDeleted,
    evidenceDeleted,
    overridesExpired,
    overdueAppealAlarms,
    deletionsApplied: deletions.applied,
    deletionsPostponed: deletions.postponed,
    auditHead: { day: head.day, seq: head.seq, published: head.published },
  };
  const { auditHead: _h, scansBefore, ...counts } = report;
  if (Object.values(counts).some((n) => n > 0)) {
    await audit(db, { at: opts.now, actor: SYSTEM, action: 'retention.purge', detail: { scansBefore, ...counts } });
  }
  return report;
}

// ---------------------------------------------------------------- export

/** Everything stored about a holder, table by table, plus who accessed their record. */
export async function exportHolderData(db: Kysely<Database>, holderId: string, pseudonymKey: Buffer, now: Date): Promise<Record<string, unknown>> {
  const tables: Record<string, unknown[]> = {};
  for (const table of await holderTables(db)) {
    const column = table === 'holders' ? 'id' : 'holder_id';
    const rows = (await sql<Record<string, unknown>>`select * from ${sql.table(table)} where ${sql.ref(column)} = ${holderId}`.execute(db)).rows;
    const hidden = NOT_EXPORTED[table] ?? [];
    tables[table] = rows.map((r) => {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(r)) {
        if (hidden.includes(k)) continue;
        // JSON documents stored as text are exported as JSON
        out[k] = typeof v === 'string' && /^[[{]/.test(v) ? safeJson(v) : v;
      }
      return out;
    });
  }
  const deletion = await db.selectFrom('deletion_requests').selectAll().where('holder_id', '=', holderId).executeTakeFirst();
  return {
    exportedAt: now.toISOString(),
    holderId,
    note: 'Every row stored about you. Times are milliseconds since 1970-01-01 UTC. Password and ID-number hashes are not included; evidence files are listed by their SHA-256.',
    tables,
    accessLog: await accessLogOf(db, holderId, pseudonymKey, 100_000),
    deletionRequest: deletion ?? null,
  };
}

function safeJson(v: string): unknown {
  try {
    return JSON.parse(v);
  } catch {
    return v;
  }
}

// ---------------------------------------------------------------- deletion

export type HoldCode = 'measure_in_force' | 'health_records_kept' | 'appeal_open' | 'override_active';

export interface DeletionHold {
  applyAfter: Date;
  reasons: { code: HoldCode; text: string }[];
}

/** When a deletion may be applied, and why not sooner. */
export async function deletionHold(db: Kysely<Database>, holderId: string, now: Date, holdDays: number): Promise<DeletionHold> {
  const reasons: DeletionHold['reasons'] = [];
  let after = now.getTime();
  const [status] = await statusOf(db, [holderId]);
  if (status && status.colour !== 'green') {
    reasons.push({ code: 'measure_in_force', text: `your code is ${status.colour}: health records are kept while a health measure is in force; deletion waits until it ends` });
    after = Math.max(after, Number(status.valid_until));
  }
  const last = await Promise.all([
    db.selectFrom('lab_results').select((eb) => eb.fn.max('reported_at').as('t')).where('holder_id', '=', holderId).executeTakeFirst(),
    db.selectFrom('exposures').select((eb) => eb.fn.max('notified_at').as('t')).where('holder_id', '=', holderId).executeTakeFirst(),
    db.selectFrom('discharges').select((eb) => eb.fn.max('at').as('t')).where('holder_id', '=', holderId).executeTakeFirst(),
  ]);
  const lastFact = Math.max(0, ...last.map((r) => Number(r?.t ?? 0)));
  if (lastFact > 0 && lastFact + holdDays * DAY > after) {
    after = lastFact + holdDays * DAY;
    reasons.push({ code: 'health_records_kept', text: `lab results, exposures and discharges are kept for ${holdDays} days after they are recorded (public-health record keeping)` });
  }
  const open = await db.selectFrom('appeals').select('id').where('holder_id', '=', holderId).where('status', '=', 'open').executeTakeFirst();
  if (open) reasons.push({ code: 'appeal_open', text: 'an appeal of yours is open: deletion waits for its decision' });
  const override = await db
    .selectFrom('overrides')
    .select((eb) => eb.fn.max('until').as('t'))
    .where('holder_id', '=', holderId)
    .where('status', 'in', ['proposed', 'approved'])
    .where('until', '>', now.getTime())
    .executeTakeFirst();
  if (override?.t) {
    after = Math.max(after, Number(override.t));
    reasons.push({ code: 'override_active', text: 'an override on your code is pending or in force: deletion waits until it ends' });
  }
  return { applyAfter: new Date(after), reasons };
}

export async function requestDeletion(db: Kysely<Database>, holderId: string, now: Date, holdDays: number): Promise<DeletionHold> {
  const existing = await db.selectFrom('deletion_requests').select('holder_id').where('holder_id', '=', holderId).executeTakeFirst();
  if (existing) throw new DomainError('deletion_already_requested', 'you have already asked for your data to be deleted');
  const hold = await deletionHold(db, holderId, now, holdDays);
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto('deletion_requests')
      .values({ holder_id: holderId, requested_at: now.getTime(), apply_after: hold.applyAfter.getTime(), hold_reasons: JSON.stringify(hold.reasons.map((r) => r.text)), applied_at: null })
      .execute();
    await audit(trx, {
      at: now,
      actor: { kind: 'holder', id: holderId, role: 'holder' },
      action: 'deletion.request',
      subject: { kind: 'holder', id: holderId },
      detail: { applyAfter: hold.applyAfter.toISOString(), holdReasons: hold.reasons.map((r) => r.code) },
    });
  });
  return hold;
}

/** Deletes every row of the holder (the audit log keeps its entries, which name only an id). */
export async function deleteHolderData(db: Kysely<Database>, holderId: string): Promise<Record<string, number>> {
  const order = await deletionOrder(db);
  const counts: Record<string, number> = {};
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom('sessions').where('subject_kind', '=', 'holder').where('subject_id', '=', holderId).execute();
    for (const table of order) {
      const column = table === 'holders' ? 'id' : 'holder_id';
      const r = await sql`delete from ${sql.table(table)} where ${sql.ref(column)} = ${holderId}`.execute(trx);
      counts[table] = Number(r.numAffectedRows ?? 0);
    }
  });
  return counts;
}

async function applyDueDeletions(db: Kysely<Database>, opts: PurgeOptions): Promise<{ applied: number; postponed: number }> {
  const due = await db.selectFrom('deletion_requests').selectAll().where('applied_at', 'is', null).where('apply_after', '<=', opts.now.getTime()).execute();
  let applied = 0;
  let postponed = 0;
  for (const d of due) {
    const hold = await deletionHold(db, d.holder_id, opts.now, opts.config.deletionHoldDays);
    const t = opts.now.getTime();
    // a measure in force or an open appeal blocks deletion whatever the dates say; look again in an hour at the earliest
    const blocked = hold.applyAfter.getTime() > t || hold.reasons.some((r) => r.code === 'measure_in_force' || r.code === 'appeal_open');
    if (blocked) {
      await db
        .updateTable('deletion_requests')
        .set({ apply_after: Math.max(hold.applyAfter.getTime(), t + 3_600_000), hold_reasons: JSON.stringify(hold.reasons.map((r) => r.text)) })
        .where('holder_id', '=', d.holder_id)
        .execute();
      postponed++;
      continue;
    }
    const counts = await deleteHolderData(db, d.holder_id);
    await db.transaction().execute(async (trx) => {
      await trx.updateTable('deletion_requests').set({ applied_at: opts.now.getTime() }).where('holder_id', '=', d.holder_id).execute();
      await audit(trx, { at: opts.now, actor: SYSTEM, action: 'deletion.apply', subject: { kind: 'holder', id: d.holder_id }, detail: { rows: counts } });
    });
    applied++;
  }
  return { applied, postponed };
}
