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
export type OverrideRow = OverrideView & { maskedName: string };

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
