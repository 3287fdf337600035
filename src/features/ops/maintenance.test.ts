import crypto from 'node:crypto';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestStore, DIALECTS, type TestStore } from '../../../test/support/db.ts';
import { DAY_MS, dayOf, dropScanPartitionsBefore, listScanPartitions, partitionName } from '../../db/partitions.ts';
import type { ScanTable } from '../../db/schema.ts';
import { ScanWriter } from '../scans/writer.ts';
import { runScanMaintenance } from './maintenance.ts';

const NOW = new Date('2026-11-23T08:00:00Z');

function scanRow(scannedAt: number, over: Partial<ScanTable> = {}): ScanTable {
  return {
    event_id: crypto.randomUUID(),
    venue_id: 'V0001',
    operator_id: null,
    holder_id: null,
    code_id: null,
    scanned_at: scannedAt,
    received_at: scannedAt,
    mode: 'camera',
    direction: null,
    temperature_c: null,
    verdict_ok: 0,
    verdict_error: 'bad_prefix',
    verdict_colour: null,
    verdict: '{}',
    fingerprint: 'f',
    ...over,
  };
}

describe.each(DIALECTS)('scan partitions and retention on %s', (dialect) => {
  let ts: TestStore;
  let writer: ScanWriter;
  beforeAll(async () => {
    ts = await createTestStore(dialect);
    writer = new ScanWriter(ts.store.db);
  });
  afterAll(async () => {
    await writer.close();
    await ts.drop();
  });

  const count = async (table: 'scans' | 'scan_event_ids') =>
    Number((await ts.store.db.selectFrom(table).select((e) => e.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

  it('keeps partitions ready a week ahead and drops whole days past retention, ledger included', async () => {
    // from no partitions at all: what exists afterwards is what maintenance made
    if (dialect === 'postgres') await dropScanPartitionsBefore(ts.store.db, Number.MAX_SAFE_INTEGER);
    const first = await runScanMaintenance(ts.store.db, { now: NOW, retentionDays: 21, daysAhead: 7 });
    const today = dayOf(NOW.getTime());
    if (dialect === 'postgres') {
      const days = (await listScanPartitions(ts.store.db)).map((p) => p.day);
      for (let d = today - 21; d <= today + 7; d++) expect(days).toContain(d);
      expect(first.partitions).toBe(days.length);
    } else {
      expect(first.partitionsCreated).toEqual([]);
      expect(first.partitions).toBe(0);
    }
    // idempotent
    const again = await runScanMaintenance(ts.store.db, { now: NOW, retentionDays: 21, daysAhead: 7 });
    expect(again.partitionsCreated).toEqual([]);
    expect(again.partitionsDropped).toEqual([]);

    // scans on 25, 20 and 1 days ago and today
    const at = (daysAgo: number) => NOW.getTime() - daysAgo * DAY_MS;
    const rows = [at(20), at(20), at(1), at(0)].map((t) => scanRow(t));
    await writer.writeBatch(rows);
    expect(await count('scans')).toBe(4);

    // ten days later the scans of 20 days ago are 30 days old: gone, with their ledger rows
    const later = new Date(NOW.getTime() + 10 * DAY_MS);
    const r = await runScanMaintenance(ts.store.db, { now: later, retentionDays: 21, daysAhead: 7 });
    expect(r.purgedBefore).toBe(new Date(dayOf(later.getTime() - 21 * DAY_MS) * DAY_MS).toISOString());
    expect(await count('scans')).toBe(2);
    expect(await count('scan_event_ids')).toBe(2);
    expect(r.ledgerDeleted).toBe(2);
    if (dialect === 'postgres') {
      expect(r.partitionsDropped).toContain(partitionName(dayOf(at(20))));
      expect(r.partitionsDropped).not.toContain(partitionName(dayOf(at(1))));
      expect(r.partitionsCreated).toContain(partitionName(dayOf(later.getTime()) + 7));
      const { rows: kinds } = await sql<{ relkind: string }>`select relkind from pg_class where relname = 'scans'`.execute(ts.store.db);
      expect(kinds[0]!.relkind).toBe('p'); // declaratively partitioned
    } else {
      expect(r.scansDeleted).toBe(2);
    }
    const left = await ts.store.db.selectFrom('scans').select('event_id').orderBy('scanned_at').execute();
    expect(left.map((x) => x.event_id)).toEqual([rows[2]!.event_id, rows[3]!.event_id]);
  });

  it('a scan for a day without a partition is still stored: the writer creates the partition', async () => {
    const day = dayOf(NOW.getTime()) - 3;
    if (dialect === 'postgres') await sql`drop table if exists ${sql.table(partitionName(day))}`.execute(ts.store.db);
    const row = scanRow(day * DAY_MS + 3_600_000);
    const [o] = await writer.writeBatch([row]);
    expect(o!.status).toBe('stored');
    if (dialect === 'postgres') expect((await listScanPartitions(ts.store.db)).map((p) => p.day)).toContain(day);
    const back = await ts.store.db.selectFrom('scans').select('event_id').where('event_id', '=', row.event_id).execute();
    expect(back).toHaveLength(1);
  });

  it('a batch is one transaction: a failure midway stores none of it, not even in the ledger', async () => {
    const ok = scanRow(NOW.getTime());
    // a NOT NULL violation in the second chunk of 1000 rows, after the ledger insert succeeded
    const rows = [ok, ...Array.from({ length: 1200 }, () => scanRow(NOW.getTime()))];
    rows[1100] = { ...rows[1100]!, verdict: null as unknown as string };
    await expect(writer.writeBatch(rows)).rejects.toThrow();
    const ids = rows.slice(0, 500).map((r) => r.event_id);
    expect(await ts.store.db.selectFrom('scan_event_ids').select('event_id').where('event_id', 'in', ids).execute()).toEqual([]);
    expect(await ts.store.db.selectFrom('scans').select('event_id').where('event_id', 'in', ids).execute()).toEqual([]);
  });
});
