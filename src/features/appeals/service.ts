// Appeals: a holder contests a colour in writing, with evidence files; an official decides by
// the deadline with a written reason; the holder sees the decision. Upholding an appeal changes
// the colour only through the override path: the deciding official proposes the override, and a
// different supervisor must approve it.
import crypto from 'node:crypto';
import type { Kysely } from 'kysely';
import type { AppealBody, AppealDecisionBody, AppealView } from '../../contracts/due-process.ts';
import type { AppealEvidenceTable, AppealTable, Database } from '../../db/schema.ts';
import { DomainError } from '../../errors.ts';
import type { Random } from '../../support/clock.ts';
import { statusOf } from '../assessments/repository.ts';
import { audit, type Actor } from '../audit/service.ts';
import type { Holder } from '../holders/model.ts';
import { presentOverride } from '../overrides/present.ts';
import { proposeOverride, type OverrideContext } from '../overrides/service.ts';
import { staffPseudonym } from '../security/pseudonym.ts';
import { inTransaction } from '../security/transaction.ts';
import type { Staff } from '../staff/service.ts';

export const MAX_EVIDENCE_FILES = 5;

/** The evidence types accepted, each recognised by its first bytes (the declared type must agree). */
export const EVIDENCE_TYPES: Record<string, (b: Buffer) => boolean> = {
  'application/pdf': (b) => b.subarray(0, 5).toString('latin1') === '%PDF-',
  'image/png': (b) => b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])),
  'image/jpeg': (b) => b.length > 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff,
};

export async function findAppealOf(db: Kysely<Database>, holderId: string, id: string): Promise<AppealTable> {
  // another holder's appeal answers exactly like one that does not exist
  const row = await db.selectFrom('appeals').selectAll().where('id', '=', id).where('holder_id', '=', holderId).executeTakeFirst();
  if (!row) throw new DomainError('not_found', `no appeal ${JSON.stringify(id)}`);
  return row;
}

export async function findAppeal(db: Kysely<Database>, id: string): Promise<AppealTable> {
  const row = await db.selectFrom('appeals').selectAll().where('id', '=', id).executeTakeFirst();
  if (!row) throw new DomainError('not_found', `no appeal ${JSON.stringify(id)}`);
  return row;
}

export async function fileAppeal(
  db: Kysely<Database>,
  holder: Holder,
  body: AppealBody,
  ctx: { now: Date; random: Random; deadlineHours: number },
): Promise<AppealTable> {
  const [status] = await statusOf(db, [holder.id]);
  if (!status) throw new DomainError('invalid_request', 'there is no assessment to appeal yet');
  if (status.colour === 'green') throw new DomainError('invalid_request', 'the code is green: there is nothing to appeal');
  if (body.assessmentId && body.assessmentId !== status.assessment_id) {
    const a = await db.selectFrom('assessments').select('id').where('id', '=', body.assessmentId).where('holder_id', '=', holder.id).executeTakeFirst();
    if (!a) throw new DomainError('not_found', `no assessment ${JSON.stringify(body.assessmentId)}`);
  }
  const open = await db.selectFrom('appeals').select('id').where('holder_id', '=', holder.id).where('status', '=', 'open').executeTakeFirst();
  if (open) throw new DomainError('appeal_already_open', `appeal ${open.id} is still open; add evidence to it or wait for its decision`);
  const t = ctx.now.getTime();
  const row: AppealTable = {
    id: ctx.random.uuid(),
    holder_id: holder.id,
    assessment_id: body.assessmentId ?? status.assessment_id,
    colour: status.colour,
    text: body.text,
    filed_at: t,
    deadline_at: t + ctx.deadlineHours * 3_600_000,
    status: 'open',
    decided_by: null,
    decided_at: null,
    decision_reason: null,
    override_id: null,
  };
  return db.transaction().execute(async (trx) => {
    await trx.insertInto('appeals').values(row).execute();
    await audit(trx, {
      at: ctx.now,
      actor: { kind: 'holder', id: holder.id, role: 'holder' },
      action: 'appeal.file',
      subject: { kind: 'holder', id: holder.id },
      detail: { appealId: row.id, colour: row.colour, deadline: new Date(row.deadline_at).toISOString() },
    });
    return row;
  });
}

