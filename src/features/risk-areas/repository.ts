import type { Kysely } from 'kysely';
import type { RiskAreaFact } from '../../core/rules/types.ts';
import type { Database, RiskAreaTable } from '../../db/schema.ts';

export function rowToRiskArea(row: RiskAreaTable): RiskAreaFact {
  return {
    id: row.id,
    region: row.region,
    level: row.level,
    startsAt: new Date(row.starts_at),
    endsAt: row.ends_at === null ? null : new Date(row.ends_at),
    ...(row.venue_ids ? { venueIds: JSON.parse(row.venue_ids) as string[] } : {}),
    declaredAt: new Date(row.created_at),
  };
}

/** Areas active at any time since `since`. */
export async function riskAreasSince(db: Kysely<Database>, since: Date): Promise<RiskAreaFact[]> {
  const rows = await db
    .selectFrom('risk_areas')
    .selectAll()
    .where((eb) => eb.or([eb('ends_at', 'is', null), eb('ends_at', '>', since.getTime())]))
    .orderBy('starts_at')
    .execute();
  return rows.map(rowToRiskArea);
}

export async function insertRiskArea(db: Kysely<Database>, row: RiskAreaTable): Promise<void> {
  await db.insertInto('risk_areas').values(row).execute();
}
