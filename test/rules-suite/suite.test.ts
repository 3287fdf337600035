// The shared rules test suite: every JSON file under test/rules-suite/ is a list of cases
// (ruleset, holder's time zone, facts, clock → expected colour, reasons and ways to green), in
// the spirit of CertLogic's shared test suite. New files are picked up automatically.
// The format is described in test/rules-suite/README.md.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DEFAULT_RULESET } from '../../src/core/rules/default.ts';
import { evaluate } from '../../src/core/rules/evaluate.ts';
import { checkFacts } from '../../src/core/rules/facts.ts';
import { parseRuleset, type Ruleset } from '../../src/core/rules/ruleset.ts';
import { declaredStays } from '../../src/core/rules/stays.ts';
import type { Assessment, Facts, RiskAreaFact } from '../../src/core/rules/types.ts';

const ROOT = fileURLToPath(new URL('.', import.meta.url));
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

type Json = Record<string, unknown>;

interface SuiteCase {
  file: string;
  name: string;
  ruleset: Ruleset;
  facts: Facts;
  now: Date;
  dateOfBirth: string | undefined;
  expected: Json;
}

function jsonFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? jsonFiles(join(dir, e.name)) : e.name.endsWith('.json') ? [join(dir, e.name)] : []))
    .sort();
}

/** A malformed case must fail loudly, never be skipped or half-checked: keys are checked strictly. */
function obj(v: unknown, where: string, required: readonly string[], optional: readonly string[] = []): Json {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error(`${where}: must be an object`);
  const o = v as Json;
  for (const k of required) if (!(k in o)) throw new Error(`${where}: missing "${k}"`);
  for (const k of Object.keys(o)) if (!required.includes(k) && !optional.includes(k)) throw new Error(`${where}: unknown key "${k}"`);
  return o;
}

function instant(v: unknown, where: string): Date {
  if (typeof v !== 'string' || !INSTANT.test(v) || Number.isNaN(Date.parse(v))) throw new Error(`${where}: must be an ISO 8601 time with an offset, got ${JSON.stringify(v)}`);
  return new Date(v);
}

function list(v: unknown, where: string): unknown[] {
  if (v === undefined) return [];
  if (!Array.isArray(v)) throw new Error(`${where}: must be an array`);
  return v;
}

function str(v: unknown, where: string): string {
  if (typeof v !== 'string') throw new Error(`${where}: must be a string`);
  return v;
}

function loadRuleset(v: unknown, where: string): Ruleset {
  if (v === 'default') return DEFAULT_RULESET;
  const o = obj(v, where, [], ['version', 'effectiveFrom', 'changeNote', 'parameters', 'rules', 'description']);
  if ('rules' in o) return parseRuleset(o);
  // a patch of the default: its parameters replaced or added, everything else kept
  const base = DEFAULT_RULESET.document;
  return parseRuleset({
    ...base,
    version: o.version ?? `${base.version}-patched`,
    parameters: { ...base.parameters, ...(obj(o.parameters, `${where}.parameters`, [], Object.keys(o.parameters ?? {}))) },
  });
}