export async function addEvidence(
  db: Kysely<Database>,
  holder: Holder,
  appealId: string,
  file: { contentType: string; bytes: Buffer },
  ctx: { now: Date; random: Random; maxBytes: number },
): Promise<AppealEvidenceTable> {
  const appeal = await findAppealOf(db, holder.id, appealId);
  if (appeal.status !== 'open') throw new DomainError('appeal_closed', `appeal ${appealId} has been decided; evidence can no longer be added`);
  if (file.bytes.length === 0) throw new DomainError('invalid_request', 'the evidence file is empty');
  if (file.bytes.length > ctx.maxBytes) throw new DomainError('payload_too_large', `an evidence file may be at most ${ctx.maxBytes} bytes`);
  const check = EVIDENCE_TYPES[file.contentType];
  if (!check) throw new DomainError('unsupported_media_type', `evidence must be one of ${Object.keys(EVIDENCE_TYPES).join(', ')}`);
  if (!check(file.bytes)) throw new DomainError('unsupported_media_type', `the file is not a ${file.contentType}: its content does not match`);
  const count = await db.selectFrom('appeal_evidence').select((eb) => eb.fn.countAll<number>().as('n')).where('appeal_id', '=', appealId).executeTakeFirstOrThrow();
  if (Number(count.n) >= MAX_EVIDENCE_FILES) throw new DomainError('payload_too_large', `an appeal may carry at most ${MAX_EVIDENCE_FILES} evidence files`);
  const row: AppealEvidenceTable = {
    id: ctx.random.uuid(),
    appeal_id: appealId,
    holder_id: holder.id,
    content_type: file.contentType,
    size: file.bytes.length,
    sha256: crypto.createHash('sha256').update(file.bytes).digest('hex'),
    content: file.bytes.toString('base64'),
    uploaded_at: ctx.now.getTime(),
  };
  return db.transaction().execute(async (trx) => {
    await trx.insertInto('appeal_evidence').values(row).execute();
    await audit(trx, {
      at: ctx.now,
      actor: { kind: 'holder', id: holder.id, role: 'holder' },
      action: 'appeal.evidence',
      subject: { kind: 'holder', id: holder.id },
      detail: { appealId, evidenceId: row.id, contentType: row.content_type, size: row.size, sha256: row.sha256 },
    });
    return row;
  });
}

export async function decideAppeal(
  db: Kysely<Database>,
  official: Staff,
  id: string,
  body: AppealDecisionBody,
  ctx: OverrideContext,
): Promise<AppealTable> {
  const appeal = await findAppeal(db, id);
  if (appeal.status !== 'open') throw new DomainError('appeal_closed', `appeal ${id} was already decided (${appeal.status})`);
  if (body.outcome === 'upheld' && !body.override) {
    throw new DomainError('invalid_request', 'an upheld appeal changes the colour only through an override: give override.colour, override.reasonCode and override.until');
  }
  if (body.outcome === 'rejected' && body.override) throw new DomainError('invalid_request', 'a rejected appeal proposes no override');
  const actor: Actor = { kind: 'staff', id: official.id, role: official.role };
  const t = ctx.now.getTime();
  return inTransaction(db, async (trx) => {
    let overrideId: string | null = null;
    if (body.override) {
      const o = await proposeOverride(
        trx,
        official,
        { holderId: appeal.holder_id, colour: body.override.colour, reasonCode: body.override.reasonCode, note: body.reason, until: new Date(body.override.until), appealId: id },
        ctx,
      );
      overrideId = o.id;
    }
    const r = await trx
      .updateTable('appeals')
      .set({ status: body.outcome, decided_by: official.id, decided_at: t, decision_reason: body.reason, override_id: overrideId })
      .where('id', '=', id)
      .where('status', '=', 'open')
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) !== 1) throw new DomainError('appeal_closed', `appeal ${id} was decided meanwhile`);
    await audit(trx, {
      at: ctx.now,
      actor,
      action: 'appeal.decide',
      subject: { kind: 'holder', id: appeal.holder_id },
      reason: body.reason,
      detail: { appealId: id, outcome: body.outcome, overrideId, late: t > Number(appeal.deadline_at) },
    });
    return { ...appeal, status: body.outcome, decided_by: official.id, decided_at: t, decision_reason: body.reason, override_id: overrideId };
  });
}

