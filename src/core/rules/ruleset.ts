// A ruleset is data: a version, when it takes effect, its parameters (every number of
// MISSION.md's domain rules) and its rules. Each rule turns one kind of fact into a cause of a
// colour when its CertLogic condition holds, says why in zh-CN and en, and lists the ways out
// (any one option, all of its requirements met). Validated here before use: a bad ruleset is
// refused with the rule and field named.
import type { CertLogicExpression } from 'certlogic-js';
import { dataAccesses, validate as validateCertLogic } from 'certlogic-js/dist/validation/index.js';
import { COLOURS, LANGS, type Colour, type Text } from './types.ts';

export type FactKind = 'declaration' | 'labResult' | 'exposure' | 'riskAreaStay' | 'checkInLapse';

/** Fields a rule's condition may read (as `fact.<field>`) and its reason text may show. */
export const FACT_FIELDS: Record<FactKind, readonly string[]> = {
  declaration: ['id', 'knownAt', 'eventAt', 'symptoms', 'symptomCount', 'temperatureTenthsC', 'hasTemperature'],
  labResult: ['id', 'knownAt', 'eventAt', 'kind', 'result', 'verified'],
  exposure: ['id', 'knownAt', 'eventAt', 'kind', 'minutes', 'venue'],
  riskAreaStay: ['id', 'knownAt', 'eventAt', 'level', 'region', 'place', 'source'],
  checkInLapse: ['id', 'knownAt', 'eventAt', 'missedDays', 'missedDates'],
};

/** Placeholders a reason text may use, besides {param:<name>}. */
export const TEMPLATE_FIELDS: Record<FactKind, readonly string[]> = {
  declaration: ['eventDate', 'eventTime', 'knownDate', 'symptoms', 'temperature'],
  labResult: ['eventDate', 'eventTime', 'knownDate', 'testKind'],
  exposure: ['eventDate', 'eventTime', 'knownDate', 'venue', 'minutes'],
  riskAreaStay: ['eventDate', 'eventTime', 'knownDate', 'place', 'region'],
  checkInLapse: ['eventDate', 'knownDate', 'missedDates'],
};

/** The parameters the engine and the services read; a ruleset must define every one. */
export const REQUIRED_PARAMETERS = {
  caseIsolationDays: 'days of isolation for a confirmed case, from the positive sample',
  caseCheckIns: 'daily check-ins a confirmed case needs before green',
  closeContactDays: 'days of quarantine for a close contact, from the last exposure',
  closeContactCheckIns: 'daily check-ins a close contact needs before green',
  yellowDays: 'days of home observation (symptoms, high-risk area, secondary contact)',
  yellowCheckIns: 'daily check-ins a yellow holder needs before green by time',
  negativePcrCount: 'negative PCR results needed to leave red, or yellow early',
  negativePcrGapHours: 'minimum hours between those PCR samples (inclusive)',
  yellowPcrWindowDays: 'days within which the negative PCRs that end a yellow early must be sampled',
  missedCheckInDays: 'consecutive days without a check-in that turn a yellow or red holder grey',
  feverThresholdTenthsC: 'a declared temperature at or above this (tenths of °C) counts as fever',
  highRiskLookbackDays: 'a stay in a high-risk area counts if it ended within this many days',
  closeContactMinutes: 'minutes together with a case (in whole intervals) that make a close contact',
  overlapIntervalMinutes: 'overlap is counted in intervals of this many minutes',
  minVisitMinutes: 'visits shorter than this are ignored by tracing',
  secondaryWindowMinutes: 'minutes after a case left a venue during which arrivals are secondary contacts',
  defaultStayMinutes: 'length of a stay when a scan has no check-out',
  infectiousDaysBefore: 'days before onset or positive sample that a case is infectious',
  riskAreaCleanDays: 'days without a new case after which a risk area lifts',
  scanRetentionDays: 'days scans are kept before they are purged',
  greenValidityHours: 'hours after which any assessment is re-evaluated even without new facts',
  ruleNoticeHours: 'hours between publishing a ruleset and its taking effect (unless emergency)',
} as const;
export type ParameterName = keyof typeof REQUIRED_PARAMETERS;

