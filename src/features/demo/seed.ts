// Seeds the demo city through the same services as real use: holders register, some declare,
// everyone is assessed, codes are issued and checkpoints scan them. Idempotent: a second run
// adds nothing (holders are found by phone, scans have deterministic event ids).
import crypto from 'node:crypto';
import type { Kysely } from 'kysely';
import { DAY_MS, HOUR_MS, localDate, startOfLocalDate } from '../../core/time/zones.ts';
import type { Database } from '../../db/schema.ts';
import type { Random } from '../../support/clock.ts';
import { reassess, type StoredAssessment } from '../assessments/service.ts';
import { hashPassword } from '../auth/passwords.ts';
import { issueLiveCode } from '../codes/service.ts';
import { declare } from '../declarations/service.ts';
import { rowToHolder, type Holder } from '../holders/model.ts';
import { findHolderByPhone } from '../holders/repository.ts';
import { registerHolder } from '../holders/service.ts';
import type { KeyRing } from '../keys/service.ts';
import type { RuleBook } from '../rules/book.ts';
import { recordScan } from '../scans/service.ts';
import { ScanWriter } from '../scans/writer.ts';
import { findStaffByUsername, insertStaff } from '../staff/repository.ts';
import type { Staff } from '../staff/service.ts';
import { TOTP_ROLES } from '../security/roles.ts';
import { DEMO_REGIONS, demoHolder, demoVenues, seededRandom } from './city.ts';

export const DEMO_PASSWORD = 'demo-password';
export const DEMO_ACCOUNTS = [
  { username: 'checkpoint1', displayName: 'Checkpoint operator (all demo venues)', role: 'checkpoint_operator' },
  { username: 'venue1', displayName: 'Venue manager, Wanbo Plaza', role: 'venue_manager' },
  { username: 'official1', displayName: 'Health official', role: 'official' },
  { username: 'supervisor1', displayName: 'Supervising health official', role: 'supervisor' },
  { username: 'auditor1', displayName: 'Auditor', role: 'auditor' },
] as const;

/**
 * The demo's TOTP secret for the accounts that need a second factor (officials, supervisors):
 * published with the demo password, so it protects nothing; real accounts get their own from
 * `healthcode staff add`.
 */
export const DEMO_TOTP_SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';

export interface DemoOptions {
  holders: number;
  seed: number;
  scansPerHolder: number;
  onProgress?: (done: number, total: number) => void;
}

export interface DemoContext {
  now: Date;
  random: Random;
  keys: KeyRing;
  rules: RuleBook;
  idHashKey: Buffer;
  timeZone: string;
  liveCodeMinutes: number;
}

export interface DemoSummary {
  holdersCreated: number;
  venues: number;
  scansStored: number;
  scansDuplicate: number;
}

