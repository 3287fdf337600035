// Lab results as CSV: a header line, then one result per line. Columns:
// external_id, id_number, kind (pcr|antigen), result (positive|negative), sampled_at, reported_at, lab
import { parse } from 'csv-parse/sync';
import { checkRecord, parseInstant, type LabRecord, type RecordProblem } from './records.ts';

export const CSV_COLUMNS = ['external_id', 'id_number', 'kind', 'result', 'sampled_at', 'reported_at', 'lab'] as const;

export interface CsvParse {
  records: { at: string; record: LabRecord }[];
  problems: RecordProblem[];
}

export function parseLabCsv(text: string, now: Date): CsvParse {
  const out: CsvParse = { records: [], problems: [] };
  let rows: string[][];
  try {
    rows = parse(text, { relax_column_count: true, skip_empty_lines: true, trim: true, bom: true }) as string[][];
  } catch (e) {
    out.problems.push({ at: 'file', reason: `not CSV: ${(e as Error).message}` });
    return out;
  }
  const header = rows[0]?.map((h) => h.toLowerCase());
  const missing = CSV_COLUMNS.filter((c) => !header?.includes(c));
  if (!header || missing.length > 0) {
    out.problems.push({ at: 'line 1', reason: `the header must name the columns ${CSV_COLUMNS.join(', ')}; missing: ${missing.join(', ')}` });
    return out;
  }
  const col = (row: string[], name: (typeof CSV_COLUMNS)[number]) => row[header.indexOf(name)] ?? '';
  rows.slice(1).forEach((row, i) => {
    const at = `line ${i + 2}`;
    const kind = col(row, 'kind').toLowerCase();
    const result = col(row, 'result').toLowerCase();
    if (kind !== 'pcr' && kind !== 'antigen') return void out.problems.push({ at, reason: `kind ${JSON.stringify(col(row, 'kind'))} is not pcr or antigen` });
    if (result !== 'positive' && result !== 'negative') return void out.problems.push({ at, reason: `result ${JSON.stringify(col(row, 'result'))} is not positive or negative` });
    const sampledAt = parseInstant(col(row, 'sampled_at'));
    if (!sampledAt) return void out.problems.push({ at, reason: `sampled_at ${JSON.stringify(col(row, 'sampled_at'))} is not a date-time with an offset` });
    const reportedAt = col(row, 'reported_at') === '' ? sampledAt : parseInstant(col(row, 'reported_at'));
    if (!reportedAt) return void out.problems.push({ at, reason: `reported_at ${JSON.stringify(col(row, 'reported_at'))} is not a date-time with an offset` });
    const record: LabRecord = { externalId: col(row, 'external_id'), idNumber: col(row, 'id_number'), kind, result, sampledAt, reportedAt, lab: col(row, 'lab') };
    const problem = checkRecord(record, now);
    if (problem) return void out.problems.push({ at, reason: problem });
    out.records.push({ at, record });
  });
  return out;
}
