// Table types for Kysely. Instants are integer milliseconds since the epoch (UTC) in both
// stores — sortable, partitionable by range, no driver time-zone surprises. Calendar dates
// are 'YYYY-MM-DD' text. JSON documents are text.
import type { ColumnType } from 'kysely';


export interface HolderTable {
  id: string;
  name: string;
  /** HMAC-SHA256 of the normalised ID document number with the server's id key, hex */
  id_hash: string;
  id_last4: string;
  date_of_birth: string;
  phone: string;
  region: string;
  time_zone: string;
  password_hash: string;
  created_at: number;
}

export interface SessionTable {
  /** SHA-256 of the cookie token, hex; the token itself is never stored */
  token_hash: string;
  subject_kind: 'holder' | 'staff';
  subject_id: string;
  created_at: number;
  expires_at: number;
}

export interface DeclarationTable {
  id: string;
  holder_id: string;
  symptoms: string; // JSON string[]
  temperature_c: number | null;
  places_visited: string; // JSON [{region, from, to}]
  declared_at: number;
}

export interface AssessmentTable {
  id: string;
  holder_id: string;
  /** 1, 2, 3… per holder: the order of the holder's assessments */
  version: number;
  colour: 'green' | 'yellow' | 'red' | 'grey';
  reasons: string; // JSON Reason[]
  facts: string; // JSON: the facts the evaluation read
  ruleset_version: string;
  assessed_at: number;
  valid_until: number;
}

export interface VenueTable {
  id: string;
  name: string;
  kind: string;
  region: string;
  address: string;
  created_at: number;
}

export interface StaffAccountTable {
  id: string;
  username: string;
  display_name: string;
  role: string;
  password_hash: string;
  created_at: number;
  /** base32 TOTP secret (RFC 6238); required at log-in for officials, supervisors, operators */
  totp_secret: ColumnType<string | null, string | null | undefined, string | null>;
  /** the last 30-second step accepted: a code is accepted once */
  totp_last_step: ColumnType<number | null, number | null | undefined, number | null>;
}

export interface StaffVenueTable {
  staff_id: string;
  venue_id: string;
}

export interface SigningKeyTable {
  kid: string;
  alg: string;
  public_key_pem: string;
  private_key_pem: string;
  region: string;
  created_at: number;
  /** 1 = signs new codes; only one key is active at a time */
  active: number;
  retired_at: number | null;
}

export interface ServerSecretTable {
  name: string;
  value: string;
  created_at: number;
}

export interface IssuedCodeTable {
  /** the pseudonymous code id carried in the token (hex) */
  code_id: string;
  holder_id: string;
  kind: 'live' | 'paper';
  colour: string;
  issued_at: number;
  expires_at: number;
}

export interface ScanTable {
  event_id: string;
  venue_id: string;
  operator_id: string | null;
  holder_id: string | null;
  code_id: string | null;
  scanned_at: number;
  received_at: number;
  mode: string;
  direction: string | null;
  temperature_c: number | null;
  verdict_ok: number;
  verdict_error: string | null;
  verdict_colour: string | null;
  /** JSON of the verdict returned to the checkpoint, so a duplicate gets the same answer */
  verdict: string;
  /** SHA-256 of the request's identifying content: the same event id with other content is refused */
  fingerprint: string;
}

/**
 * The event-id ledger: one row per scan event id ever stored (until retention), unpartitioned,
 * so that an event id is stored once whatever day its scan falls on — PostgreSQL's scans
 * table is partitioned by day and its unique keys must include the day.
 */
export interface ScanEventIdTable {
  event_id: string;
  scanned_at: number;
}

/** Progress of long, resumable jobs (the city simulator): the last unit of work committed. */
export interface JobCheckpointTable {
  job: string;
  params: string; // JSON: the parameters the job was started with; a resume must match them
  done: number;
  total: number;
  updated_at: number;
}

export interface RiskAreaTable {
  id: string;
  region: string;
  level: 'high' | 'medium';
  starts_at: number;
  ends_at: number | null;
  reason: string;
  created_at: number;
  /** JSON string[] of venue ids, when the area is a set of venues rather than a region */
  venue_ids: string | null;
  renewed_at: number | null;
  lifted_reason: string | null;
  declared_by: string;
}

export interface CaseTable {
  id: string;
  holder_id: string;
  lab_result_id: string;
  onset_at: number | null;
  sampled_at: number;
  confirmed_at: number;
  /** 2 days (the ruleset's infectiousDaysBefore) before onset or sample, whichever is earlier */
  infectious_from: number;
  /** isolation: the confirmation */
  infectious_to: number;
  confirmed_by: string;
}

export interface TraceRunTable {
  id: string;
  case_id: string;
  run_at: number;
  run_by: string;
  case_visits: number;
  close_contacts: number;
  secondary_contacts: number;
  new_exposures: number;
  /** JSON: the contacts found (holder ids, venues, times, minutes) — for officials only */
  result: string;
}

