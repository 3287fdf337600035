// Property tests of the rules engine: what must hold for any facts, not only for the examples
// of test/rules-suite/. "Same facts, same colour" is the product's promise to every household.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { localDate } from '../time/zones.ts';
import { DEFAULT_RULESET } from './default.ts';
import { evaluate } from './evaluate.ts';
import { COLOUR_SEVERITY, type Assessment, type Facts } from './types.ts';

const MIN = 60_000;
const DAY = 24 * 60 * MIN;
/** facts fall between T0 − 20 days and T0 + 45 days; the clock between T0 and T0 + 40 days */
const T0 = Date.parse('2026-03-10T00:00:00Z');
const ZONES = ['Asia/Shanghai', 'Europe/Berlin', 'America/New_York', 'UTC', 'Australia/Lord_Howe'] as const;

const at = fc.integer({ min: -20 * 24 * 60, max: 45 * 24 * 60 }).map((m) => new Date(T0 + m * MIN));
const later = (d: Date, maxMinutes: number) => fc.integer({ min: 0, max: maxMinutes }).map((m) => new Date(d.getTime() + m * MIN));
const nowArb = fc.integer({ min: 0, max: 40 * 24 * 60 * 60 }).map((s) => new Date(T0 + s * 1000));

const declarationArb = fc.record({
  symptoms: fc.subarray(['fever', 'cough', 'fatigue', 'sore_throat']),
  temperatureC: fc.constantFrom(null, 36.5, 37.2, 37.25, 37.3, 38.5),
  declaredAt: at,
});
const labResultArb = at.chain((sampledAt) =>
  fc.record({
    kind: fc.constantFrom('pcr' as const, 'antigen' as const),
    result: fc.constantFrom('positive' as const, 'negative' as const),
    sampledAt: fc.constant(sampledAt),
    reportedAt: later(sampledAt, 3 * 24 * 60),
    verified: fc.boolean(),
  }),
);
const exposureArb = at.chain((lastExposureAt) =>
  fc.record({
    kind: fc.constantFrom('close' as const, 'secondary' as const),
    lastExposureAt: fc.constant(lastExposureAt),
    notifiedAt: later(lastExposureAt, 5 * 24 * 60),
    venueName: fc.constantFrom('Wanbo Plaza', 'RT-Mart Lanxi'),
    minutes: fc.integer({ min: 0, max: 120 }),
  }),
);
const stayArb = at.chain((lastPresentAt) =>
  fc.record({
    areaId: fc.constant('ra1'),
    region: fc.constant('CN-LX-03'),
    level: fc.constantFrom('high' as const, 'medium' as const),
    place: fc.constant('CN-LX-03-A1'),
    lastPresentAt: fc.constant(lastPresentAt),
    knownAt: later(lastPresentAt, 3 * 24 * 60),
    source: fc.constantFrom('declaration' as const, 'scan' as const),
  }),
);

/**
 * Daily check-ins from some day on, each day missed with the holder's own probability (so that
 * holders both keep up and lapse), plus a few stray ones.
 */
const checkInsArb = fc
  .tuple(
    fc.integer({ min: -20, max: 20 }),
    fc.integer({ min: 0, max: 10 }),
    fc.array(fc.tuple(fc.integer({ min: 0, max: 9 }), fc.integer({ min: 0, max: 24 * 60 - 1 })), { minLength: 20, maxLength: 65 }),
    fc.array(at, { maxLength: 4 }),
  )
  .map(([firstDay, missRate, daily, stray]) => [
    ...daily.flatMap(([dice, minute], i) => (dice < missRate ? [] : [new Date(T0 + (firstDay + i) * DAY + minute * MIN)])),
    ...stray,
  ]);

/** Ids are unique per kind, given by position, as the store gives them. */
const factsArb: fc.Arbitrary<Facts> = fc
  .record({
    timeZone: fc.constantFrom(...ZONES),
    declarations: fc.array(declarationArb, { maxLength: 3 }),
    labResults: fc.array(labResultArb, { maxLength: 5 }),
    exposures: fc.array(exposureArb, { maxLength: 3 }),
    riskAreaStays: fc.array(stayArb, { maxLength: 2 }),
    discharges: fc.array(at, { maxLength: 1 }),
    checkIns: checkInsArb,
  })
  .map((r) => ({
    holder: { id: 'holder-a', timeZone: r.timeZone },
    declarations: r.declarations.map((d, i) => ({ id: `decl-${i}`, placesVisited: [], ...d })),
    labResults: r.labResults.map((l, i) => ({ id: `lab-${i}`, ...l })),
    exposures: r.exposures.map((e, i) => ({ id: `exp-${i}`, ...e })),
    riskAreaStays: r.riskAreaStays.map((s, i) => ({ id: `stay-${i}`, ...s })),
    discharges: r.discharges.map((d, i) => ({ id: `dis-${i}`, at: d })),
    checkIns: r.checkIns.map((c, i) => ({ id: `chk-${i}`, at: c })),
  }));

