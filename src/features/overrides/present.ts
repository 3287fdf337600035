// Presenters: staff see account ids; the holder sees stable pseudonyms of the officials.
import type { OverrideView } from '../../contracts/due-process.ts';
import type { OverrideTable } from '../../db/schema.ts';
import { staffPseudonym } from '../security/pseudonym.ts';
import { effectiveStatus, OVERRIDE_REASONS, type OverrideReasonCode } from './model.ts';

export function presentOverride(row: OverrideTable, now: Date, who: { pseudonymKey: Buffer } | null): OverrideView {
  const name = (id: string) => (who ? staffPseudonym(who.pseudonymKey, id) : id);
  const status = effectiveStatus(row, now);
  const code = row.reason_code as OverrideReasonCode;
  return {
    id: row.id,
    holderId: row.holder_id,
    colour: row.colour,
    reasonCode: code,
    reasonText: OVERRIDE_REASONS[code]?.en ?? row.reason_code,
    note: row.note,
    until: new Date(Number(row.until)).toISOString(),
    status,
    inForce: status === 'approved' && row.decided_at !== null && Number(row.decided_at) <= now.getTime(),
    proposedAt: new Date(Number(row.proposed_at)).toISOString(),
    proposedBy: name(row.proposed_by),
    decidedBy: row.decided_by ? name(row.decided_by) : null,
    decidedAt: row.decided_at === null ? null : new Date(Number(row.decided_at)).toISOString(),
    decisionNote: row.decision_note,
    appealId: row.appeal_id,
    flags: JSON.parse(row.flags) as string[],
  };
}
