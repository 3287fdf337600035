// The shapes the rules read and produce. Facts are plain data gathered by the services;
// evaluation is pure.
export type Colour = 'green' | 'yellow' | 'red' | 'grey';
export const COLOURS: readonly Colour[] = ['green', 'yellow', 'red', 'grey'];

/**
 * How restrictive a colour is. Grey (a lapsed check-in while yellow or red) ranks above red:
 * it only ever arises on top of a yellow or red cause, and it must not read as an improvement.
 */
export const COLOUR_SEVERITY: Record<Colour, number> = { green: 0, yellow: 1, red: 2, grey: 3 };

export type Lang = 'en' | 'zh-CN';
export type Text = Record<Lang, string>;
export const LANGS: readonly Lang[] = ['en', 'zh-CN'];

export interface DeclarationFact {
  id: string;
  symptoms: string[];
  temperatureC: number | null;
  placesVisited: { region: string; from: string; to: string }[];
  declaredAt: Date;
}

export interface LabResultFact {
  id: string;
  kind: 'pcr' | 'antigen';
  result: 'positive' | 'negative';
  sampledAt: Date;
  /** when the result became known to the system */
  reportedAt: Date;
  /** results uploaded by a holder count only once an official has verified them */
  verified: boolean;
}

export interface ExposureFact {
  id: string;
  kind: 'close' | 'secondary';
  /** the end of the last overlap with the case: periods count from here */
  lastExposureAt: Date;
  /** when tracing told the system: the colour changes from here */
  notifiedAt: Date;
  venueName: string;
  minutes: number;
}

export interface RiskAreaStayFact {
  id: string;
  areaId: string;
  region: string;
  level: 'high' | 'medium';
  /** where the holder was: a region code or a venue name */
  place: string;
  /** the end of the holder's presence in the area while it was a risk area */
  lastPresentAt: Date;
  knownAt: Date;
  source: 'declaration' | 'scan';
}

export interface DischargeFact {
  id: string;
  /** an official's discharge from isolation */
  at: Date;
}

export interface CheckInFact {
  id: string;
  at: Date;
}

/**
 * A manual colour decision (an appeal upheld, a clinical judgement): proposed by one official,
 * approved by another, with a reason from a closed list of health reasons, and an expiry. While
 * it is in force it sets the colour; the rules' own reasons are still listed beside it.
 */
export interface OverrideFact {
  id: string;
  colour: Colour;
  reasonCode: string;
  /** the officials' written reason, shown to the holder */
  note: string;
  /** when it was approved: it takes effect then */
  from: Date;
  /** when it expires by itself */
  until: Date;
}

export interface RiskAreaFact {
  id: string;
  region: string;
  level: 'high' | 'medium';
  startsAt: Date;
  endsAt: Date | null;
  /** when the area is a set of venues rather than a region */
  venueIds?: string[];
  /** when officials declared it (a stay is known no earlier) */
  declaredAt?: Date;
}

export interface Facts {
  holder: { id: string; timeZone: string; dateOfBirth?: string };
  declarations: DeclarationFact[];
  labResults: LabResultFact[];
  exposures: ExposureFact[];
  riskAreaStays: RiskAreaStayFact[];
  discharges: DischargeFact[];
  checkIns: CheckInFact[];
  /** approved manual decisions (optional: none when absent) */
  overrides?: OverrideFact[];
}

export interface FactRef {
  kind: string;
  id: string;
  summary: string;
}

export type RequirementKind = 'elapsed' | 'checkIns' | 'negativePcrs' | 'discharged' | 'checkInToday';

export interface RequirementStatus {
  kind: RequirementKind;
  text: Text;
  /** the earliest moment it can be met (null: depends on something not yet known, e.g. test results) */
  due: string | null;
  done: boolean;
  /** for counted requirements */
  have?: number;
  need?: number;
}

export interface ExitOption {
  requirements: RequirementStatus[];
  /** latest due of its requirements, or null when one is unknown */
  due: string | null;
}

export interface Reason {
  ruleId: string;
  colour: Colour;
  text: Text;
  /** when this cause took effect (the fact became known) */
  since: string;
  /** when its period counts from (the event, or when it became known) */
  periodStart: string;
  facts: FactRef[];
  /** any one option, fully met, ends this cause */
  wayToGreen: ExitOption[];
  /** earliest possible end (the soonest option's due), null when it depends on unknowns */
  until: string | null;
}

export interface Assessment {
  colour: Colour;
  reasons: Reason[];
  rulesetVersion: string;
  assessedAt: Date;
  /** when time alone could change this assessment: re-assess by then */
  validUntil: Date;
}
