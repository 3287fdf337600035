// The abuse alarms checked whenever an override is proposed (Henan, June 2022: 1,317 people
// turned red with no health reason, to stop them travelling to a protest):
// - override_rate: one official proposes more than N overrides within an hour;
// - override_without_health_facts: the holder has no health facts on record at all;
// - override_batch: within 24 h, M or more overrides target holders who share a home region or a
//   venue they were scanned at (the only attributes the data model has to group people by).
// Alarms do not block the proposal (the second person still has to approve it): they go to the
// auditors, are shown to the approving supervisor as flags, and are counted publicly.
import type { Kysely } from 'kysely';
import type { Database, OverrideTable } from '../../db/schema.ts';
import type { Random } from '../../support/clock.ts';
import { raiseAlarm, type AlarmKind } from '../audit/alarms.ts';

const HOUR = 3_600_000;
const DAY = 86_400_000;

/** Health facts of a holder: anything the rules read about their health or exposure. */
export async function hasHealthFacts(db: Kysely<Database>, holderId: string): Promise<boolean> {
  const tables = ['declarations', 'lab_results', 'exposures', 'discharges', 'check_ins'] as const;
  for (const t of tables) {
    const row = await db.selectFrom(t).select('holder_id').where('holder_id', '=', holderId).limit(1).executeTakeFirst();
    if (row) return true;
  }
  return false;
}

export async function checkOverrideAlarms(
  db: Kysely<Database>,
  o: OverrideTable,
  ctx: { now: Date; random: Random; alarmPerHour: number; batchAlarm: number },
): Promise<AlarmKind[]> {
  const flags: AlarmKind[] = [];
  const t = ctx.now.getTime();

  const recent = await db
    .selectFrom('overrides')
    .select(['id'])
    .where('proposed_by', '=', o.proposed_by)
    .where('proposed_at', '>', t - HOUR)
    .execute();
  if (recent.length > ctx.alarmPerHour) {
    flags.push('override_rate');
    await raiseAlarm(
      db,
      {
        kind: 'override_rate',
        key: `override_rate:${o.proposed_by}:${Math.floor(t / HOUR)}`,
        subject: `staff:${o.proposed_by}`,
        detail: { official: o.proposed_by, inLastHour: recent.length, limit: ctx.alarmPerHour, overrideIds: recent.map((r) => r.id) },
      },
      ctx,
    );
  }

  if (!(await hasHealthFacts(db, o.holder_id))) {
    flags.push('override_without_health_facts');
    await raiseAlarm(
      db,
      {
        kind: 'override_without_health_facts',
        key: `override_without_health_facts:${o.id}`,
        subject: `holder:${o.holder_id}`,
        detail: { overrideId: o.id, official: o.proposed_by, colour: o.colour, reasonCode: o.reason_code },
      },
      ctx,
    );
  }

  // the batch: every override proposed in the last 24 h (this one included), by anyone
  const batch = await db
    .selectFrom('overrides')
    .innerJoin('holders', 'holders.id', 'overrides.holder_id')
    .select(['overrides.id', 'overrides.holder_id', 'overrides.proposed_by', 'holders.region'])
    .where('overrides.proposed_at', '>', t - DAY)
    .execute();
  const day = ctx.now.toISOString().slice(0, 10);
  const groups = new Map<string, { kind: 'region' | 'venue'; value: string; overrides: Set<string>; holders: Set<string> }>();
  const add = (kind: 'region' | 'venue', value: string, overrideId: string, holderId: string) => {
    const k = `${kind}:${value}`;
    const g = groups.get(k) ?? { kind, value, overrides: new Set<string>(), holders: new Set<string>() };
    g.overrides.add(overrideId);
    g.holders.add(holderId);
    groups.set(k, g);
  };
  const self = batch.find((b) => b.id === o.id);
  if (self) for (const b of batch) if (b.region === self.region) add('region', b.region, b.id, b.holder_id);
  const holderIds = [...new Set(batch.map((b) => b.holder_id))];
  const visits = holderIds.length
    ? await db.selectFrom('scans').select(['venue_id', 'holder_id']).distinct().where('holder_id', 'in', holderIds).execute()
    : [];
  const venuesOf = new Map<string, Set<string>>();
  for (const v of visits) {
    if (!v.holder_id) continue;
    const s = venuesOf.get(v.holder_id) ?? new Set<string>();
    s.add(v.venue_id);
    venuesOf.set(v.holder_id, s);
  }
  for (const venue of venuesOf.get(o.holder_id) ?? []) {
    for (const b of batch) if (venuesOf.get(b.holder_id)?.has(venue)) add('venue', venue, b.id, b.holder_id);
  }
  for (const g of groups.values()) {
    if (g.holders.size < ctx.batchAlarm) continue;
    if (!flags.includes('override_batch')) flags.push('override_batch');
    await raiseAlarm(
      db,
      {
        kind: 'override_batch',
        key: `override_batch:${g.kind}:${g.value}:${day}`,
        subject: `${g.kind}:${g.value}`,
        detail: { shared: g.kind, value: g.value, day, holders: g.holders.size, threshold: ctx.batchAlarm, overrideIds: [...g.overrides] },
      },
      ctx,
    );
  }
  return flags;
}
