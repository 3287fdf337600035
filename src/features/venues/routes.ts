// Venue managers: register venues (with their expected daily footfall), print their check-in poster, see daily scan counts
//   /api/venue/venues…            venue_manager, own venues only (staff_venues links them); listed with declared + learned footfall
//   /api/public/venues/:id        anyone: the public face of a venue (what a poster's QR code names)
import { Type } from '@sinclair/typebox';
import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import QRCode from 'qrcode';
import { ErrorBody, ManagedVenueView, VenueKind, VenueView } from '../../contracts/api.ts';
import { localDate, nextDate, prevDate, startOfLocalDate } from '../../core/time/zones.ts';
import type { Database, VenueTable } from '../../db/schema.ts';
import type { AppDeps } from '../../deps.ts';
import { DomainError } from '../../errors.ts';
import { staffOf } from '../auth/guard.ts';
import { declareFootfall, expectedFootfall, MAX_DECLARED_DAILY } from '../compliance/service.ts';
import { findVenue, insertVenue, isStaffOfVenue, presentVenue, venuesOfStaff } from './repository.ts';

const errors = { 400: ErrorBody, 401: ErrorBody, 403: ErrorBody, 404: ErrorBody, 409: ErrorBody };

/** How many days of counts the venue page shows (within the 21-day scan retention). */
export const COUNT_DAYS = 14;

/** The text in a venue poster's QR code: opens the holder app at this venue's check-in. */
export const VENUE_CHECKIN_PREFIX = '/?checkin=';

const RegisterVenueBody = Type.Object(
  {
    name: Type.String({ minLength: 2, maxLength: 120 }),
    kind: VenueKind,
    region: Type.String({ minLength: 1, maxLength: 32 }),
    address: Type.String({ minLength: 3, maxLength: 300 }),
    declaredDaily: Type.Optional(
      Type.Integer({ minimum: 0, maximum: MAX_DECLARED_DAILY, description: 'expected visitors per day; recorded as the venue’s declared footfall (as POST /venues/:id/footfall)' }),
    ),
  },
  { additionalProperties: false },
);
type RegisterVenueBody = { name: string; kind: VenueView['kind']; region: string; address: string; declaredDaily?: number };

const DayCount = Type.Object({
  day: Type.String({ description: 'calendar date in the deployment time zone' }),
  scans: Type.Integer(),
  passes: Type.Integer({ description: 'valid green codes' }),
  stops: Type.Integer({ description: 'valid yellow, red or grey codes' }),
  invalid: Type.Integer({ description: 'codes that failed verification' }),
});

const VenueCounts = Type.Object({ venueId: Type.String(), timeZone: Type.String(), days: Type.Array(DayCount) });

const Poster = Type.Object({
  venue: VenueView,
  checkInUrl: Type.String({ description: 'the URL in the QR code' }),
  qrSvg: Type.String({ description: 'the QR code as SVG' }),
});

const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) });

async function ownVenue(deps: AppDeps, staffId: string, id: string) {
  const venue = await findVenue(deps.store.db, id);
  // the same answer for a venue that does not exist and one of another manager: ids are not probed
  if (!venue || !(await isStaffOfVenue(deps.store.db, staffId, id))) throw new DomainError('not_found', `no venue ${JSON.stringify(id)} of yours`);
  return venue;
}

/** The manager's view of their venues: each with its declared and learned daily footfall for today. */
async function presentManaged(deps: AppDeps, rows: readonly VenueTable[]): Promise<ManagedVenueView[]> {
  const today = localDate(deps.clock.now(), deps.config.defaultTimeZone);
  const footfall = await expectedFootfall(deps.store.db, rows.map((r) => r.id), today);
  return rows.map((r) => ({ ...presentVenue(r), ...footfall.get(r.id)! }));
}

/** Daily counts of one venue for the `days` calendar days ending today, in `timeZone`; one query. */
export async function dailyCounts(db: Kysely<Database>, venueId: string, now: Date, timeZone: string, days = COUNT_DAYS) {
  const dates: string[] = [localDate(now, timeZone)];
  while (dates.length < days) dates.unshift(prevDate(dates[0]!));
  const bounds = dates.map((d) => [startOfLocalDate(d, timeZone).getTime(), startOfLocalDate(nextDate(d), timeZone).getTime()] as const);
  const from = bounds[0]![0];
  const to = bounds[bounds.length - 1]![1];
  const rows = await db
    .selectFrom('scans')
    .select([
      sql<number>`count(*)`.as('n'),
      sql<number>`sum(case when verdict_ok = 1 and verdict_colour = 'green' then 1 else 0 end)`.as('passes'),
      sql<number>`sum(case when verdict_ok = 0 then 1 else 0 end)`.as('invalid'),
    ])
    .where('venue_id', '=', venueId)
    .where('scanned_at', '>=', from)
    .where('scanned_at', '<', to)
    // group by the hour: few rows, and each hour falls in one local date in every real time zone
    .groupBy(sql`scanned_at / 3600000`)
    .select(sql<number>`scanned_at / 3600000`.as('hour'))
    .execute();
  const out = dates.map((day) => ({ day, scans: 0, passes: 0, stops: 0, invalid: 0 }));
  for (const r of rows) {
    const t = Math.floor(Number(r.hour)) * 3_600_000;
    const i = bounds.findIndex(([a, b]) => t >= a && t < b);
    const slot = out[i === -1 ? (t < from ? 0 : out.length - 1) : i]!;
    slot.scans += Number(r.n);
    slot.passes += Number(r.passes);
    slot.invalid += Number(r.invalid);
  }
  for (const s of out) s.stops = s.scans - s.passes - s.invalid;
  return out;
}

