// A holder's own check-in at a venue: they scanned the venue's poster (/?checkin=<venueId>) and
// confirmed. It is stored as a scan of that holder at that venue, through the same scan writer as
// a checkpoint's scans (event-id ledger, group commit, acknowledged after commit), so tracing,
// risk-area stays, venue counts, compliance, export and retention all see it like any scan.
// No code is read, so there is no operator and no code id; the verdict records the holder's
// colour at that moment, from their current assessment.
import crypto from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Verdict } from '../../contracts/api.ts';
import { maskName } from '../../core/holders/mask.ts';
import type { Database, ScanTable, VenueTable } from '../../db/schema.ts';
import { DomainError } from '../../errors.ts';
import { currentAssessment, type AssessContext } from '../assessments/service.ts';
import type { Holder } from '../holders/model.ts';
import { birthYear } from '../holders/model.ts';
import { RETENTION_DAYS } from '../scans/service.ts';
import type { ScanWriter } from '../scans/writer.ts';
import { findVenue, presentVenue } from '../venues/repository.ts';
import type { VenueVisitBody, VenueVisitView } from './contract.ts';

/** The `scans.mode` of a holder's own check-in (checkpoints write camera / manual / offline_sync). */
export const SELF_CHECK_IN_MODE = 'self_checkin';

/** What identifies a self check-in: the same event id with another holder or venue is refused. */
function fingerprint(holderId: string, venueId: string): string {
  return crypto.createHash('sha256').update(JSON.stringify([SELF_CHECK_IN_MODE, holderId, venueId])).digest('hex');
}

export function presentVisit(row: Pick<ScanTable, 'event_id' | 'scanned_at' | 'verdict_colour' | 'mode'>, venue: VenueTable): VenueVisitView {
  const colour = row.verdict_colour;
  return {
    eventId: row.event_id,
    venue: presentVenue(venue),
    at: new Date(Number(row.scanned_at)).toISOString(),
    colour: colour === 'green' || colour === 'yellow' || colour === 'red' || colour === 'grey' ? colour : null,
    source: row.mode === SELF_CHECK_IN_MODE ? 'self_check_in' : 'checkpoint',
  };
}

export interface RecordedVisit {
  status: 'stored' | 'duplicate';
  visit: VenueVisitView;
}

/**
 * Records the holder's check-in at a venue now. Idempotent by the phone's event id: a repeat
 * answers the stored visit; the same id for another venue (or holder) is event_id_reused.
 */
export async function recordVenueVisit(
  db: Kysely<Database>,
  writer: ScanWriter,
  holder: Holder,
  body: VenueVisitBody,
  ctx: AssessContext,
): Promise<RecordedVisit> {
  const venue = await findVenue(db, body.venueId);
  if (!venue) throw new DomainError('unknown_venue', `no venue has id ${JSON.stringify(body.venueId)}`);
  const assessment = await currentAssessment(db, holder, ctx);
  const now = ctx.now.getTime();
  const verdict: Verdict = {
    ok: true,
    pass: assessment.colour === 'green',
    error: null,
    colour: assessment.colour,
    maskedName: maskName(holder.name),
    birthYear: birthYear(holder),
    validUntil: assessment.validUntil.toISOString(),
    region: holder.region,
    rulesetVersion: assessment.rulesetVersion,
    kind: null,
    assurance: null,
    colourSource: 'current',
    colourAsOf: ctx.now.toISOString(),
    message: 'self check-in: the holder scanned the venue poster',
  };
  const row: ScanTable = {
    event_id: body.clientEventId.toLowerCase(),
    venue_id: venue.id,
    operator_id: null,
    holder_id: holder.id,
    code_id: null,
    scanned_at: now,
    received_at: now,
    mode: SELF_CHECK_IN_MODE,
    direction: null,
    temperature_c: null,
    verdict_ok: 1,
    verdict_error: null,
    verdict_colour: assessment.colour,
    verdict: JSON.stringify(verdict),
    fingerprint: fingerprint(holder.id, venue.id),
  };
  const outcome = await writer.write(row);
  if (outcome.status === 'purged') {
    throw new DomainError('event_id_reused', `event id ${row.event_id} was used for a check-in that has since been purged by retention`);
  }
  if (outcome.status === 'duplicate' && outcome.row.fingerprint !== row.fingerprint) {
    throw new DomainError('event_id_reused', `event id ${row.event_id} was already used for a different check-in or scan`);
  }
  return { status: outcome.status, visit: presentVisit(outcome.row, venue) };
}

/** The holder's recorded visits within the scan retention period (self check-ins and checkpoint scans), newest first. */
export async function recentVisits(db: Kysely<Database>, holderId: string, now: Date, limit = 100): Promise<VenueVisitView[]> {
  const rows = await db
    .selectFrom('scans')
    .innerJoin('venues', 'venues.id', 'scans.venue_id')
    .select(['scans.event_id', 'scans.scanned_at', 'scans.verdict_colour', 'scans.mode'])
    .select(['venues.id', 'venues.name', 'venues.kind', 'venues.region', 'venues.address', 'venues.created_at'])
    .where('scans.holder_id', '=', holderId)
    .where('scans.scanned_at', '>=', now.getTime() - RETENTION_DAYS * 86_400_000)
    .orderBy('scans.scanned_at', 'desc')
    .orderBy('scans.event_id')
    .limit(limit)
    .execute();
  return rows.map((r) =>
    presentVisit(r, { id: r.id, name: r.name, kind: r.kind, region: r.region, address: r.address, created_at: r.created_at }),
  );
}
