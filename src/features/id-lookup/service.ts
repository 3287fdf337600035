// ID look-up at a checkpoint, for people without a code on them: an operator types (or scans) an ID
// document number and gets the holder's current colour, masked name and birth year — nothing else.
// Each operator may look up `perHour` IDs an hour (counted in the store, so every server instance
// sees the same count); a refusal is recorded, and repeated refusals within the hour raise an alarm
// to auditors. Every look-up is audited with the operator as the actor and the holder as subject.
import type { Kysely } from 'kysely';
import type { Colour } from '../../contracts/api.ts';
import { maskName } from '../../core/holders/mask.ts';
import type { Database } from '../../db/schema.ts';
import { DomainError } from '../../errors.ts';
import type { Random } from '../../support/clock.ts';
import { currentAssessment } from '../assessments/service.ts';
import { raiseAlarm } from '../audit/alarms.ts';
import { audit, type Actor } from '../audit/service.ts';
import { birthYear, idHash, rowToHolder } from '../holders/model.ts';
import { findHolderByIdHash } from '../holders/repository.ts';
import type { RuleBook } from '../rules/book.ts';
import type { Staff } from '../staff/service.ts';

const HOUR = 3_600_000;

export interface IdLookupAnswer {
  colour: Colour;
  maskedName: string;
  birthYear: number;
}

export interface IdLookupContext {
  now: Date;
  random: Random;
  rules: RuleBook;
  idHashKey: Buffer;
  perHour: number;
  burstAlarm: number;
}

export class IdLookupLimit extends DomainError {
  constructor(
    readonly retryAfterSeconds: number,
    message: string,
  ) {
    super('id_lookup_rate_limited', message);
    this.name = 'IdLookupLimit';
  }
}

export async function lookUpId(db: Kysely<Database>, operator: Staff, idNumber: string, ctx: IdLookupContext): Promise<IdLookupAnswer> {
  const t = ctx.now.getTime();
  const actor: Actor = { kind: 'staff', id: operator.id, role: operator.role };
  // count first, including this attempt: concurrent look-ups cannot all slip under the limit
  const id = ctx.random.uuid();
  await db.insertInto('id_lookups').values({ id, operator_id: operator.id, at: t, outcome: 'found' }).execute();
  const recent = await db
    .selectFrom('id_lookups')
    .select(['id', 'at', 'outcome'])
    .where('operator_id', '=', operator.id)
    .where('at', '>', t - HOUR)
    .where('outcome', '<>', 'refused')
    .orderBy('at')
    .orderBy('id')
    .execute();
  if (recent.length > ctx.perHour) {
    await db.updateTable('id_lookups').set({ outcome: 'refused' }).where('id', '=', id).execute();
    const refused = await db
      .selectFrom('id_lookups')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('operator_id', '=', operator.id)
      .where('at', '>', t - HOUR)
      .where('outcome', '=', 'refused')
      .executeTakeFirst();
    const n = Number(refused?.n ?? 0);
    await audit(db, { at: ctx.now, actor, action: 'holder.id_lookup_refused', subject: null, detail: { refusedThisHour: n, limitPerHour: ctx.perHour } });
    if (n >= ctx.burstAlarm) {
      await raiseAlarm(
        db,
        {
          kind: 'id_lookup_burst',
          key: `id_lookup_burst:${operator.id}:${Math.floor(t / HOUR)}`,
          subject: `staff:${operator.id}`,
          detail: { operator: operator.username, refusedThisHour: n, limitPerHour: ctx.perHour },
        },
        { now: ctx.now, random: ctx.random },
      );
    }
    // the oldest counted look-up leaves the window first
    const oldest = Number(recent[recent.length - 1 - ctx.perHour]?.at ?? t);
    const retry = Math.max(1, Math.ceil((oldest + HOUR - t) / 1000));
    throw new IdLookupLimit(
      retry,
      `ID look-up limit reached: each operator may look up ${ctx.perHour} ID documents an hour. Try again in ${Math.ceil(retry / 60)} minute(s), or ask the holder for their code.`,
    );
  }
  const row = await findHolderByIdHash(db, idHash(idNumber, ctx.idHashKey));
  if (!row) {
    await db.updateTable('id_lookups').set({ outcome: 'not_found' }).where('id', '=', id).execute();
    await audit(db, { at: ctx.now, actor, action: 'holder.id_lookup', subject: null, detail: { outcome: 'not_found' } });
    throw new DomainError('unknown_holder', 'no holder is registered with this ID document number');
  }
  const holder = rowToHolder(row);
  const assessment = await currentAssessment(db, holder, { now: ctx.now, random: ctx.random, rules: ctx.rules });
  await audit(db, { at: ctx.now, actor, action: 'holder.id_lookup', subject: { kind: 'holder', id: holder.id }, detail: { outcome: 'found', colour: assessment.colour } });
  return { colour: assessment.colour, maskedName: maskName(holder.name), birthYear: birthYear(holder) };
}
