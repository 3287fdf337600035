// Lab results: recorded by officials, imported (FHIR, CSV), or uploaded by holders (pending until
// an official verifies them). Every stored result re-assesses its holder; a verified positive PCR
// confirms a case, which is traced (both configurable).
import type { Kysely } from 'kysely';
import type { LabRecord, RecordProblem } from '../../core/labs/records.ts';
import { checkRecord } from '../../core/labs/records.ts';
import type { Database, LabResultTable } from '../../db/schema.ts';
import { DomainError } from '../../errors.ts';
import type { Random } from '../../support/clock.ts';
import { reassessMany, type AssessContext } from '../assessments/service.ts';
import { idHash } from '../holders/model.ts';
import type { RuleBook } from '../rules/book.ts';

export interface LabContext {
  now: Date;
  random: Random;
  rules: RuleBook;
  idHashKey: Buffer;
}

export type LabSource = 'official' | 'fhir' | 'csv' | 'holder';

export interface ImportReport {
  stored: number;
  duplicates: number;
  problems: RecordProblem[];
  /** ids of the results stored now */
  storedIds: string[];
  holdersReassessed: number;
}

export function rowToView(r: LabResultTable) {
  return {
    id: r.id,
    kind: r.kind,
    result: r.result,
    sampledAt: new Date(r.sampled_at).toISOString(),
    reportedAt: new Date(r.reported_at).toISOString(),
    lab: r.lab,
    source: r.source,
    review: r.review,
  };
}

/** Stores records for the holders they name; idempotent by (source, external id). */
export async function storeLabRecords(
  db: Kysely<Database>,
  records: { at: string; record: LabRecord }[],
  source: LabSource,
  ctx: LabContext,
): Promise<ImportReport> {
  const report: ImportReport = { stored: 0, duplicates: 0, problems: [], storedIds: [], holdersReassessed: 0 };
  const touched = new Map<string, { id: string; timeZone: string; dateOfBirth: string }>();
  for (const { at, record } of records) {
    const problem = checkRecord(record, ctx.now);
    if (problem) {
      report.problems.push({ at, reason: problem });
      continue;
    }
    const holder = await db
      .selectFrom('holders')
      .select(['id', 'time_zone', 'date_of_birth'])
      .where('id_hash', '=', idHash(record.idNumber, ctx.idHashKey))
      .executeTakeFirst();
    if (!holder) {
      report.problems.push({ at, reason: `no holder is registered with ID document …${record.idNumber.slice(-4)}` });
      continue;
    }
    if (record.sampledAt.toISOString().slice(0, 10) < holder.date_of_birth) {
      report.problems.push({ at, reason: `sampled ${record.sampledAt.toISOString()} before the holder was born` });
      continue;
    }
    const id = ctx.random.uuid();
    const inserted = await db
      .insertInto('lab_results')
      .values({
        id,
        holder_id: holder.id,
        kind: record.kind,
        result: record.result,
        sampled_at: record.sampledAt.getTime(),
        reported_at: record.reportedAt.getTime(),
        verified: source === 'holder' ? 0 : 1,
        review: source === 'holder' ? 'pending' : 'verified',
        lab: record.lab.trim(),
        source,
        external_id: record.externalId,
        created_at: ctx.now.getTime(),
      })
      .onConflict((oc) => oc.columns(['source', 'external_id']).doNothing())
      .returning('id')
      .executeTakeFirst();
    if (!inserted) {
      report.duplicates++;
      continue;
    }
    report.stored++;
    report.storedIds.push(id);
    touched.set(holder.id, { id: holder.id, timeZone: holder.time_zone, dateOfBirth: holder.date_of_birth });
  }
  if (touched.size > 0 && source !== 'holder') {
    const ctxA: AssessContext = { rules: ctx.rules, now: ctx.now, random: ctx.random };
    const outcomes = await reassessMany(db, [...touched.values()], ctxA, { kind: 'lab_result', ref: report.storedIds[0] ?? null });
    report.holdersReassessed = outcomes.length;
  }
  return report;
}

/** An official verifies or rejects a result a holder uploaded; a verified one counts from now on. */
export async function reviewUpload(
  db: Kysely<Database>,
  id: string,
  decision: 'verified' | 'rejected',
  ctx: LabContext,
): Promise<LabResultTable> {
  const row = await db.selectFrom('lab_results').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw new DomainError('not_found', `no lab result has id ${JSON.stringify(id)}`);
  if (row.review !== 'pending') throw new DomainError('conflict', `lab result ${id} was already ${row.review}`);
  await db
    .updateTable('lab_results')
    .set({ review: decision, verified: decision === 'verified' ? 1 : 0 })
    .where('id', '=', id)
    .where('review', '=', 'pending')
    .execute();
  if (decision === 'verified') {
    const h = await db.selectFrom('holders').select(['id', 'time_zone', 'date_of_birth']).where('id', '=', row.holder_id).executeTakeFirstOrThrow();
    await reassessMany(db, [{ id: h.id, timeZone: h.time_zone, dateOfBirth: h.date_of_birth }], { rules: ctx.rules, now: ctx.now, random: ctx.random }, { kind: 'lab_result', ref: id });
  }
  return { ...row, review: decision, verified: decision === 'verified' ? 1 : 0 };
}