function checkInUrl(origin: string, venueId: string): string {
  return `${origin}${VENUE_CHECKIN_PREFIX}${encodeURIComponent(venueId)}`;
}

function originOf(req: { protocol: string; host: string }): string {
  return `${req.protocol}://${req.host}`;
}

/** The venue manager's audience (registered under /api/venue with role venue_manager). */
export async function venueManagerRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  const db = deps.store.db;

  app.get(
    '/venues',
    {
      schema: {
        tags: ['venue'],
        summary: "Your venues, each with its expected daily footfall: declared, and learned from its own scans for today's weekday",
        response: { 200: Type.Object({ venues: Type.Array(ManagedVenueView) }), ...errors },
      },
      config: { roles: ['venue_manager'] },
    },
    async (req) => ({ venues: await presentManaged(deps, await venuesOfStaff(db, staffOf(req).id)) }),
  );

  app.post<{ Body: RegisterVenueBody }>(
    '/venues',
    {
      schema: {
        tags: ['venue'],
        summary: 'Register a venue you manage, optionally with its expected daily footfall; you are linked to it (and may scan there)',
        body: RegisterVenueBody,
        response: { 201: Type.Object({ venue: ManagedVenueView }), ...errors },
      },
      config: { roles: ['venue_manager'] },
    },
    async (req, reply) => {
      const staff = staffOf(req);
      const region = await db.selectFrom('regions').select('code').where('code', '=', req.body.region).executeTakeFirst();
      if (!region) throw new DomainError('invalid_request', `unknown region ${JSON.stringify(req.body.region)}`);
      const id = `V-${deps.random.bytes(5).toString('hex').toUpperCase()}`;
      const row = {
        id,
        name: req.body.name.trim(),
        kind: req.body.kind,
        region: region.code,
        address: req.body.address.trim(),
        created_at: deps.clock.now().getTime(),
      };
      const now = deps.clock.now();
      await db.transaction().execute(async (trx) => {
        await insertVenue(trx, row);
        await trx.insertInto('staff_venues').values({ staff_id: staff.id, venue_id: id }).execute();
        // the same path as a later declaration: refused values roll the venue back too
        if (req.body.declaredDaily !== undefined) await declareFootfall(trx, id, req.body.declaredDaily, staff.id, now);
      });
      req.auditSubject = { kind: 'venue', id };
      return reply.code(201).send({ venue: (await presentManaged(deps, [row]))[0]! });
    },
  );

  app.get<{ Params: { id: string } }>(
    '/venues/:id/poster',
    {
      schema: { tags: ['venue'], summary: "The venue's check-in poster: its QR code (a check-in URL) and name", params: IdParams, response: { 200: Poster, ...errors } },
      config: { roles: ['venue_manager'] },
    },
    async (req) => {
      const venue = await ownVenue(deps, staffOf(req).id, req.params.id);
      const url = checkInUrl(originOf(req), venue.id);
      const qrSvg = await QRCode.toString(url, { type: 'svg', errorCorrectionLevel: 'Q', margin: 2 });
      return { venue: presentVenue(venue), checkInUrl: url, qrSvg };
    },
  );

  app.get<{ Params: { id: string } }>(
    '/venues/:id/counts',
    {
      schema: {
        tags: ['venue'],
        summary: `Scans per day at the venue, the last ${COUNT_DAYS} days (in the deployment time zone)`,
        params: IdParams,
        response: { 200: VenueCounts, ...errors },
      },
      config: { roles: ['venue_manager'] },
    },
    async (req) => {
      const venue = await ownVenue(deps, staffOf(req).id, req.params.id);
      const tz = deps.config.defaultTimeZone;
      return { venueId: venue.id, timeZone: tz, days: await dailyCounts(db, venue.id, deps.clock.now(), tz) };
    },
  );
}

/** Anyone: the public face of a venue, for a holder who scanned its poster. */
export async function publicVenueRoutes(app: FastifyInstance, deps: AppDeps): Promise<void> {
  app.get<{ Params: { id: string } }>(
    '/venues/:id',
    { schema: { tags: ['public'], summary: 'A venue by id (name, kind, region, address)', params: IdParams, response: { 200: Type.Object({ venue: VenueView }), 404: ErrorBody } } },
    async (req) => {
      const venue = await findVenue(deps.store.db, req.params.id);
      if (!venue) throw new DomainError('not_found', `no venue ${JSON.stringify(req.params.id)}`);
      return { venue: presentVenue(venue) };
    },
  );
}
