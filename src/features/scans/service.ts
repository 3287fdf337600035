// Checkpoint scans: verify the code (the server checks it too), store the scan once per
// client event id, answer the verdict. A scan of an invalid code is stored as well: the
// attempt is part of the movement record and of the venue's compliance counts.
import crypto from 'node:crypto';
import type { Kysely } from 'kysely';
import type { ScanBody, ScanResult, Verdict } from '../../contracts/api.ts';
import { decodeHealthCode, isTokenError, type HealthCodeClaims } from '../../core/token/index.ts';
import type { Database, ScanTable } from '../../db/schema.ts';
import { DomainError } from '../../errors.ts';
import type { KeyRing } from '../keys/service.ts';
import type { Staff } from '../staff/service.ts';
import { findVenue, isStaffOfVenue } from '../venues/repository.ts';
import type { ScanWriter } from './writer.ts';

/** A checkpoint clock may run a little fast; a scan further in the future is refused. */
export const MAX_FUTURE_SKEW_MS = 5 * 60_000;
/** Scans older than the retention period would be purged at once; they are refused. */
export const RETENTION_DAYS = 21;

export function verdictFor(text: string, keys: KeyRing, at: Date): { verdict: Verdict; claims: HealthCodeClaims | null } {
  try {
    const c = decodeHealthCode(text, keys.trust, at);
    return {
      claims: c,
      verdict: {
        ok: true,
        pass: c.colour === 'green',
        error: null,
        colour: c.colour,
        maskedName: c.maskedName,
        birthYear: c.birthYear,
        validUntil: c.validUntil.toISOString(),
        region: c.region,
        rulesetVersion: c.rulesetVersion,
      },
    };
  } catch (e) {
    if (!isTokenError(e)) throw e;
    return {
      claims: null,
      verdict: { ok: false, pass: false, error: e.code, colour: null, maskedName: null, birthYear: null, validUntil: null, region: null, rulesetVersion: null },
    };
  }
}

function fingerprint(body: ScanBody, scannedAt: number): string {
  return crypto
    .createHash('sha256')
    .update(JSON.stringify([body.venueId, body.code, scannedAt, body.mode, body.direction ?? null, body.temperatureC ?? null]))
    .digest('hex');
}

export async function recordScan(
  db: Kysely<Database>,
  writer: ScanWriter,
  operator: Staff,
  body: ScanBody,
  ctx: { now: Date; keys: KeyRing },
): Promise<ScanResult> {
  const scannedAt = Date.parse(body.scannedAt);
  if (Number.isNaN(scannedAt)) throw new DomainError('invalid_date', `scannedAt ${JSON.stringify(body.scannedAt)} is not a date-time`);
  if (scannedAt > ctx.now.getTime() + MAX_FUTURE_SKEW_MS) {
    throw new DomainError('invalid_date', `scannedAt ${body.scannedAt} is in the future (server time ${ctx.now.toISOString()}); check the checkpoint's clock`);
  }
  if (scannedAt < ctx.now.getTime() - RETENTION_DAYS * 86_400_000) {
    throw new DomainError('invalid_date', `scannedAt ${body.scannedAt} is older than the ${RETENTION_DAYS}-day retention period`);
  }
  const venue = await findVenue(db, body.venueId);
  if (!venue) throw new DomainError('unknown_venue', `no venue or checkpoint has id ${JSON.stringify(body.venueId)}`);
  if (!(await isStaffOfVenue(db, operator.id, venue.id))) {
    throw new DomainError('forbidden', `account ${operator.username} does not operate venue ${venue.id}`);
  }
  // An offline checkpoint verified the code when it scanned it; judge it at that moment.
  const at = body.mode === 'offline_sync' ? new Date(scannedAt) : ctx.now;
  const { verdict, claims } = verdictFor(body.code, ctx.keys, at);
  let holderId: string | null = null;
  if (claims) {
    const issued = await db.selectFrom('issued_codes').select('holder_id').where('code_id', '=', claims.codeId).executeTakeFirst();
    holderId = issued?.holder_id ?? null;
  }
  const row: ScanTable = {
    event_id: body.eventId.toLowerCase(),
    venue_id: venue.id,
    operator_id: operator.id,
    holder_id: holderId,
    code_id: claims?.codeId ?? null,
    scanned_at: scannedAt,
    received_at: ctx.now.getTime(),
    mode: body.mode,
    direction: body.direction ?? null,
    temperature_c: body.temperatureC ?? null,
    verdict_ok: verdict.ok ? 1 : 0,
    verdict_error: verdict.error,
    verdict_colour: verdict.colour,
    verdict: JSON.stringify(verdict),
    fingerprint: fingerprint(body, scannedAt),
  };
  const outcome = await writer.write(row);
  if (outcome.status === 'duplicate' && outcome.row.fingerprint !== row.fingerprint) {
    throw new DomainError('event_id_reused', `event id ${row.event_id} was already used for a different scan`);
  }
  return {
    eventId: outcome.row.event_id,
    status: outcome.status,
    storedAt: new Date(outcome.row.received_at).toISOString(),
    verdict: JSON.parse(outcome.row.verdict) as Verdict,
  };
}
