// Paper codes: a signed code to print, for people without a phone. It carries kind 'paper' and
// lives longer than a live code (config paperCodeDays, default 7). The print is colour-neutral:
// the token carries the colour as of issue, but a checkpoint online shows the holder's current
// colour, and one offline shows "paper code — colour as of <date>". Printing a new one revokes
// the previous one (the revocation list), so a lost card cannot be used next to its reprint.
import type { Kysely } from 'kysely';
import { PDFDocument, StandardFonts, rgb } from 'pdf-lib';
import QRCode from 'qrcode';
import { maskName } from '../../core/holders/mask.ts';
import type { Database, PaperCodeTable } from '../../db/schema.ts';
import { DomainError } from '../../errors.ts';
import type { Random } from '../../support/clock.ts';
import type { StoredAssessment } from '../assessments/service.ts';
import { birthYear, type Holder } from '../holders/model.ts';
import type { KeyRing } from '../keys/service.ts';
import { signHolderCode } from '../codes/service.ts';
import { revokeCode } from '../revocations/service.ts';

const DAY = 86_400_000;
export const REPRINT_REASON = 'reprinted';

export interface PaperCodeView {
  codeId: string;
  token: string;
  maskedName: string;
  birthYear: number;
  issuedAt: string;
  expiresAt: string;
  /** the previous paper code this one revoked, if any */
  revoked: string | null;
}

export interface PaperCodeContext {
  now: Date;
  random: Random;
  keys: KeyRing;
  paperCodeDays: number;
}

function present(row: PaperCodeTable, holder: Holder, revoked: string | null): PaperCodeView {
  return {
    codeId: row.code_id,
    token: row.token,
    maskedName: maskName(holder.name),
    birthYear: birthYear(holder),
    issuedAt: new Date(Number(row.issued_at)).toISOString(),
    expiresAt: new Date(Number(row.expires_at)).toISOString(),
    revoked,
  };
}

/** Issues a paper code for the holder and revokes any earlier one that is still valid; one transaction. */
export async function issuePaperCode(
  db: Kysely<Database>,
  holder: Holder,
  assessment: StoredAssessment,
  issuer: { kind: 'holder' | 'staff'; id: string },
  ctx: PaperCodeContext,
): Promise<PaperCodeView> {
  const issuedAt = new Date(Math.floor(ctx.now.getTime() / 1000) * 1000);
  const expiresAt = new Date(issuedAt.getTime() + ctx.paperCodeDays * DAY);
  const { codeId, token } = signHolderCode(holder, assessment, { kind: 'paper', issuedAt, validUntil: expiresAt }, ctx);
  const row: PaperCodeTable = {
    code_id: codeId,
    holder_id: holder.id,
    token,
    colour: assessment.colour,
    issued_at: issuedAt.getTime(),
    expires_at: expiresAt.getTime(),
    issued_by_kind: issuer.kind,
    issued_by: issuer.id,
    revoked_at: null,
    revoked_reason: null,
    replaced_by: null,
  };
  const revoked = await db.transaction().execute(async (trx) => {
    const previous = await trx
      .selectFrom('paper_codes')
      .selectAll()
      .where('holder_id', '=', holder.id)
      .where('revoked_at', 'is', null)
      .where('expires_at', '>=', ctx.now.getTime())
      .execute();
    await trx
      .insertInto('issued_codes')
      .values({ code_id: codeId, holder_id: holder.id, kind: 'paper', colour: assessment.colour, issued_at: row.issued_at, expires_at: row.expires_at })
      .execute();
    await trx.insertInto('paper_codes').values(row).execute();
    for (const p of previous) {
      await trx
        .updateTable('paper_codes')
        .set({ revoked_at: ctx.now.getTime(), revoked_reason: REPRINT_REASON, replaced_by: codeId })
        .where('code_id', '=', p.code_id)
        .execute();
      await revokeCode(trx, { codeId: p.code_id, holderId: holder.id, reason: REPRINT_REASON, codeExpiresAt: Number(p.expires_at) }, ctx.now);
    }
    return previous.map((p) => p.code_id);
  });
  return present(row, holder, revoked[0] ?? null);
}

