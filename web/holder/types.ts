// Response shapes of holder routes whose schemas live next to the routes rather than in
// src/contracts/api.ts (mirrors of src/features/check-ins/routes.ts and src/features/status/routes.ts).
import type { AssessmentView, Colour, Reason } from '../../src/contracts/api.ts';

export type Requirement = Reason['wayToGreen'][number]['requirements'][number];
export type WayOption = Reason['wayToGreen'][number];
export type LocalText = Reason['text'];

export interface CheckInView {
  id: string;
  at: string;
  /** the calendar date it counts for, in the holder's time zone */
  localDate: string;
  temperatureC: number | null;
}

export interface CheckInResult {
  status: 'stored' | 'duplicate';
  checkIn: CheckInView;
  assessment: AssessmentView;
}

export type CauseKind =
  | 'registration'
  | 'declaration'
  | 'check_in'
  | 'lab_result'
  | 'trace_result'
  | 'risk_area'
  | 'time'
  | 'rule_change'
  | 'override'
  | 'discharge';

export interface StatusEvent {
  id: string;
  at: string;
  from: Colour | null;
  to: Colour;
  cause: { kind: CauseKind; ref: string | null };
  rulesetVersion: string;
  reasons: { ruleId: string; colour: Colour; text: LocalText }[];
}

export interface RulesetSummary {
  version: string;
  effectiveFrom: string;
  publishedAt: string;
  emergency: boolean;
  changeNote: LocalText;
  state: 'in_force' | 'upcoming' | 'superseded';
}

/** /api/holder/inbox (src/features/notifications/routes.ts) */
export interface InboxMessage {
  id: string;
  at: string;
  colour: string;
  title: LocalText;
  body: LocalText;
  read: boolean;
}
export interface InboxView {
  messages: InboxMessage[];
  unread: number;
}

/** /api/holder/lab-results (src/features/lab-results/routes.ts) */
export interface LabResultView {
  id: string;
  kind: 'pcr' | 'antigen' | string;
  result: 'positive' | 'negative' | string;
  sampledAt: string;
  reportedAt: string;
  lab: string;
  source: 'holder' | 'official' | 'fhir' | 'csv' | string;
  review: 'pending' | 'verified' | 'rejected' | string;
}