/** Parameters that make no sense at 0 (a re-check due at once would loop). */
const MINIMUM: Partial<Record<ParameterName, number>> = { greenValidityHours: 1, overlapIntervalMinutes: 1 };

export type RequirementDoc =
  | { elapsed: string }
  | { checkIns: string }
  | { negativePcrs: { count: string; minGapHours: string; withinDays?: string; sampledAfter: 'event' | 'known' } }
  | { discharged: true }
  | { checkInToday: true };

export interface RuleDoc {
  id: string;
  colour: Exclude<Colour, 'green'>;
  fact: FactKind;
  when: CertLogicExpression;
  /** the period (elapsed days, PCRs "sampled after") counts from the event or from when it became known */
  periodFrom: 'event' | 'known';
  reason: Text;
  /** ways out: any one inner list, all of its requirements met */
  exit: RequirementDoc[][];
}

export type ParameterValue = number | { sameAs: string };

export interface RulesetDoc {
  version: string;
  effectiveFrom: string;
  changeNote: Text;
  parameters: Record<string, ParameterValue>;
  rules: RuleDoc[];
}

export interface Ruleset {
  readonly version: string;
  readonly effectiveFrom: string;
  readonly changeNote: Text;
  /** every parameter resolved to its number */
  readonly parameters: Readonly<Record<ParameterName, number>> & Readonly<Record<string, number>>;
  readonly rules: readonly RuleDoc[];
  /** the document as published */
  readonly document: RulesetDoc;
}