export interface InboxMessageTable {
  id: string;
  holder_id: string;
  at: number;
  colour: string;
  title: string; // JSON Text
  body: string; // JSON Text
  event_id: string;
  read_at: number | null;
}

export interface OutboxTable {
  id: string;
  channel: string;
  holder_id: string;
  payload: string;
  status: 'pending' | 'sent' | 'failed';
  attempts: number;
  next_attempt_at: number;
  last_error: string | null;
  created_at: number;
  sent_at: number | null;
}

export interface RegionTable {
  code: string;
  name_en: string;
  name_zh: string;
}

export interface RulesetTable {
  version: string;
  /** the published JSON document */
  document: string;
  effective_from: number;
  published_at: number;
  /** 1 when published with less than the required notice */
  emergency: number;
  published_by: string;
}

export interface CheckInTable {
  id: string;
  holder_id: string;
  at: number;
  /** the calendar date in the holder's time zone: one check-in per date counts */
  local_date: string;
  temperature_c: number | null;
}

export interface LabResultTable {
  id: string;
  holder_id: string;
  kind: 'pcr' | 'antigen';
  result: 'positive' | 'negative';
  sampled_at: number;
  reported_at: number;
  verified: number;
  lab: string;
  source: string;
  created_at: number;
  /** the id in the source system (FHIR Observation id, CSV column): imports are idempotent by (source, external_id) */
  external_id: string | null;
  /** holder uploads wait for an official: pending → verified | rejected */
  review: 'pending' | 'verified' | 'rejected';
}

export interface ExposureTable {
  id: string;
  holder_id: string;
  kind: 'close' | 'secondary';
  last_exposure_at: number;
  notified_at: number;
  venue_id: string;
  venue_name: string;
  minutes: number;
  /** the tracing run that found it; never shown to the holder (it would identify the case) */
  source_ref: string | null;
}

export interface DischargeTable {
  id: string;
  holder_id: string;
  at: number;
  official_id: string;
  reason: string;
}

export interface HolderStatusTable {
  holder_id: string;
  colour: 'green' | 'yellow' | 'red' | 'grey';
  colour_since: number;
  assessment_id: string;
  assessment_version: number;
  ruleset_version: string;
  /** what the colour rests on (rule ids and fact ids): a change here is worth a new assessment */
  reason_key: string;
  valid_until: number;
  updated_at: number;
}

export interface StatusEventTable {
  id: string;
  holder_id: string;
  at: number;
  from_colour: string | null;
  to_colour: string;
  cause_kind: string;
  cause_ref: string | null;
  ruleset_version: string;
  assessment_id: string;
  /** orders a holder's events (the assessment's version) */
  assessment_version: number;
  /** JSON: the reasons in force after the change */
  reasons: string;
}

export interface JobStateTable {
  name: string;
  value: string;
  updated_at: number;
}

/** The hash-chained audit log (src/features/audit): append-only, never updated or purged. */
export interface AuditLogTable {
  seq: number;
  at: number;
  actor_kind: 'holder' | 'staff' | 'system' | 'anonymous';
  actor_id: string | null;
  actor_role: string;
  action: string;
  subject_kind: string | null;
  subject_id: string | null;
  reason: string | null;
  detail: string; // JSON object
  prev_hash: string;
  hash: string;
}

/** The audit log's head, published once a day on the transparency page. */
export interface AuditHeadTable {
  day: string;
  seq: number;
  hash: string;
  published_at: number;
}

export interface LoginFailureTable {
  /** 'holder:<phone>' or 'staff:<username>' */
  key: string;
  failures: number;
  window_start: number;
  locked_until: number | null;
}

export interface OverrideTable {
  id: string;
  holder_id: string;
  colour: 'green' | 'yellow' | 'red';
  reason_code: string;
  note: string;
  until: number;
  status: 'proposed' | 'approved' | 'rejected' | 'expired';
  proposed_by: string;
  proposed_at: number;
  approved_by: string | null;
  /** the supervisor who approved or rejected it */
  decided_by: string | null;
  decided_at: number | null;
  decision_note: string | null;
  appeal_id: string | null;
  /** JSON string[]: alarm kinds raised when it was proposed, shown to the approver */
  flags: string;
}

export interface AppealTable {
  id: string;
  holder_id: string;
  assessment_id: string | null;
  colour: string;
  text: string;
  filed_at: number;
  deadline_at: number;
  status: 'open' | 'upheld' | 'rejected';
  decided_by: string | null;
  decided_at: number | null;
  decision_reason: string | null;
  override_id: string | null;
}

export interface AppealEvidenceTable {
  id: string;
  appeal_id: string;
  holder_id: string;
  content_type: string;
  size: number;
  sha256: string;
  /** base64 */
  content: string;
  uploaded_at: number;
}

export interface AlarmTable {
  id: string;
  kind: string;
  key: string;
  raised_at: number;
  updated_at: number;
  subject: string;
  detail: string; // JSON
  acknowledged_by: string | null;
  acknowledged_at: number | null;
  ack_note: string | null;
}