/** The holder's paper code in force (not revoked, not expired), or null. */
export async function currentPaperCode(db: Kysely<Database>, holder: Holder, now: Date): Promise<PaperCodeView | null> {
  const row = await db
    .selectFrom('paper_codes')
    .selectAll()
    .where('holder_id', '=', holder.id)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>=', now.getTime())
    .orderBy('issued_at', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row ? present(row, holder, null) : null;
}

/** One of the holder's paper codes, for printing again; a revoked or expired one is refused. */
export async function paperCodeToPrint(db: Kysely<Database>, holder: Holder, codeId: string, now: Date): Promise<PaperCodeView> {
  const row = await db.selectFrom('paper_codes').selectAll().where('code_id', '=', codeId).where('holder_id', '=', holder.id).executeTakeFirst();
  if (!row) throw new DomainError('not_found', `no paper code ${JSON.stringify(codeId)} of this holder`);
  if (row.revoked_at !== null) {
    throw new DomainError('conflict', `paper code ${codeId} was revoked on ${new Date(Number(row.revoked_at)).toISOString()} (${row.revoked_reason}); print the current one`);
  }
  if (Number(row.expires_at) < now.getTime()) throw new DomainError('conflict', `paper code ${codeId} expired on ${new Date(Number(row.expires_at)).toISOString()}; print a new one`);
  return present(row, holder, null);
}

/** A large black-on-white QR code (error correction Q survives a worn print). */
export function paperCodePng(token: string, widthPx = 1024): Promise<Buffer> {
  return QRCode.toBuffer(token, { type: 'png', errorCorrectionLevel: 'Q', margin: 4, width: widthPx, color: { dark: '#000000', light: '#ffffff' } });
}

/** Text the standard PDF font can draw; other characters (e.g. Chinese) become "*", as masked ones are. */
function printable(text: string): string {
  return Array.from(text)
    .map((ch) => (/^[\x20-\x7e\u00a0-\u00ff]$/.test(ch) ? ch : '*'))
    .join('');
}

function day(iso: string): string {
  return iso.slice(0, 10);
}

/** An A4 page: the QR code across most of the width, masked name, birth year, validity; no colour. */
export async function paperCodePdf(code: PaperCodeView): Promise<Buffer> {
  const pdf = await PDFDocument.create();
  pdf.setTitle('Health code (paper)');
  pdf.setCreator('healthcode');
  pdf.setCreationDate(new Date(code.issuedAt));
  pdf.setModificationDate(new Date(code.issuedAt));
  const page = pdf.addPage([595.28, 841.89]);
  const font = await pdf.embedFont(StandardFonts.Helvetica);
  const bold = await pdf.embedFont(StandardFonts.HelveticaBold);
  const png = await pdf.embedPng(await paperCodePng(code.token, 1200));
  const size = 460;
  const x = (page.getWidth() - size) / 2;
  const black = rgb(0, 0, 0);
  page.drawText('HEALTH CODE - PAPER', { x: 60, y: 780, size: 26, font: bold, color: black });
  page.drawImage(png, { x, y: 280, width: size, height: size });
  const lines = [
    `Name: ${printable(code.maskedName)}    Born: ${code.birthYear}`,
    `Valid ${day(code.issuedAt)} to ${day(code.expiresAt)} (UTC)`,
    'The colour is shown by the checkpoint when it scans this code.',
    'A new print cancels this one.',
  ];
  lines.forEach((text, i) => page.drawText(text, { x: 60, y: 230 - i * 30, size: i === 0 ? 20 : 15, font: i === 0 ? bold : font, color: black }));
  return Buffer.from(await pdf.save({ useObjectStreams: false }));
}
