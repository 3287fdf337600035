// Daily check-ins: one counts per calendar date in the holder's time zone.
import type { Kysely } from 'kysely';
import { localDate } from '../../core/time/zones.ts';
import { isUniqueViolation } from '../../db/errors.ts';
import type { CheckInTable, Database } from '../../db/schema.ts';
import type { Random } from '../../support/clock.ts';
import type { Holder } from '../holders/model.ts';

export async function checkIn(
  db: Kysely<Database>,
  holder: Holder,
  input: { temperatureC?: number },
  ctx: { now: Date; random: Random },
): Promise<{ row: CheckInTable; status: 'stored' | 'duplicate' }> {
  const row: CheckInTable = {
    id: ctx.random.uuid(),
    holder_id: holder.id,
    at: ctx.now.getTime(),
    local_date: localDate(ctx.now, holder.timeZone),
    temperature_c: input.temperatureC ?? null,
  };
  try {
    await db.insertInto('check_ins').values(row).execute();
    return { row, status: 'stored' };
  } catch (e) {
    if (!isUniqueViolation(e)) throw e;
    const existing = await db
      .selectFrom('check_ins')
      .selectAll()
      .where('holder_id', '=', holder.id)
      .where('local_date', '=', row.local_date)
      .executeTakeFirstOrThrow();
    return { row: existing, status: 'duplicate' };
  }
}

export function listCheckIns(db: Kysely<Database>, holderId: string, limit: number): Promise<CheckInTable[]> {
  return db.selectFrom('check_ins').selectAll().where('holder_id', '=', holderId).orderBy('at', 'desc').limit(limit).execute();
}