export interface DeletionRequestTable {
  holder_id: string;
  requested_at: number;
  apply_after: number;
  hold_reasons: string; // JSON string[]
  applied_at: number | null;
}

export interface ScanDailyCountTable {
  venue_id: string;
  day: string;
  scans: number;
  passes: number;
  invalid: number;
}

// ---- issue 9: paper codes, revocations, ID look-ups, dependants, venue compliance (0008)
export interface PaperCodeTable {
  code_id: string;
  holder_id: string;
  /** the signed token (HCQ1:…), so the same code can be printed again */
  token: string;
  /** the colour when it was issued (the print is colour-neutral; a scan reads the current one) */
  colour: string;
  issued_at: number;
  expires_at: number;
  issued_by_kind: 'holder' | 'staff';
  issued_by: string;
  revoked_at: number | null;
  revoked_reason: string | null;
  replaced_by: string | null;
}

export interface CodeRevocationTable {
  code_id: string;
  holder_id: string;
  reason: string;
  revoked_at: number;
  /** listed until the code would have expired anyway */
  code_expires_at: number;
}

export interface IdLookupTable {
  id: string;
  operator_id: string;
  at: number;
  outcome: 'found' | 'not_found' | 'refused';
}

export interface DependantTable {
  holder_id: string;
  registered_by: string;
  registered_at: number;
  taken_over_at: number | null;
}

export interface GuardianshipTable {
  id: string;
  guardian_id: string;
  dependant_id: string;
  relationship: string;
  /** pending: a claim waiting for an existing guardian or an official */
  status: 'active' | 'pending' | 'rejected' | 'ended';
  requested_at: number;
  decided_by_kind: 'holder' | 'staff' | 'system' | null;
  decided_by: string | null;
  decided_at: number | null;
  ended_at: number | null;
}

export interface TakeoverCodeTable {
  code_hash: string;
  dependant_id: string;
  created_by: string;
  created_at: number;
  expires_at: number;
  used_at: number | null;
}

export interface VenueFootfallTable {
  venue_id: string;
  declared_daily: number;
  declared_by: string;
  declared_at: number;
}

export interface VenueComplianceDayTable {
  venue_id: string;
  /** calendar date in the deployment's time zone */
  day: string;
  scans: number;
  declared: number | null;
  learned: number | null;
  expected: number | null;
  flagged: number;
  computed_at: number;
}

export interface VenueFlagTable {
  id: string;
  key: string;
  venue_id: string;
  kind: 'low_scans' | 'missed_case_visit';
  day: string;
  case_id: string | null;
  detail: string; // JSON
  raised_at: number;
}

export interface CaseRouteVisitTable {
  id: string;
  case_id: string;
  venue_id: string;
  from_at: number;
  to_at: number;
  /** 1 when a scan of the case at the venue matches the visit */
  matched: number;
  recorded_by: string;
  recorded_at: number;
}

export interface ComplianceNoticeTable {
  id: string;
  venue_id: string;
  text: string;
  deadline_at: number;
  issued_by: string;
  issued_at: number;
  acknowledged_by: string | null;
  acknowledged_at: number | null;
}

export interface Database {
  holders: HolderTable;
  sessions: SessionTable;
  declarations: DeclarationTable;
  assessments: AssessmentTable;
  venues: VenueTable;
  staff_accounts: StaffAccountTable;
  staff_venues: StaffVenueTable;
  signing_keys: SigningKeyTable;
  server_secrets: ServerSecretTable;
  issued_codes: IssuedCodeTable;
  scans: ScanTable;
  scan_event_ids: ScanEventIdTable;
  job_checkpoints: JobCheckpointTable;
  risk_areas: RiskAreaTable;
  regions: RegionTable;
  rulesets: RulesetTable;
  check_ins: CheckInTable;
  lab_results: LabResultTable;
  exposures: ExposureTable;
  discharges: DischargeTable;
  holder_status: HolderStatusTable;
  status_events: StatusEventTable;
  jobs_state: JobStateTable;
  cases: CaseTable;
  trace_runs: TraceRunTable;
  inbox_messages: InboxMessageTable;
  outbox: OutboxTable;
  audit_log: AuditLogTable;
  audit_heads: AuditHeadTable;
  login_failures: LoginFailureTable;
  overrides: OverrideTable;
  appeals: AppealTable;
  appeal_evidence: AppealEvidenceTable;
  alarms: AlarmTable;
  deletion_requests: DeletionRequestTable;
  scan_daily_counts: ScanDailyCountTable;
  paper_codes: PaperCodeTable;
  code_revocations: CodeRevocationTable;
  id_lookups: IdLookupTable;
  dependants: DependantTable;
  guardianships: GuardianshipTable;
  takeover_codes: TakeoverCodeTable;
  venue_footfall: VenueFootfallTable;
  venue_compliance_days: VenueComplianceDayTable;
  venue_flags: VenueFlagTable;
  case_route_visits: CaseRouteVisitTable;
  compliance_notices: ComplianceNoticeTable;
}

