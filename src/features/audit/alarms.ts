// Alarms to auditors: raised by the services when something looks like abuse (see
// docs/SECURITY.md), listed and acknowledged by auditors, counted on the transparency page.
// One alarm per key: a repeat updates the same alarm instead of flooding the list.
import type { Kysely } from 'kysely';
import type { AlarmTable, Database } from '../../db/schema.ts';
import type { Random } from '../../support/clock.ts';
import { audit, SYSTEM } from './service.ts';

export const ALARM_KINDS = ['override_rate', 'override_without_health_facts', 'override_batch', 'appeal_overdue', 'id_lookup_burst'] as const;
export type AlarmKind = (typeof ALARM_KINDS)[number];

export interface AlarmInput {
  kind: AlarmKind;
  key: string;
  /** what it is about, e.g. 'staff:<id>', 'region:CN-LX-01', 'appeal:<id>' */
  subject: string;
  detail: Record<string, unknown>;
}

export interface AlarmView {
  id: string;
  kind: AlarmKind;
  subject: string;
  raisedAt: string;
  updatedAt: string;
  detail: Record<string, unknown>;
  acknowledged: { by: string; at: string; note: string } | null;
}

export function presentAlarm(r: AlarmTable): AlarmView {
  return {
    id: r.id,
    kind: r.kind as AlarmKind,
    subject: r.subject,
    raisedAt: new Date(Number(r.raised_at)).toISOString(),
    updatedAt: new Date(Number(r.updated_at)).toISOString(),
    detail: JSON.parse(r.detail) as Record<string, unknown>,
    acknowledged: r.acknowledged_by ? { by: r.acknowledged_by, at: new Date(Number(r.acknowledged_at)).toISOString(), note: r.ack_note ?? '' } : null,
  };
}

/** Raises (or refreshes) an alarm and audits it; returns true when it is new. Call inside the triggering transaction. */
export async function raiseAlarm(db: Kysely<Database>, a: AlarmInput, ctx: { now: Date; random: Random }): Promise<boolean> {
  const t = ctx.now.getTime();
  const existing = await db.selectFrom('alarms').select(['id']).where('key', '=', a.key).executeTakeFirst();
  if (existing) {
    await db.updateTable('alarms').set({ updated_at: t, detail: JSON.stringify(a.detail) }).where('id', '=', existing.id).execute();
    return false;
  }
  const id = ctx.random.uuid();
  await db
    .insertInto('alarms')
    .values({ id, kind: a.kind, key: a.key, raised_at: t, updated_at: t, subject: a.subject, detail: JSON.stringify(a.detail), acknowledged_by: null, acknowledged_at: null, ack_note: null })
    .execute();
  await audit(db, { at: ctx.now, actor: SYSTEM, action: 'alarm.raise', subject: { kind: 'alarm', id }, detail: { kind: a.kind, subject: a.subject } });
  return true;
}

export async function listAlarms(db: Kysely<Database>, opts: { unacknowledgedOnly: boolean; limit: number }): Promise<AlarmView[]> {
  let q = db.selectFrom('alarms').selectAll().orderBy('raised_at', 'desc').limit(opts.limit);
  if (opts.unacknowledgedOnly) q = q.where('acknowledged_by', 'is', null);
  return (await q.execute()).map(presentAlarm);
}

export async function alarmCounts(db: Kysely<Database>): Promise<Record<AlarmKind, number>> {
  const rows = await db.selectFrom('alarms').select(['kind', (eb) => eb.fn.countAll<number>().as('n')]).groupBy('kind').execute();
  const out = Object.fromEntries(ALARM_KINDS.map((k) => [k, 0])) as Record<AlarmKind, number>;
  for (const r of rows) if ((ALARM_KINDS as readonly string[]).includes(r.kind)) out[r.kind as AlarmKind] = Number(r.n);
  return out;
}
