// Every table that holds a holder's rows, found from the schema itself (any table with a
// holder_id column), so that export and deletion cover tables added later without a list to
// keep up to date. Children are ordered before the tables they reference.
import { sql, type Kysely } from 'kysely';
import { dayOfPartition, isPostgres } from '../../db/partitions.ts';
import type { Database } from '../../db/schema.ts';

/** Columns never exported: secrets, and what would identify someone else (the case behind an exposure). */
export const NOT_EXPORTED: Record<string, readonly string[]> = {
  holders: ['password_hash', 'id_hash'],
  exposures: ['source_ref'],
  appeal_evidence: ['content'],
};

/** Rows that must outlive the holder: the record that a deletion was asked for and applied. */
const KEPT = new Set(['deletion_requests']);

export async function holderTables(db: Kysely<Database>): Promise<string[]> {
  const tables = await db.introspection.getTables();
  return tables
    .filter((t) => t.name === 'holders' || t.columns.some((c) => c.name === 'holder_id'))
    .map((t) => t.name)
    // PostgreSQL's day partitions of scans are reached through scans
    .filter((name) => dayOfPartition(name) === null && name !== 'scans_unpartitioned' && !KEPT.has(name))
    .sort();
}

async function foreignKeys(db: Kysely<Database>): Promise<{ child: string; parent: string }[]> {
  if (isPostgres(db)) {
    const r = await sql<{ child: string; parent: string }>`
      select distinct tc.table_name as child, ccu.table_name as parent
        from information_schema.table_constraints tc
        join information_schema.constraint_column_usage ccu
          on ccu.constraint_name = tc.constraint_name and ccu.table_schema = tc.table_schema
       where tc.constraint_type = 'FOREIGN KEY' and tc.table_schema = current_schema()`.execute(db);
    return r.rows;
  }
  const tables = await db.introspection.getTables();
  const out: { child: string; parent: string }[] = [];
  for (const t of tables) {
    const r = await sql<{ table: string }>`select "table" from pragma_foreign_key_list(${t.name})`.execute(db);
    for (const x of r.rows) out.push({ child: t.name, parent: x.table });
  }
  return out;
}

/** The holder's tables in an order that deletes referencing rows first, `holders` last. */
export async function deletionOrder(db: Kysely<Database>): Promise<string[]> {
  const tables = (await holderTables(db)).filter((t) => t !== 'holders');
  const fks = (await foreignKeys(db)).filter((f) => tables.includes(f.child) && tables.includes(f.parent) && f.child !== f.parent);
  const order: string[] = [];
  const left = new Set(tables);
  while (left.size > 0) {
    // a table no remaining table references can go now
    const next = [...left].filter((t) => !fks.some((f) => f.parent === t && left.has(f.child))).sort();
    if (next.length === 0) throw new Error(`foreign keys form a cycle among ${[...left].join(', ')}`);
    for (const t of next) {
      order.push(t);
      left.delete(t);
    }
  }
  return [...order, 'holders'];
}