function loadFacts(v: unknown, holderId: string, timeZone: string, ruleset: Ruleset, where: string): Facts {
  const f = obj(v, where, [], ['declarations', 'labResults', 'exposures', 'riskAreaStays', 'discharges', 'checkIns', 'riskAreas']);
  const declarations = list(f.declarations, `${where}.declarations`).map((d, i) => {
    const w = `${where}.declarations[${i}]`;
    const o = obj(d, w, ['id', 'declaredAt'], ['symptoms', 'temperatureC', 'placesVisited']);
    return {
      id: str(o.id, `${w}.id`),
      symptoms: list(o.symptoms, `${w}.symptoms`).map((s) => str(s, `${w}.symptoms`)),
      temperatureC: (o.temperatureC as number | null | undefined) ?? null,
      placesVisited: list(o.placesVisited, `${w}.placesVisited`).map((p, j) => {
        const q = obj(p, `${w}.placesVisited[${j}]`, ['region', 'from', 'to']);
        for (const k of ['from', 'to'] as const) if (!DATE.test(str(q[k], `${w}.placesVisited[${j}].${k}`))) throw new Error(`${w}.placesVisited[${j}].${k}: YYYY-MM-DD`);
        return { region: str(q.region, `${w}.region`), from: q.from as string, to: q.to as string };
      }),
      declaredAt: instant(o.declaredAt, `${w}.declaredAt`),
    };
  });
  const riskAreas: RiskAreaFact[] = list(f.riskAreas, `${where}.riskAreas`).map((a, i) => {
    const w = `${where}.riskAreas[${i}]`;
    const o = obj(a, w, ['id', 'region', 'level', 'startsAt'], ['endsAt']);
    return {
      id: str(o.id, `${w}.id`),
      region: str(o.region, `${w}.region`),
      level: o.level as RiskAreaFact['level'],
      startsAt: instant(o.startsAt, `${w}.startsAt`),
      endsAt: o.endsAt === undefined || o.endsAt === null ? null : instant(o.endsAt, `${w}.endsAt`),
    };
  });
  const explicitStays = list(f.riskAreaStays, `${where}.riskAreaStays`).map((s, i) => {
    const w = `${where}.riskAreaStays[${i}]`;
    const o = obj(s, w, ['id', 'region', 'level', 'lastPresentAt', 'knownAt'], ['areaId', 'place', 'source']);
    return {
      id: str(o.id, `${w}.id`),
      areaId: (o.areaId as string | undefined) ?? 'area',
      region: str(o.region, `${w}.region`),
      level: o.level as 'high' | 'medium',
      place: (o.place as string | undefined) ?? (o.region as string),
      lastPresentAt: instant(o.lastPresentAt, `${w}.lastPresentAt`),
      knownAt: instant(o.knownAt, `${w}.knownAt`),
      source: (o.source as 'declaration' | 'scan' | undefined) ?? 'scan',
    };
  });
  return {
    holder: { id: holderId, timeZone },
    declarations,
    labResults: list(f.labResults, `${where}.labResults`).map((l, i) => {
      const w = `${where}.labResults[${i}]`;
      const o = obj(l, w, ['id', 'kind', 'result', 'sampledAt', 'reportedAt', 'verified']);
      return {
        id: str(o.id, `${w}.id`),
        kind: o.kind as 'pcr' | 'antigen',
        result: o.result as 'positive' | 'negative',
        sampledAt: instant(o.sampledAt, `${w}.sampledAt`),
        reportedAt: instant(o.reportedAt, `${w}.reportedAt`),
        verified: o.verified as boolean,
      };
    }),
    exposures: list(f.exposures, `${where}.exposures`).map((e, i) => {
      const w = `${where}.exposures[${i}]`;
      const o = obj(e, w, ['id', 'kind', 'lastExposureAt', 'notifiedAt'], ['venueName', 'minutes']);
      return {
        id: str(o.id, `${w}.id`),
        kind: o.kind as 'close' | 'secondary',
        lastExposureAt: instant(o.lastExposureAt, `${w}.lastExposureAt`),
        notifiedAt: instant(o.notifiedAt, `${w}.notifiedAt`),
        venueName: (o.venueName as string | undefined) ?? 'Lanxi Central Market',
        minutes: (o.minutes as number | undefined) ?? (o.kind === 'close' ? 20 : 10),
      };
    }),
    riskAreaStays: [...declaredStays(declarations, riskAreas, timeZone, ruleset.parameters.highRiskLookbackDays), ...explicitStays],
    discharges: list(f.discharges, `${where}.discharges`).map((d, i) => {
      const o = obj(d, `${where}.discharges[${i}]`, ['id', 'at']);
      return { id: str(o.id, `${where}.discharges[${i}].id`), at: instant(o.at, `${where}.discharges[${i}].at`) };
    }),
    // a check-in is either {id, at} or just its time (then numbered c1, c2, …)
    checkIns: list(f.checkIns, `${where}.checkIns`).map((c, i) => {
      if (typeof c === 'string') return { id: `c${i + 1}`, at: instant(c, `${where}.checkIns[${i}]`) };
      const o = obj(c, `${where}.checkIns[${i}]`, ['id', 'at']);
      return { id: str(o.id, `${where}.checkIns[${i}].id`), at: instant(o.at, `${where}.checkIns[${i}].at`) };
    }),
  };
}

function loadCases(file: string): SuiteCase[] {
  const rel = relative(ROOT, file);
  const raw: unknown = JSON.parse(readFileSync(file, 'utf8'));
  const items = Array.isArray(raw) ? raw : [raw];
  return items.map((c, i) => {
    const where = `${rel}[${i}]`;
    const o = obj(c, where, ['name', 'ruleset', 'timeZone', 'facts', 'now', 'expected'], ['description', 'holder']);
    const holder = obj(o.holder ?? {}, `${where}.holder`, [], ['id', 'dateOfBirth']);
    const ruleset = loadRuleset(o.ruleset, `${where}.ruleset`);
    const timeZone = str(o.timeZone, `${where}.timeZone`);
    const expected = obj(o.expected, `${where}.expected`, ['colour', 'reasons'], ['validUntil', 'factProblems']);
    return {
      file: rel,
      name: str(o.name, `${where}.name`),
      ruleset,
      facts: loadFacts(o.facts, (holder.id as string | undefined) ?? 'holder-1', timeZone, ruleset, `${where}.facts`),
      now: instant(o.now, `${where}.now`),
      dateOfBirth: holder.dateOfBirth as string | undefined,
      expected,
    };
  });
}

/** Times compare as instants: the cases write them in the holder's offset, the engine in UTC. */
function sameInstant(actual: string | null | undefined, expected: unknown, where: string): void {
  if (expected === null) {
    expect(actual, where).toBeNull();
    return;
  }
  expect(actual, where).not.toBeNull();
  expect(new Date(actual!).toISOString(), where).toBe(instant(expected, where).toISOString());
}

