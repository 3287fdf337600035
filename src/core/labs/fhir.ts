// HL7 FHIR R4: a Bundle of Observations (SARS-CoV-2 tests, LOINC-coded) with their Patients.
import type { Bundle, BundleEntry, CodeableConcept, Observation, Patient, Reference } from 'fhir/r4.js';
import { checkRecord, LOINC, parseInstant, RESULT_CODES, type LabRecord, type RecordProblem } from './records.ts';

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function codes(c: CodeableConcept | undefined): string[] {
  return (c?.coding ?? []).map((x) => x.code ?? '').filter((x) => x !== '');
}

function patientIdentifier(p: Patient | undefined, ref: Reference | undefined): string | null {
  const fromRef = ref?.identifier?.value;
  if (typeof fromRef === 'string' && fromRef !== '') return fromRef;
  const id = p?.identifier?.find((i) => typeof i.value === 'string' && i.value !== '')?.value;
  return id ?? null;
}

export interface FhirParse {
  records: { at: string; record: LabRecord }[];
  problems: RecordProblem[];
}

/**
 * Reads the Observations of a Bundle. Each bad entry is reported with its index and reason;
 * the good ones are returned. A document that is not a Bundle is one problem at "bundle".
 */
export function parseFhirBundle(doc: unknown, now: Date): FhirParse {
  const out: FhirParse = { records: [], problems: [] };
  if (!isObject(doc) || doc.resourceType !== 'Bundle') {
    out.problems.push({ at: 'bundle', reason: `resourceType must be "Bundle", got ${JSON.stringify(isObject(doc) ? doc.resourceType : typeof doc)}` });
    return out;
  }
  const bundle = doc as unknown as Bundle;
  if (!Array.isArray(bundle.entry)) {
    out.problems.push({ at: 'bundle', reason: 'the bundle has no entry array' });
    return out;
  }
  const patients = new Map<string, Patient>();
  for (const e of bundle.entry as BundleEntry[]) {
    const r = e?.resource as Patient | undefined;
    if (r?.resourceType === 'Patient') {
      if (e.fullUrl) patients.set(e.fullUrl, r);
      if (r.id) patients.set(`Patient/${r.id}`, r);
    }
  }
  bundle.entry.forEach((e: BundleEntry, i: number) => {
    const at = `entry[${i}]`;
    const r = e?.resource as Observation | Patient | undefined;
    if (!isObject(r)) return void out.problems.push({ at, reason: 'the entry has no resource' });
    if (r.resourceType === 'Patient') return;
    if (r.resourceType !== 'Observation') return void out.problems.push({ at, reason: `resourceType ${JSON.stringify(r.resourceType)} is not an Observation` });
    const obs = r;
    if (typeof obs.id !== 'string' || obs.id === '') return void out.problems.push({ at, reason: 'the Observation has no id' });
    if (obs.status !== 'final' && obs.status !== 'amended' && obs.status !== 'corrected') {
      return void out.problems.push({ at, reason: `Observation status ${JSON.stringify(obs.status)} is not a final result` });
    }
    const loinc = (obs.code?.coding ?? []).find((c) => c.system === 'http://loinc.org' && c.code !== undefined && c.code in LOINC);
    if (!loinc) return void out.problems.push({ at, reason: `unknown test code ${JSON.stringify(codes(obs.code).join(',') || null)} (expected a SARS-CoV-2 LOINC code such as 94500-6)` });
    const resultCode = [...codes(obs.valueCodeableConcept), ...(obs.interpretation ?? []).flatMap(codes)].find((c) => c in RESULT_CODES);
    if (!resultCode) return void out.problems.push({ at, reason: 'no recognised result (valueCodeableConcept: SNOMED 260373001 Detected / 260415000 Not detected)' });
    const sampledAt = parseInstant(obs.effectiveDateTime);
    if (!sampledAt) return void out.problems.push({ at, reason: `effectiveDateTime ${JSON.stringify(obs.effectiveDateTime ?? null)} is not a date-time with an offset` });
    const reportedAt = obs.issued === undefined ? sampledAt : parseInstant(obs.issued);
    if (!reportedAt) return void out.problems.push({ at, reason: `issued ${JSON.stringify(obs.issued)} is not a date-time with an offset` });
    const ref = obs.subject;
    const idNumber = patientIdentifier(ref?.reference ? patients.get(ref.reference) : undefined, ref);
    if (!idNumber) return void out.problems.push({ at, reason: "no patient identifier (subject.identifier, or the referenced Patient's identifier)" });
    const lab = obs.performer?.find((p) => typeof p.display === 'string')?.display ?? 'unknown lab';
    const record: LabRecord = { externalId: obs.id, idNumber, kind: LOINC[loinc.code!]!, result: RESULT_CODES[resultCode]!, sampledAt, reportedAt, lab };
    const problem = checkRecord(record, now);
    if (problem) return void out.problems.push({ at, reason: problem });
    out.records.push({ at, record });
  });
  return out;
}