/** A fact that is a risk on its own: symptoms, a verified positive PCR, an exposure, a high-risk stay. */
const riskFactArb = fc.oneof(
  fc.record({ symptoms: fc.constant<string[]>(['cough']), temperatureC: fc.constantFrom(null, 38.2), declaredAt: at }).map((d) => (f: Facts): Facts => ({
    ...f,
    declarations: [...f.declarations, { id: 'risk-decl', placesVisited: [], ...d }],
  })),
  at.chain((s) => later(s, 2 * 24 * 60).map((r) => [s, r] as const)).map(([sampledAt, reportedAt]) => (f: Facts): Facts => ({
    ...f,
    labResults: [...f.labResults, { id: 'risk-pcr', kind: 'pcr', result: 'positive', verified: true, sampledAt, reportedAt }],
  })),
  exposureArb.map((e) => (f: Facts): Facts => ({ ...f, exposures: [...f.exposures, { id: 'risk-exp', ...e }] })),
  stayArb.map((s) => (f: Facts): Facts => ({ ...f, riskAreaStays: [...f.riskAreaStays, { id: 'risk-stay', ...s, level: 'high' }] })),
);

function shuffled(facts: Facts): fc.Arbitrary<Omit<Facts, 'holder'>> {
  const all = <T>(xs: T[]) => fc.shuffledSubarray(xs, { minLength: xs.length, maxLength: xs.length });
  return fc.record({
    declarations: all(facts.declarations),
    labResults: all(facts.labResults),
    exposures: all(facts.exposures),
    riskAreaStays: all(facts.riskAreaStays),
    discharges: all(facts.discharges),
    checkIns: all(facts.checkIns),
  });
}

const cause = (r: Assessment['reasons'][number]) => `${r.ruleId}:${r.facts.map((f) => f.id).join(',')}`;
const RUNS = { numRuns: 200 };