export function appealsOfHolder(db: Kysely<Database>, holderId: string): Promise<AppealTable[]> {
  return db.selectFrom('appeals').selectAll().where('holder_id', '=', holderId).orderBy('filed_at', 'desc').execute();
}

export function listAppeals(db: Kysely<Database>, opts: { status?: AppealTable['status']; limit: number }): Promise<AppealTable[]> {
  let q = db.selectFrom('appeals').selectAll().orderBy('deadline_at').limit(opts.limit);
  if (opts.status) q = q.where('status', '=', opts.status);
  return q.execute();
}

export async function findEvidence(db: Kysely<Database>, appealId: string, evidenceId: string): Promise<AppealEvidenceTable> {
  const row = await db.selectFrom('appeal_evidence').selectAll().where('id', '=', evidenceId).where('appeal_id', '=', appealId).executeTakeFirst();
  if (!row) throw new DomainError('not_found', `no evidence ${JSON.stringify(evidenceId)} on appeal ${JSON.stringify(appealId)}`);
  return row;
}

/** Appeals with their evidence (metadata) and override, for the holder (pseudonyms) or staff (account ids). */
export async function presentAppeals(db: Kysely<Database>, rows: AppealTable[], now: Date, who: { pseudonymKey: Buffer } | null): Promise<AppealView[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const evidence = await db
    .selectFrom('appeal_evidence')
    .select(['id', 'appeal_id', 'content_type', 'size', 'sha256', 'uploaded_at'])
    .where('appeal_id', 'in', ids)
    .orderBy('uploaded_at')
    .execute();
  const overrideIds = rows.flatMap((r) => (r.override_id ? [r.override_id] : []));
  const overrides = overrideIds.length ? await db.selectFrom('overrides').selectAll().where('id', 'in', overrideIds).execute() : [];
  const name = (id: string) => (who ? staffPseudonym(who.pseudonymKey, id) : id);
  return rows.map((r) => {
    const o = overrides.find((x) => x.id === r.override_id);
    return {
      id: r.id,
      holderId: r.holder_id,
      colour: r.colour,
      assessmentId: r.assessment_id,
      text: r.text,
      filedAt: new Date(Number(r.filed_at)).toISOString(),
      deadlineAt: new Date(Number(r.deadline_at)).toISOString(),
      overdue: r.status === 'open' ? Number(r.deadline_at) < now.getTime() : Number(r.decided_at) > Number(r.deadline_at),
      status: r.status,
      decision:
        r.status === 'open' || r.decided_at === null
          ? null
          : { outcome: r.status, reason: r.decision_reason ?? '', decidedAt: new Date(Number(r.decided_at)).toISOString(), decidedBy: name(r.decided_by ?? '') },
      override: o ? presentOverride(o, now, who) : null,
      evidence: evidence
        .filter((e) => e.appeal_id === r.id)
        .map((e) => ({ id: e.id, contentType: e.content_type, size: Number(e.size), sha256: e.sha256, uploadedAt: new Date(Number(e.uploaded_at)).toISOString() })),
    };
  });
}