/** A UUID derived from a string, so re-runs produce the same event ids. */
function stableUuid(text: string): string {
  const h = crypto.createHash('sha256').update(text).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

async function seedStatic(db: Kysely<Database>, now: Date, passwordHash: string, random: Random): Promise<string[]> {
  await db.insertInto('regions').values([...DEMO_REGIONS]).onConflict((oc) => oc.column('code').doNothing()).execute();
  const venues = demoVenues();
  await db
    .insertInto('venues')
    .values(venues.map((v) => ({ ...v, created_at: now.getTime() })))
    .onConflict((oc) => oc.column('id').doNothing())
    .execute();
  for (const a of DEMO_ACCOUNTS) {
    if (await findStaffByUsername(db, a.username)) continue;
    const venueIds = a.role === 'checkpoint_operator' ? venues.map((v) => v.id) : a.role === 'venue_manager' ? [venues.find((v) => v.name === 'Wanbo Plaza')!.id] : [];
    await insertStaff(
      db,
      {
        id: random.uuid(),
        username: a.username,
        display_name: a.displayName,
        role: a.role,
        password_hash: passwordHash,
        created_at: now.getTime(),
        totp_secret: TOTP_ROLES.includes(a.role) ? DEMO_TOTP_SECRET : null,
      },
      venueIds,
    );
  }
  // a high-risk area declared three days ago, so that declared travel has something to match
  const area = await db.selectFrom('risk_areas').select('id').where('id', '=', 'demo-area-lx03').executeTakeFirst();
  if (!area) {
    await db
      .insertInto('risk_areas')
      .values({
        id: 'demo-area-lx03',
        region: 'CN-LX-03',
        level: 'high',
        starts_at: now.getTime() - 3 * DAY_MS,
        ends_at: null,
        reason: 'cluster of confirmed cases (demo)',
        created_at: now.getTime() - 3 * DAY_MS,
        declared_by: 'demo',
      })
      .execute();
  }
  return venues.map((v) => v.id);
}

export async function seedDemo(db: Kysely<Database>, opts: DemoOptions, ctx: DemoContext): Promise<DemoSummary> {
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  const venueIds = await seedStatic(db, ctx.now, passwordHash, ctx.random);
  const operatorRow = (await findStaffByUsername(db, 'checkpoint1'))!;
  const operator: Staff = { id: operatorRow.id, username: operatorRow.username, displayName: operatorRow.display_name, role: 'checkpoint_operator' };
  const rnd = seededRandom(opts.seed);
  const yesterday = localDate(new Date(ctx.now.getTime() - DAY_MS), ctx.timeZone);
  const dayStart = startOfLocalDate(yesterday, ctx.timeZone).getTime();
  const writer = new ScanWriter(db);
  const summary: DemoSummary = { holdersCreated: 0, venues: venueIds.length, scansStored: 0, scansDuplicate: 0 };
  try {
    for (let i = 1; i <= opts.holders; i++) {
      const person = demoHolder(i, rnd);
      const roll = rnd();
      const scanCount = 1 + Math.floor(rnd() * opts.scansPerHolder * 2 - 1e-9);
      const scanTimes = Array.from({ length: scanCount }, () => dayStart + 7 * HOUR_MS + Math.floor(rnd() * 14 * HOUR_MS)).sort((a, b) => a - b);
      const scanVenues = scanTimes.map(() => venueIds[Math.floor(rnd() * venueIds.length)]!);

      let holder: Holder;
      const existing = await findHolderByPhone(db, person.phone);
      const registeredAt = new Date(dayStart - DAY_MS);
      if (existing) {
        holder = rowToHolder(existing);
      } else {
        holder = await registerHolder(db, { ...person, password: DEMO_PASSWORD }, {
          now: registeredAt,
          random: ctx.random,
          idHashKey: ctx.idHashKey,
          defaultTimeZone: ctx.timeZone,
          passwordHash,
        });
        summary.holdersCreated++;
        await reassess(db, holder, { now: registeredAt, random: ctx.random, rules: ctx.rules }, { kind: 'registration' });
        const declaredAt = new Date(dayStart + 6 * HOUR_MS);
        const at = { now: declaredAt, random: ctx.random };
        let declared: string | null = null;
        if (roll < 0.05) {
          declared = (await declare(db, holder, { symptoms: ['cough', 'fever'], temperatureC: 38.1, placesVisited: [] }, at)).id;
        } else if (roll < 0.08) {
          const d = localDate(new Date(dayStart - 2 * DAY_MS), ctx.timeZone);
          declared = (await declare(db, holder, { symptoms: [], placesVisited: [{ region: 'CN-LX-03', from: d, to: d }] }, at)).id;
        }
        if (declared) await reassess(db, holder, { ...at, rules: ctx.rules }, { kind: 'declaration', ref: declared });
      }
      const eventIds = scanTimes.map((_, s) => stableUuid(`demo:${opts.seed}:${i}:${s}`));
      const done = new Set(
        (await db.selectFrom('scans').select('event_id').where('event_id', 'in', eventIds).execute()).map((r) => r.event_id),
      );
      summary.scansDuplicate += done.size;
      if (done.size === eventIds.length && existing) {
        opts.onProgress?.(i, opts.holders);
        continue;
      }
      const morning: StoredAssessment = await reassess(db, holder, { now: new Date(dayStart + 6.5 * HOUR_MS), random: ctx.random, rules: ctx.rules }, { kind: 'time' });
      for (let s = 0; s < scanTimes.length; s++) {
        if (done.has(eventIds[s]!)) continue;
        const at = new Date(scanTimes[s]!);
        const code = await issueLiveCode(db, holder, morning, { now: at, random: ctx.random, keys: ctx.keys, liveCodeMinutes: ctx.liveCodeMinutes });
        const result = await recordScan(
          db,
          writer,
          operator,
          { eventId: eventIds[s]!, venueId: scanVenues[s]!, code: code.token, scannedAt: at.toISOString(), mode: 'camera' },
          { now: new Date(at.getTime() + 1000), keys: ctx.keys },
        );
        if (result.status === 'stored') summary.scansStored++;
        else summary.scansDuplicate++;
      }
      // the holder's state as of now
      await reassess(db, holder, { now: ctx.now, random: ctx.random, rules: ctx.rules }, { kind: 'time' });
      opts.onProgress?.(i, opts.holders);
    }
  } finally {
    await writer.close();
  }
  return summary;
}