describe('properties of evaluate', () => {
  it('the household case: identical facts give identical assessments, whoever holds them and in whatever order they are stored', () => {
    fc.assert(
      fc.property(
        factsArb.chain((f) => fc.tuple(fc.constant(f), shuffled(f))),
        nowArb,
        ([facts, reordered], now) => {
          const other: Facts = { ...reordered, holder: { ...facts.holder, id: 'holder-b' } };
          expect(evaluate(other, DEFAULT_RULESET, now)).toEqual(evaluate(facts, DEFAULT_RULESET, now));
        },
      ),
      RUNS,
    );
  });

  it('is deterministic for a fixed clock and does not change its input', () => {
    fc.assert(
      fc.property(factsArb, nowArb, (facts, now) => {
        const before = structuredClone(facts);
        const a = evaluate(facts, DEFAULT_RULESET, now);
        expect(facts).toEqual(before);
        expect(evaluate(structuredClone(facts), DEFAULT_RULESET, new Date(now.getTime()))).toEqual(a);
      }),
      RUNS,
    );
  });

  it('adding a risk fact never makes the colour greener, and never removes a cause', () => {
    fc.assert(
      fc.property(factsArb, riskFactArb, nowArb, (facts, add, now) => {
        const before = evaluate(facts, DEFAULT_RULESET, now);
        const after = evaluate(add(facts), DEFAULT_RULESET, now);
        expect(COLOUR_SEVERITY[after.colour]).toBeGreaterThanOrEqual(COLOUR_SEVERITY[before.colour]);
        const causes = new Set(after.reasons.map(cause));
        for (const r of before.reasons) expect(causes, cause(r)).toContain(cause(r));
      }),
      RUNS,
    );
  });

  it('green iff there are no reasons; the colour is the most severe reason; reasons are listed most severe first; validUntil > now', () => {
    fc.assert(
      fc.property(factsArb, nowArb, (facts, now) => {
        const a = evaluate(facts, DEFAULT_RULESET, now);
        expect(a.colour === 'green').toBe(a.reasons.length === 0);
        const severities = a.reasons.map((r) => COLOUR_SEVERITY[r.colour]);
        expect(COLOUR_SEVERITY[a.colour]).toBe(Math.max(0, ...severities));
        expect(severities).toEqual([...severities].sort((x, y) => y - x));
        expect(a.validUntil.getTime()).toBeGreaterThan(now.getTime());
        expect(a.assessedAt).toEqual(now);
        expect(a.rulesetVersion).toBe(DEFAULT_RULESET.version);
        for (const r of a.reasons) {
          expect(Date.parse(r.since)).toBeLessThanOrEqual(now.getTime());
          if (r.until !== null) expect(Date.parse(r.until)).toBeGreaterThanOrEqual(now.getTime());
          // a listed cause is one that no way out has ended
          for (const o of r.wayToGreen) expect(o.requirements.every((q) => q.done)).toBe(false);
        }
      }),
      RUNS,
    );
  });

  it('every reason cites only facts of the input that were known by now; a lapse only for a yellow or red holder who did not check in', () => {
    fc.assert(
      fc.property(factsArb, nowArb, (facts, now) => {
        const a = evaluate(facts, DEFAULT_RULESET, now);
        const t = now.getTime();
        const knownAt: Record<string, Map<string, number>> = {
          declaration: new Map(facts.declarations.map((d) => [d.id, d.declaredAt.getTime()])),
          lab_result: new Map(facts.labResults.map((l) => [l.id, l.reportedAt.getTime()])),
          exposure: new Map(facts.exposures.map((e) => [e.id, e.notifiedAt.getTime()])),
          risk_area_stay: new Map(facts.riskAreaStays.map((s) => [s.id, s.knownAt.getTime()])),
        };
        const checkInDates = new Set(facts.checkIns.filter((c) => c.at.getTime() <= t).map((c) => localDate(c.at, facts.holder.timeZone)));
        for (const r of a.reasons) {
          expect(r.facts.length).toBeGreaterThan(0);
          for (const f of r.facts) {
            if (f.kind === 'check_in_lapse') {
              expect(r.colour).toBe('grey');
              expect(a.reasons.some((x) => x.colour === 'yellow' || x.colour === 'red')).toBe(true);
              expect(checkInDates.has(localDate(now, facts.holder.timeZone))).toBe(false);
              const missed = f.summary.replace('no check-in on ', '').split(', ');
              expect(missed).toHaveLength(DEFAULT_RULESET.parameters.missedCheckInDays);
              for (const d of missed) expect(checkInDates.has(d), d).toBe(false);
            } else {
              const known = knownAt[f.kind]?.get(f.id);
              expect(known, `${f.kind} ${f.id}`).toBeDefined();
              expect(known!).toBeLessThanOrEqual(t);
            }
          }
        }
      }),
      RUNS,
    );
  });

  it('facts known only after now change nothing but when to re-assess', () => {
    fc.assert(
      fc.property(factsArb, nowArb, (facts, now) => {
        const t = now.getTime();
        const knownByNow: Facts = {
          ...facts,
          declarations: facts.declarations.filter((d) => d.declaredAt.getTime() <= t),
          labResults: facts.labResults.filter((l) => l.reportedAt.getTime() <= t),
          exposures: facts.exposures.filter((e) => e.notifiedAt.getTime() <= t),
          riskAreaStays: facts.riskAreaStays.filter((s) => s.knownAt.getTime() <= t),
          discharges: facts.discharges.filter((d) => d.at.getTime() <= t),
          checkIns: facts.checkIns.filter((c) => c.at.getTime() <= t),
        };
        const { validUntil: v1, ...full } = evaluate(facts, DEFAULT_RULESET, now);
        const { validUntil: v2, ...known } = evaluate(knownByNow, DEFAULT_RULESET, now);
        expect(full).toEqual(known);
        expect(v1.getTime()).toBeLessThanOrEqual(v2.getTime());
      }),
      RUNS,
    );
  });

  it('no facts at all is green, never grey, in any zone at any time', () => {
    fc.assert(
      fc.property(fc.constantFrom(...ZONES), nowArb, (timeZone, now) => {
        const a = evaluate({ holder: { id: 'h', timeZone }, declarations: [], labResults: [], exposures: [], riskAreaStays: [], discharges: [], checkIns: [] }, DEFAULT_RULESET, now);
        expect(a.colour).toBe('green');
        expect(a.reasons).toEqual([]);
      }),
      RUNS,
    );
  });

  it('in UTC, moving every fact and the clock by whole days moves nothing but the dates', () => {
    fc.assert(
      fc.property(factsArb, nowArb, fc.integer({ min: -400, max: 400 }), (facts, now, days) => {
        const shift = (d: Date) => new Date(d.getTime() + days * DAY);
        const f: Facts = { ...facts, holder: { ...facts.holder, timeZone: 'UTC' } };
        const moved: Facts = {
          ...f,
          declarations: f.declarations.map((d) => ({ ...d, declaredAt: shift(d.declaredAt) })),
          labResults: f.labResults.map((l) => ({ ...l, sampledAt: shift(l.sampledAt), reportedAt: shift(l.reportedAt) })),
          exposures: f.exposures.map((e) => ({ ...e, lastExposureAt: shift(e.lastExposureAt), notifiedAt: shift(e.notifiedAt) })),
          riskAreaStays: f.riskAreaStays.map((s) => ({ ...s, lastPresentAt: shift(s.lastPresentAt), knownAt: shift(s.knownAt) })),
          discharges: f.discharges.map((d) => ({ ...d, at: shift(d.at) })),
          checkIns: f.checkIns.map((c) => ({ ...c, at: shift(c.at) })),
        };
        const a = evaluate(f, DEFAULT_RULESET, now);
        const b = evaluate(moved, DEFAULT_RULESET, shift(now));
        expect(b.colour).toBe(a.colour);
        expect(b.reasons.map((r) => `${r.ruleId}:${r.facts.map((x) => (x.kind === 'check_in_lapse' ? 'lapse' : x.id)).join()}`)).toEqual(
          a.reasons.map((r) => `${r.ruleId}:${r.facts.map((x) => (x.kind === 'check_in_lapse' ? 'lapse' : x.id)).join()}`),
        );
        expect(b.validUntil.getTime() - a.validUntil.getTime()).toBe(days * DAY);
      }),
      RUNS,
    );
  });
});
