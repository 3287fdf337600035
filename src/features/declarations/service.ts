import type { Kysely } from 'kysely';
import type { DeclarationBody } from '../../contracts/api.ts';
import type { DeclarationFact } from '../../core/rules/types.ts';
import { isCalendarDate, localDate } from '../../core/time/zones.ts';
import type { Database } from '../../db/schema.ts';
import { DomainError } from '../../errors.ts';
import type { Random } from '../../support/clock.ts';
import type { Holder } from '../holders/model.ts';
import { rowToDeclaration } from './model.ts';
import { insertDeclaration, listDeclarations } from './repository.ts';

/** How far back a declaration may report travel, days. */
export const TRAVEL_WINDOW_DAYS = 14;

function checkPlaces(body: DeclarationBody, holder: Holder, now: Date): void {
  const today = localDate(now, holder.timeZone);
  const earliest = localDate(new Date(now.getTime() - TRAVEL_WINDOW_DAYS * 86_400_000), holder.timeZone);
  body.placesVisited.forEach((p, i) => {
    for (const field of ['from', 'to'] as const) {
      if (!isCalendarDate(p[field])) {
        throw new DomainError('invalid_date', `placesVisited[${i}].${field} ${JSON.stringify(p[field])} is not a calendar date`);
      }
      if (p[field] > today) throw new DomainError('invalid_date', `placesVisited[${i}].${field} ${p[field]} is in the future`);
    }
    if (p.from > p.to) throw new DomainError('invalid_date', `placesVisited[${i}]: from ${p.from} is after to ${p.to}`);
    if (p.to < earliest) {
      throw new DomainError('invalid_date', `placesVisited[${i}]: ${p.to} is more than ${TRAVEL_WINDOW_DAYS} days ago; only the last ${TRAVEL_WINDOW_DAYS} days are declared`);
    }
  });
}

export async function declare(
  db: Kysely<Database>,
  holder: Holder,
  body: DeclarationBody,
  ctx: { now: Date; random: Random },
): Promise<DeclarationFact> {
  checkPlaces(body, holder, ctx.now);
  const row = {
    id: ctx.random.uuid(),
    holder_id: holder.id,
    symptoms: JSON.stringify(body.symptoms),
    temperature_c: body.temperatureC ?? null,
    places_visited: JSON.stringify(body.placesVisited),
    declared_at: ctx.now.getTime(),
  };
  await insertDeclaration(db, row);
  return rowToDeclaration(row);
}

export async function recentDeclarations(db: Kysely<Database>, holderId: string, since: Date): Promise<DeclarationFact[]> {
  return (await listDeclarations(db, holderId, since.getTime())).map(rowToDeclaration);
}
