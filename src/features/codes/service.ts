// Issues the live code: a signed token carrying only the pseudonymous code id, colour,
// valid-until, masked name, birth year, ruleset version and issuing region.
import type { Kysely } from 'kysely';
import QRCode from 'qrcode';
import type { CodeView } from '../../contracts/api.ts';
import { maskName } from '../../core/holders/mask.ts';
import { encodeHealthCode } from '../../core/token/index.ts';
import type { Database } from '../../db/schema.ts';
import type { Random } from '../../support/clock.ts';
import type { StoredAssessment } from '../assessments/service.ts';
import { birthYear, type Holder } from '../holders/model.ts';
import type { KeyRing } from '../keys/service.ts';

/** Signs a code for a holder's assessment: a fresh pseudonymous code id, only the claims a checkpoint may see. */
export function signHolderCode(
  holder: Holder,
  assessment: StoredAssessment,
  v: { kind: 'live' | 'paper'; issuedAt: Date; validUntil: Date },
  ctx: { random: Random; keys: KeyRing },
): { codeId: string; token: string } {
  const codeId = ctx.random.bytes(16).toString('hex');
  const token = encodeHealthCode(
    {
      codeId,
      colour: assessment.colour,
      maskedName: maskName(holder.name),
      birthYear: birthYear(holder),
      rulesetVersion: assessment.rulesetVersion,
      region: ctx.keys.region,
      issuedAt: v.issuedAt,
      validUntil: v.validUntil,
      kind: v.kind,
    },
    ctx.keys.active,
  );
  return { codeId, token };
}

export async function issueLiveCode(
  db: Kysely<Database>,
  holder: Holder,
  assessment: StoredAssessment,
  ctx: { now: Date; random: Random; keys: KeyRing; liveCodeMinutes: number },
): Promise<CodeView> {
  const issuedAt = new Date(Math.floor(ctx.now.getTime() / 1000) * 1000);
  // CWT times are whole seconds; a code never outlives the assessment it shows
  const expiresMs = Math.min(issuedAt.getTime() + ctx.liveCodeMinutes * 60_000, assessment.validUntil.getTime());
  const expiresAt = new Date(Math.floor(expiresMs / 1000) * 1000);
  const { codeId, token } = signHolderCode(holder, assessment, { kind: 'live', issuedAt, validUntil: expiresAt }, ctx);
  await db
    .insertInto('issued_codes')
    .values({
      code_id: codeId,
      holder_id: holder.id,
      kind: 'live',
      colour: assessment.colour,
      issued_at: issuedAt.getTime(),
      expires_at: expiresAt.getTime(),
    })
    .execute();
  const svg = await QRCode.toString(token, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
  return { token, svg, colour: assessment.colour, issuedAt: issuedAt.toISOString(), expiresAt: expiresAt.toISOString() };
}
