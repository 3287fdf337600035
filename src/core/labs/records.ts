// Lab results as they arrive from outside (FHIR bundles, CSV files), normalised and checked.
// Pure: parsing and validation only; storing them is the lab-results feature's job.

export interface LabRecord {
  /** the id in the source system: re-importing the same record changes nothing */
  externalId: string;
  /** the patient's ID document number (matched to a holder by its keyed hash) */
  idNumber: string;
  kind: 'pcr' | 'antigen';
  result: 'positive' | 'negative';
  sampledAt: Date;
  reportedAt: Date;
  lab: string;
}

export interface RecordProblem {
  /** where: "entry[3]" for FHIR, "line 7" for CSV */
  at: string;
  reason: string;
}

/** LOINC codes we accept, and what they measure. */
export const LOINC: Record<string, 'pcr' | 'antigen'> = {
  '94500-6': 'pcr', // SARS-CoV-2 RNA [Presence] in Respiratory specimen by NAA with probe detection
  '94309-2': 'pcr', // SARS-CoV-2 RNA [Presence] in Specimen by NAA with probe detection
  '94533-7': 'pcr', // SARS-CoV-2 N gene [Presence] in Respiratory specimen by NAA with probe detection
  '94534-5': 'pcr', // SARS-CoV-2 RdRp gene [Presence] in Respiratory specimen by NAA with probe detection
  '94759-8': 'pcr', // SARS-CoV-2 RNA [Presence] in Nasopharynx by NAA with probe detection
  '94558-4': 'antigen', // SARS-CoV-2 Ag [Presence] in Respiratory specimen by Rapid immunoassay
  '95209-3': 'antigen', // SARS-CoV+SARS-CoV-2 Ag [Presence] in Respiratory specimen by Rapid immunoassay
  '97097-0': 'antigen', // SARS-CoV-2 Ag [Presence] in Upper respiratory specimen by Rapid immunoassay
};

/** SNOMED CT result codes (and the HL7 interpretation codes POS/NEG, DET/ND). */
export const RESULT_CODES: Record<string, 'positive' | 'negative'> = {
  '260373001': 'positive', // Detected
  '10828004': 'positive', // Positive
  '260415000': 'negative', // Not detected
  '260385009': 'negative', // Negative
  POS: 'positive',
  DET: 'positive',
  NEG: 'negative',
  ND: 'negative',
};

const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

/** A date-time with an offset, or null. */
export function parseInstant(v: unknown): Date | null {
  if (typeof v !== 'string' || !ISO_WITH_OFFSET.test(v)) return null;
  const t = Date.parse(v);
  return Number.isNaN(t) ? null : new Date(t);
}

const ID_NUMBER = /^[0-9A-Za-z-]{6,32}$/;
const EXTERNAL_ID = /^[A-Za-z0-9._:/-]{1,128}$/;

/** Checks what every record needs, whatever its source; returns the problem or null. */
export function checkRecord(r: LabRecord, now: Date): string | null {
  if (!EXTERNAL_ID.test(r.externalId)) return `record id ${JSON.stringify(r.externalId)} is not a valid identifier`;
  if (!ID_NUMBER.test(r.idNumber)) return `patient identifier ${JSON.stringify(r.idNumber)} is not an ID document number`;
  if (r.sampledAt.getTime() > now.getTime() + 5 * 60_000) return `sample time ${r.sampledAt.toISOString()} is in the future`;
  if (r.reportedAt.getTime() < r.sampledAt.getTime()) return `reported ${r.reportedAt.toISOString()} before it was sampled ${r.sampledAt.toISOString()}`;
  if (r.reportedAt.getTime() > now.getTime() + 5 * 60_000) return `report time ${r.reportedAt.toISOString()} is in the future`;
  if (r.lab.trim() === '' || r.lab.length > 200) return 'the lab name is missing or too long';
  return null;
}