function checkRequirements(actual: Assessment['reasons'][number]['wayToGreen'][number]['requirements'], expected: unknown[], where: string): void {
  expect(actual.map((r) => r.kind), `${where}: requirement kinds`).toEqual(expected.map((r, i) => obj(r, `${where}[${i}]`, ['kind'], ['done', 'due', 'have', 'need']).kind));
  expected.forEach((r, i) => {
    const e = r as Json;
    const a = actual[i]!;
    const w = `${where}[${i}] (${a.kind})`;
    if ('done' in e) expect(a.done, `${w}.done`).toBe(e.done);
    if ('due' in e) sameInstant(a.due, e.due, `${w}.due`);
    if ('have' in e) expect(a.have, `${w}.have`).toBe(e.have);
    if ('need' in e) expect(a.need, `${w}.need`).toBe(e.need);
  });
}

function checkAssessment(a: Assessment, c: SuiteCase): void {
  const e = c.expected;
  expect(a.colour, 'colour').toBe(e.colour);
  const reasons = list(e.reasons, 'expected.reasons');
  expect(a.reasons.map((r) => r.ruleId), 'reasons (rule ids, in order)').toEqual(reasons.map((r, i) => obj(r, `expected.reasons[${i}]`, ['ruleId'], ['colour', 'since', 'until', 'periodStart', 'facts', 'textIncludes', 'wayToGreen']).ruleId));
  reasons.forEach((r, i) => {
    const x = r as Json;
    const got = a.reasons[i]!;
    const w = `reasons[${i}] (${got.ruleId})`;
    if ('colour' in x) expect(got.colour, `${w}.colour`).toBe(x.colour);
    if ('since' in x) sameInstant(got.since, x.since, `${w}.since`);
    if ('until' in x) sameInstant(got.until, x.until, `${w}.until`);
    if ('periodStart' in x) sameInstant(got.periodStart, x.periodStart, `${w}.periodStart`);
    if ('facts' in x) expect(got.facts.map((f) => f.id), `${w}.facts`).toEqual(x.facts);
    if ('textIncludes' in x) {
      const t = obj(x.textIncludes, `${w}.textIncludes`, [], ['en', 'zh-CN']);
      for (const [lang, s] of Object.entries(t)) expect(got.text[lang as 'en' | 'zh-CN'], `${w}.text.${lang}`).toContain(s);
    }
    if ('wayToGreen' in x) {
      const options = list(x.wayToGreen, `${w}.wayToGreen`);
      expect(got.wayToGreen, `${w}.wayToGreen: number of options`).toHaveLength(options.length);
      options.forEach((o, j) => {
        const opt = obj(o, `${w}.wayToGreen[${j}]`, ['requirements'], ['due']);
        if ('due' in opt) sameInstant(got.wayToGreen[j]!.due, opt.due, `${w}.wayToGreen[${j}].due`);
        checkRequirements(got.wayToGreen[j]!.requirements, list(opt.requirements, 'requirements'), `${w}.wayToGreen[${j}].requirements`);
      });
    }
  });
  if ('validUntil' in e) sameInstant(a.validUntil.toISOString(), e.validUntil, 'validUntil');
  // every suite case also checks the invariants that hold for any input
  expect(a.reasons.length === 0, 'green iff no reasons').toBe(a.colour === 'green');
  expect(a.validUntil.getTime(), 'validUntil > now').toBeGreaterThan(c.now.getTime());
  expect(a.rulesetVersion).toBe(c.ruleset.version);
}

const files = jsonFiles(ROOT);
/** A file that does not load fails its own test, with the case and field named; the others still run. */
const loaded = new Map<string, SuiteCase[] | Error>(
  files.map((f) => {
    try {
      return [relative(ROOT, f), loadCases(f)];
    } catch (e) {
      return [relative(ROOT, f), e instanceof Error ? e : new Error(String(e))];
    }
  }),
);
const cases = [...loaded.values()].flatMap((v) => (v instanceof Error ? [] : v));

describe('rules suite', () => {
  it('has the cases it is meant to have', () => {
    expect(files.length).toBeGreaterThan(0);
    expect(cases.length).toBeGreaterThanOrEqual(40);
    const names = cases.map((c) => `${c.file}: ${c.name}`);
    expect(new Set(names).size, 'case names are unique within a file').toBe(names.length);
  });

  it('covers every rule of the default ruleset', () => {
    const cited = new Set(cases.flatMap((c) => list(c.expected.reasons, 'reasons').map((r) => (r as Json).ruleId)));
    for (const rule of DEFAULT_RULESET.rules) expect(cited, rule.id).toContain(rule.id);
  });

  for (const [rel, fileCases] of loaded) {
    describe(rel, () => {
      if (fileCases instanceof Error) {
        it('loads', () => {
          throw fileCases;
        });
        return;
      }
      for (const c of fileCases) {
        it(c.name, () => {
          checkAssessment(evaluate(c.facts, c.ruleset, c.now), c);
          // the cases are realistic: the only impossible facts are the ones a case says it has
          const problems = checkFacts(c.facts, c.now, c.dateOfBirth === undefined ? {} : { dateOfBirth: c.dateOfBirth });
          expect(problems.map((p) => p.code), 'fact problems').toEqual(list(c.expected.factProblems, 'factProblems'));
        });
      }
    });
  }
});
