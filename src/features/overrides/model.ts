// Manual colour decisions: the closed list of health reasons, and what each may set.
import type { OverrideFact } from '../../core/rules/types.ts';
import type { OverrideTable } from '../../db/schema.ts';

/** The longest an override may last: it expires by itself at the latest this long after it is proposed. */
export const MAX_OVERRIDE_DAYS = 14;

/**
 * The only reasons a colour may be set by hand: each is about the holder's health or about an
 * error in the health facts, and allows only the colours that reason can justify.
 */
export const OVERRIDE_REASONS = {
  lab_result_error: { colours: ['green', 'yellow'], en: 'a lab result was wrong or recorded against the wrong person' },
  exposure_disproved: { colours: ['green'], en: 'the holder was shown not to have been at the place and time of the exposure' },
  identity_mix_up: { colours: ['green', 'yellow', 'red'], en: 'another person\'s health facts were recorded against this holder' },
  clinical_assessment: { colours: ['green', 'yellow', 'red'], en: 'a clinician examined the holder' },
  positive_test_not_yet_recorded: { colours: ['red'], en: 'a positive PCR result is known but not yet in the system' },
  isolation_completed_elsewhere: { colours: ['green'], en: 'documented isolation or recovery in another region' },
} as const satisfies Record<string, { colours: readonly ('green' | 'yellow' | 'red')[]; en: string }>;

export type OverrideReasonCode = keyof typeof OVERRIDE_REASONS;
export const OVERRIDE_REASON_CODES = Object.keys(OVERRIDE_REASONS) as OverrideReasonCode[];

export type OverrideStatus = OverrideTable['status'];

/** The status as of `now`: an approved or pending override past its end is expired. */
export function effectiveStatus(row: Pick<OverrideTable, 'status' | 'until'>, now: Date): OverrideStatus {
  if ((row.status === 'approved' || row.status === 'proposed') && Number(row.until) <= now.getTime()) return 'expired';
  return row.status;
}

/** An approved override as the rules read it (from its approval to its end). */
export function rowToOverrideFact(row: OverrideTable): OverrideFact | null {
  if (row.approved_by === null || row.decided_at === null || row.status === 'rejected') return null;
  return { id: row.id, colour: row.colour, reasonCode: row.reason_code, note: row.note, from: new Date(Number(row.decided_at)), until: new Date(Number(row.until)) };
}
