// Response shapes of /api/console/* (src/features/console/service.ts) as the console reads them.
import type { AppealView, OverrideView } from '../../src/contracts/due-process.ts';

export type Colour = 'green' | 'yellow' | 'red' | 'grey';

export interface Dashboard {
  timeZone: string;
  generatedAt: string;
  days: string[];
  colours: Record<Colour, number[]>;
  current: Record<Colour, number> & { total: number };
  scans: { total: number[]; passes: number[]; stops: number[]; invalid: number[] };
  cases: { confirmed: number[]; byOnset: number[] };
}

export interface Paged<T> {
  total: number;
  page: number;
  pageSize: number;
  items: T[];
}

export interface CaseRow {
  id: string;
  holderId: string;
  maskedName: string;
  onsetAt: string | null;
  sampledAt: string;
  confirmedAt: string;
  infectiousFrom: string;
  infectiousTo: string;
  lastTrace: { runAt: string; closeContacts: number; secondaryContacts: number } | null;
}

export interface GraphNode {
  id: string;
  kind: 'case' | 'venue' | 'close' | 'secondary';
  label: string;
}
export interface GraphEdge {
  id: string;
  source: string;
  target: string;
  kind: 'visit' | 'close' | 'secondary';
  minutes: number | null;
}

export interface CaseGraph {
  case: CaseRow;
  trace: {
    runAt: string;
    caseVisits: { venueId: string; venueName: string; from: string; to: string }[];
    contacts: { holderId: string; maskedName: string; kind: string; minutes: number; lastExposureAt: string; venues: string[] }[];
  } | null;
  graph: { nodes: GraphNode[]; edges: GraphEdge[] };
}

export interface RiskArea {
  id: string;
  region: string | null;
  venueIds: string[] | null;
  level: string;
  startsAt: string;
  endsAt: string | null;
  reason: string;
  active: boolean;
}

export interface MapData {
  districts: {
    type: 'FeatureCollection';
    features: { type: 'Feature'; id?: string; properties: { code: string; name_en: string; name_zh: string }; geometry: { type: 'Polygon'; coordinates: number[][][] } }[];
  };
  venues: { id: string; name: string; kind: string; region: string; lat: number | null; lon: number | null; scans7d: number; riskAreas: string[] }[];
  riskAreas: RiskArea[];
}

export interface LabRow {
  id: string;
  holderId: string;
  maskedName: string;
  birthYear: number | null;
  kind: 'pcr' | 'antigen';
  result: 'positive' | 'negative';
  sampledAt: string;
  reportedAt: string;
  lab: string;
  source: string;
  review: 'pending' | 'verified' | 'rejected';
}

export type AppealRow = AppealView & { maskedName: string };
export type OverrideRow = OverrideView & { maskedName: string; proposedByName: string; decidedByName: string | null };

export interface AuditRow {
  seq: number;
  at: string;
  actor: { kind: string; id: string | null; role: string };
  action: string;
  subject: { kind: string; id: string } | null;
  reason: string | null;
  detail: string;
  hash: string;
}

export interface StaffInfo {
  id: string;
  username: string;
  displayName: string;
  role: string;
}

// ---- venue compliance (/api/official/compliance/*, src/features/compliance/routes.ts)
export type Trend = 'improving' | 'worsening' | 'steady' | 'unknown';
export type NoticeCounts = { issued: number; acknowledged: number; overdue: number };

export interface VenueCompliance {
  venueId: string;
  name: string;
  kind: string;
  region: string;
  day: string | null;
  scans: number | null;
  declared: number | null;
  learned: number | null;
  expected: number | null;
  percent: number | null;
  flagged: boolean;
  flaggedDays7: number;
  trend: Trend;
  missedCaseVisits: number;
  notices: NoticeCounts;
}

export interface VenueRanking {
  total: number;
  offset: number;
  limit: number;
  minPercent: number;
  venues: VenueCompliance[];
}

export interface Notice {
  id: string;
  venueId: string;
  text: string;
  deadline: string;
  issuedAt: string;
  status: 'open' | 'acknowledged' | 'overdue';
  acknowledgedAt: string | null;
}

export interface NoticeList {
  total: number;
  counts: NoticeCounts;
  notices: (Notice & { venueName: string })[];
}

export interface ComplianceDay {
  day: string;
  scans: number;
  declared: number | null;
  learned: number | null;
  expected: number | null;
  percent: number | null;
  flagged: boolean;
}

export interface VenueFlag {
  id: string;
  kind: string;
  day: string;
  caseId: string | null;
  detail: Record<string, unknown>;
  raisedAt: string;
}

export interface VenueDrill {
  venue: VenueCompliance & { address: string; declaredNow: number | null };
  series: ComplianceDay[];
  flags: VenueFlag[];
  notices: Notice[];
}

export interface Region {
  code: string;
  name: string;
  nameZh: string;
}

// ---- risk areas for officials (/api/official/risk-areas)
export interface OfficialRiskArea extends RiskArea {
  renewedAt: string | null;
  liftedReason: string | null;
  state: 'active' | 'upcoming' | 'lifted';
  declaredBy: string;
  declaredAt: string;
  venues: { id: string; name: string }[];
}

// ---- a holder's record for casework (/api/console/holders/find, /api/official/holders/:id)
export interface FoundHolder {
  id: string;
  maskedName: string;
  birthYear: number;
  idLast4: string;
  region: string;
  colour: Colour | null;
}

export interface HolderRecord {
  holder: { id: string; maskedName: string; birthYear: number; idLast4: string; region: string };
  assessment: { colour: Colour; reasons: { ruleId: string; colour: Colour; text: Record<string, string>; since: string }[]; assessedAt: string };
  overrides: OverrideView[];
}
