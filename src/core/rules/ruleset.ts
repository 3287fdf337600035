// The ruleset in force: a version and its parameters (every number is configuration).
// The full rules-as-data engine (CertLogic expressions, publishing, history) replaces this
// first version; the parameter names already follow MISSION.md.

export interface Ruleset {
  version: string;
  effectiveFrom: string;
  parameters: {
    /** days of home observation after declared symptoms */
    yellowDays: number;
    /** a declared temperature at or above this counts as fever, °C */
    feverThresholdC: number;
    /** a stay in a high-risk area within this many days counts */
    highRiskLookbackDays: number;
    /** a green assessment is re-evaluated after this many hours even without new facts */
    greenValidityHours: number;
  };
}

export const FOUNDATION_RULESET: Ruleset = Object.freeze({
  version: '2026.11.0-foundation',
  effectiveFrom: '2026-11-01T00:00:00Z',
  parameters: Object.freeze({
    yellowDays: 7,
    feverThresholdC: 37.3,
    highRiskLookbackDays: 14,
    greenValidityHours: 24,
  }),
}) as Ruleset;
