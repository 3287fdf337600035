// The transparency page's numbers: the audit log's head and its daily published heads, holders by
// colour now, override and appeal counts and outcomes, alarm counts. Aggregates only: nothing here
// names a person (the colour counts are one GROUP BY over holder_status, no region or other key).
import type { Kysely } from 'kysely';
import type { TransparencyView } from '../../contracts/due-process.ts';
import type { Database } from '../../db/schema.ts';
import { alarmCounts } from '../audit/alarms.ts';
import { auditHead, publishedHeads } from '../audit/service.ts';
import { effectiveStatus } from '../overrides/model.ts';

export async function transparency(db: Kysely<Database>, now: Date): Promise<TransparencyView> {
  const t = now.getTime();
  const [head, heads, colours, overrides, appeals, alarms] = await Promise.all([
    auditHead(db),
    publishedHeads(db, 30),
    db.selectFrom('holder_status').select(['colour', (eb) => eb.fn.countAll<number>().as('n')]).groupBy('colour').execute(),
    db.selectFrom('overrides').select(['status', 'until', 'decided_at', 'reason_code', 'colour', 'flags']).execute(),
    db.selectFrom('appeals').select(['status', 'deadline_at', 'decided_at']).execute(),
    alarmCounts(db),
  ]);
  const byColourNow = { green: 0, yellow: 0, red: 0, grey: 0 };
  for (const r of colours) if (r.colour in byColourNow) byColourNow[r.colour] = Number(r.n);
  const byStatus = { proposed: 0, approved: 0, rejected: 0, expired: 0 };
  const byReasonCode: Record<string, number> = {};
  const byColour: Record<string, number> = {};
  let inForce = 0;
  let flagged = 0;
  for (const o of overrides) {
    const s = effectiveStatus(o, now);
    byStatus[s]++;
    if (s === 'approved' && o.decided_at !== null && Number(o.decided_at) <= t) inForce++;
    byReasonCode[o.reason_code] = (byReasonCode[o.reason_code] ?? 0) + 1;
    byColour[o.colour] = (byColour[o.colour] ?? 0) + 1;
    if ((JSON.parse(o.flags) as string[]).length > 0) flagged++;
  }
  const a = { total: appeals.length, open: 0, overdue: 0, upheld: 0, rejected: 0, decidedLate: 0 };
  for (const r of appeals) {
    if (r.status === 'open') {
      a.open++;
      if (Number(r.deadline_at) < t) a.overdue++;
    } else {
      a[r.status]++;
      if (r.decided_at !== null && Number(r.decided_at) > Number(r.deadline_at)) a.decidedLate++;
    }
  }
  return {
    generatedAt: now.toISOString(),
    auditLog: { head, publishedHeads: heads },
    holders: { total: byColourNow.green + byColourNow.yellow + byColourNow.red + byColourNow.grey, byColour: byColourNow },
    overrides: { total: overrides.length, byStatus, inForce, byReasonCode, byColour, flagged },
    appeals: a,
    alarms,
  };
}