export class RulesetError extends Error {
  constructor(
    readonly ruleId: string | null,
    readonly field: string,
    readonly detail: string,
  ) {
    super(`${ruleId ? `rule ${JSON.stringify(ruleId)}, ` : ''}field ${JSON.stringify(field)}: ${detail}`);
    this.name = 'RulesetError';
  }
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;

function checkText(v: unknown, ruleId: string | null, field: string): Text {
  if (!isObject(v)) throw new RulesetError(ruleId, field, 'must be an object with "en" and "zh-CN" texts');
  for (const lang of LANGS) {
    if (typeof v[lang] !== 'string' || (v[lang] as string).trim() === '') {
      throw new RulesetError(ruleId, `${field}.${lang}`, `the ${lang} text is missing`);
    }
  }
  for (const k of Object.keys(v)) if (!(LANGS as readonly string[]).includes(k)) throw new RulesetError(ruleId, `${field}.${k}`, 'unknown language');
  return { en: v.en as string, 'zh-CN': v['zh-CN'] as string };
}

function resolveParameters(raw: unknown): Record<string, number> {
  if (!isObject(raw)) throw new RulesetError(null, 'parameters', 'must be an object');
  const out: Record<string, number> = {};
  const resolving: string[] = [];
  const resolve = (name: string): number => {
    if (name in out) return out[name]!;
    const v = raw[name];
    if (v === undefined) throw new RulesetError(null, `parameters.${name}`, 'missing parameter');
    if (resolving.includes(name)) {
      throw new RulesetError(null, `parameters.${name}`, `cycle: ${[...resolving.slice(resolving.indexOf(name)), name].join(' → ')}`);
    }
    if (typeof v === 'number') {
      if (!Number.isInteger(v) || v < 0) throw new RulesetError(null, `parameters.${name}`, `must be a whole number ≥ 0, got ${v}`);
      return (out[name] = v);
    }
    if (isObject(v) && typeof v.sameAs === 'string' && Object.keys(v).length === 1) {
      resolving.push(name);
      const n = resolve(v.sameAs);
      resolving.pop();
      return (out[name] = n);
    }
    throw new RulesetError(null, `parameters.${name}`, 'must be a whole number or {"sameAs": "<parameter>"}');
  };
  for (const name of Object.keys(raw)) resolve(name);
  for (const name of Object.keys(REQUIRED_PARAMETERS)) {
    if (!(name in out)) throw new RulesetError(null, `parameters.${name}`, `missing parameter (${REQUIRED_PARAMETERS[name as ParameterName]})`);
    const min = MINIMUM[name as ParameterName];
    if (min !== undefined && out[name]! < min) throw new RulesetError(null, `parameters.${name}`, `must be at least ${min}, got ${out[name]}`);
  }
  return out;
}

function checkParamRef(params: Record<string, number>, ruleId: string, field: string, v: unknown): string {
  if (typeof v !== 'string') throw new RulesetError(ruleId, field, 'must name a parameter');
  if (!(v in params)) throw new RulesetError(ruleId, field, `missing parameter ${JSON.stringify(v)}`);
  return v;
}

function checkAnchor(ruleId: string, field: string, v: unknown): 'event' | 'known' {
  if (v !== 'event' && v !== 'known') throw new RulesetError(ruleId, field, 'must be "event" or "known"');
  return v;
}

function checkRequirement(params: Record<string, number>, ruleId: string, field: string, r: unknown): RequirementDoc {
  if (!isObject(r) || Object.keys(r).length !== 1) throw new RulesetError(ruleId, field, 'a requirement is an object with exactly one key');
  const [kind] = Object.keys(r) as [string];
  const v = r[kind];
  switch (kind) {
    case 'elapsed':
      return { elapsed: checkParamRef(params, ruleId, `${field}.elapsed`, v) };
    case 'checkIns':
      return { checkIns: checkParamRef(params, ruleId, `${field}.checkIns`, v) };
    case 'negativePcrs': {
      if (!isObject(v)) throw new RulesetError(ruleId, `${field}.negativePcrs`, 'must be an object');
      for (const k of Object.keys(v)) {
        if (!['count', 'minGapHours', 'withinDays', 'sampledAfter'].includes(k)) throw new RulesetError(ruleId, `${field}.negativePcrs.${k}`, 'unknown field');
      }
      return {
        negativePcrs: {
          count: checkParamRef(params, ruleId, `${field}.negativePcrs.count`, v.count),
          minGapHours: checkParamRef(params, ruleId, `${field}.negativePcrs.minGapHours`, v.minGapHours),
          ...(v.withinDays === undefined ? {} : { withinDays: checkParamRef(params, ruleId, `${field}.negativePcrs.withinDays`, v.withinDays) }),
          sampledAfter: checkAnchor(ruleId, `${field}.negativePcrs.sampledAfter`, v.sampledAfter),
        },
      };
    }
    case 'discharged':
    case 'checkInToday':
      if (v !== true) throw new RulesetError(ruleId, `${field}.${kind}`, 'must be true');
      return kind === 'discharged' ? { discharged: true } : { checkInToday: true };
    default:
      throw new RulesetError(ruleId, `${field}.${kind}`, `unknown requirement ${JSON.stringify(kind)}`);
  }
}

function checkTemplate(text: Text, kind: FactKind, params: Record<string, number>, ruleId: string): void {
  for (const lang of LANGS) {
    for (const m of text[lang].matchAll(/\{([^{}]*)\}/g)) {
      const name = m[1]!;
      if (name.startsWith('param:')) {
        if (!(name.slice(6) in params)) throw new RulesetError(ruleId, `reason.${lang}`, `missing parameter ${JSON.stringify(name.slice(6))} in {${name}}`);
      } else if (!TEMPLATE_FIELDS[kind].includes(name)) {
        throw new RulesetError(ruleId, `reason.${lang}`, `unknown placeholder {${name}} for the ${kind} fact (known: ${TEMPLATE_FIELDS[kind].join(', ')})`);
      }
    }
  }
}

function checkCondition(when: unknown, kind: FactKind, params: Record<string, number>, ruleId: string): CertLogicExpression {
  const errors = validateCertLogic(when);
  if (errors.length > 0) throw new RulesetError(ruleId, 'when', errors.map((e) => e.message).join('; '));
  for (const path of dataAccesses(when as CertLogicExpression)) {
    const [root, name, ...rest] = path.split('.');
    const ok =
      path === 'now' ||
      (root === 'fact' && name !== undefined && FACT_FIELDS[kind].includes(name) && (rest.length === 0 || /^\d+$/.test(rest[0]!))) ||
      (root === 'params' && name !== undefined && name in params && rest.length === 0);
    if (!ok) {
      const detail = root === 'params' ? `missing parameter ${JSON.stringify(name)}` : `reads ${JSON.stringify(path)}, which the ${kind} fact does not have (fields: ${FACT_FIELDS[kind].join(', ')})`;
      throw new RulesetError(ruleId, 'when', detail);
    }
  }
  return when as CertLogicExpression;
}

/** Validates a ruleset document and resolves its parameters; throws RulesetError naming the rule and field. */
export function parseRuleset(doc: unknown): Ruleset {
  if (!isObject(doc)) throw new RulesetError(null, '(document)', 'a ruleset is a JSON object');
  for (const k of Object.keys(doc)) {
    if (!['version', 'effectiveFrom', 'changeNote', 'parameters', 'rules', '$schema', 'description'].includes(k)) throw new RulesetError(null, k, 'unknown field');
  }
  if (typeof doc.version !== 'string' || !/^[0-9A-Za-z][0-9A-Za-z._-]{0,63}$/.test(doc.version)) {
    throw new RulesetError(null, 'version', 'must be a version string such as 2026.12.0');
  }
  if (typeof doc.effectiveFrom !== 'string' || !ISO_WITH_OFFSET.test(doc.effectiveFrom) || Number.isNaN(Date.parse(doc.effectiveFrom))) {
    throw new RulesetError(null, 'effectiveFrom', 'must be an ISO 8601 time with an offset');
  }
  const changeNote = checkText(doc.changeNote, null, 'changeNote');
  const params = resolveParameters(doc.parameters);
  if (!Array.isArray(doc.rules) || doc.rules.length === 0) throw new RulesetError(null, 'rules', 'must be a non-empty array');
  const ids = new Set<string>();
  const rules: RuleDoc[] = doc.rules.map((r: unknown, i: number) => {
    if (!isObject(r)) throw new RulesetError(null, `rules[${i}]`, 'a rule is an object');
    const id = r.id;
    if (typeof id !== 'string' || !/^[a-z0-9][a-z0-9-]{0,63}$/.test(id)) throw new RulesetError(null, `rules[${i}].id`, 'must be a lower-case id such as close-contact');
    if (ids.has(id)) throw new RulesetError(id, 'id', 'duplicate rule id');
    ids.add(id);
    for (const k of Object.keys(r)) {
      if (!['id', 'colour', 'fact', 'when', 'periodFrom', 'reason', 'exit', 'description'].includes(k)) throw new RulesetError(id, k, 'unknown field');
    }
    if (typeof r.colour !== 'string' || !(COLOURS as readonly string[]).includes(r.colour) || r.colour === 'green') {
      throw new RulesetError(id, 'colour', `must be one of yellow, red, grey; got ${JSON.stringify(r.colour)}`);
    }
    if (typeof r.fact !== 'string' || !(r.fact in FACT_FIELDS)) {
      throw new RulesetError(id, 'fact', `must be one of ${Object.keys(FACT_FIELDS).join(', ')}; got ${JSON.stringify(r.fact)}`);
    }
    const fact = r.fact as FactKind;
    const periodFrom = checkAnchor(id, 'periodFrom', r.periodFrom);
    const reason = checkText(r.reason, id, 'reason');
    checkTemplate(reason, fact, params, id);
    const when = checkCondition(r.when, fact, params, id);
    if (!Array.isArray(r.exit) || r.exit.length === 0) throw new RulesetError(id, 'exit', 'must list at least one way out');
    const exit = r.exit.map((option: unknown, j: number) => {
      if (!Array.isArray(option) || option.length === 0) throw new RulesetError(id, `exit[${j}]`, 'must be a non-empty list of requirements');
      return option.map((req: unknown, k: number) => checkRequirement(params, id, `exit[${j}][${k}]`, req));
    });
    return { id, colour: r.colour as RuleDoc['colour'], fact, when, periodFrom, reason, exit };
  });
  return Object.freeze({
    version: doc.version,
    effectiveFrom: new Date(doc.effectiveFrom).toISOString(),
    changeNote,
    parameters: Object.freeze(params) as Ruleset['parameters'],
    rules: Object.freeze(rules),
    document: doc as unknown as RulesetDoc,
  });
}
