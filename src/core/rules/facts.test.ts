import { describe, expect, it } from 'vitest';
import { CLOCK_SKEW_MS, checkFacts, type FactProblem } from './facts.ts';
import type { Facts } from './types.ts';

const now = new Date('2026-11-23T08:00:00+08:00');
const d = (iso: string) => new Date(iso);

/** Facts with one of everything, all possible: tests break one thing at a time. */
function facts(over: Partial<Facts> = {}): Facts {
  return {
    holder: { id: 'h1', timeZone: 'Asia/Shanghai', dateOfBirth: '1990-05-01' },
    declarations: [
      {
        id: 'd1',
        symptoms: ['cough'],
        temperatureC: 37.6,
        placesVisited: [{ region: 'CN-LX-03', from: '2026-11-18', to: '2026-11-20' }],
        declaredAt: d('2026-11-22T09:00:00+08:00'),
      },
    ],
    labResults: [{ id: 'l1', kind: 'pcr', result: 'negative', sampledAt: d('2026-11-21T09:00:00+08:00'), reportedAt: d('2026-11-21T18:00:00+08:00'), verified: true }],
    exposures: [
      { id: 'e1', kind: 'close', lastExposureAt: d('2026-11-19T19:00:00+08:00'), notifiedAt: d('2026-11-22T10:00:00+08:00'), venueName: 'Wanbo Plaza', minutes: 20 },
    ],
    riskAreaStays: [
      {
        id: 's1',
        areaId: 'ra1',
        region: 'CN-LX-03',
        level: 'high',
        place: 'CN-LX-03',
        lastPresentAt: d('2026-11-21T00:00:00+08:00'),
        knownAt: d('2026-11-22T09:00:00+08:00'),
        source: 'declaration',
      },
    ],
    discharges: [{ id: 'x1', at: d('2026-11-22T12:00:00+08:00') }],
    checkIns: [{ id: 'c1', at: d('2026-11-23T07:30:00+08:00') }],
    ...over,
  };
}

const summary = (ps: FactProblem[]) => ps.map((p) => `${p.code} ${p.path}`);

describe('checkFacts', () => {
  it('finds nothing wrong with possible facts, or with none', () => {
    expect(checkFacts(facts(), now)).toEqual([]);
    expect(checkFacts({ ...facts(), declarations: [], labResults: [], exposures: [], riskAreaStays: [], discharges: [], checkIns: [] }, now)).toEqual([]);
  });

  it('accepts times up to 5 minutes ahead (clocks differ), and refuses later ones', () => {
    const within = new Date(now.getTime() + CLOCK_SKEW_MS);
    const beyond = new Date(now.getTime() + CLOCK_SKEW_MS + 1);
    expect(checkFacts(facts({ checkIns: [{ id: 'c1', at: within }] }), now)).toEqual([]);
    const ps = checkFacts(facts({ checkIns: [{ id: 'c1', at: beyond }] }), now);
    expect(summary(ps)).toEqual(['future_date checkIns[0].at']);
    expect(ps[0]!.message).toContain('in the future');
  });

  it('a sample, a declaration, a check-in, a discharge in the future', () => {
    const future = d('2026-11-24T09:00:00+08:00');
    const f = facts();
    f.labResults[0] = { ...f.labResults[0]!, sampledAt: future, reportedAt: d('2026-11-24T10:00:00+08:00') };
    f.declarations[0] = { ...f.declarations[0]!, declaredAt: future };
    f.discharges[0] = { id: 'x1', at: future };
    f.checkIns.push({ id: 'c2', at: future });
    expect(summary(checkFacts(f, now))).toEqual([
      'future_date declarations[0].declaredAt',
      'future_date labResults[0].sampledAt',
      'future_date labResults[0].reportedAt',
      'future_date discharges[0].at',
      'future_date checkIns[1].at',
    ]);
  });

  it('a lab result reported before it was sampled', () => {
    const f = facts();
    f.labResults[0] = { ...f.labResults[0]!, reportedAt: d('2026-11-21T08:59:59+08:00') };
    const ps = checkFacts(f, now);
    expect(summary(ps)).toEqual(['order labResults[0].reportedAt']);
    expect(ps[0]!.message).toBe('the result was reported before it was sampled');
  });

  it('a result reported the moment it was sampled is possible', () => {
    const f = facts();
    f.labResults[0] = { ...f.labResults[0]!, reportedAt: f.labResults[0]!.sampledAt };
    expect(checkFacts(f, now)).toEqual([]);
  });

  it('a sample, a check-in, an exposure, a visit before the holder was born (in their own time zone)', () => {
    const f = facts({ holder: { id: 'h1', timeZone: 'Asia/Shanghai', dateOfBirth: '2026-11-21' } });
    // born 2026-11-21 00:00 in Shanghai, which is 2026-11-20 16:00 UTC
    f.labResults[0] = { ...f.labResults[0]!, sampledAt: d('2026-11-20T15:59:59Z'), reportedAt: d('2026-11-21T18:00:00+08:00') };
    f.checkIns = [{ id: 'c1', at: d('2026-11-20T16:00:00Z') }];
    expect(summary(checkFacts(f, now))).toEqual([
      'before_birth declarations[0].placesVisited[0].from',
      'before_birth labResults[0].sampledAt',
      'before_birth exposures[0].lastExposureAt',
    ]);
  });

  it('takes the date of birth from the options first', () => {
    const f = facts({ holder: { id: 'h1', timeZone: 'Asia/Shanghai' } });
    expect(checkFacts(f, now)).toEqual([]);
    expect(summary(checkFacts(f, now, { dateOfBirth: '2026-11-22' }))).toContain('before_birth labResults[0].sampledAt');
    expect(summary(checkFacts(f, now, { dateOfBirth: '2026-02-30' }))).toEqual(['invalid_date dateOfBirth']);
    expect(summary(checkFacts(f, now, { dateOfBirth: '2027-01-01' }))).toEqual(['future_date dateOfBirth']);
  });

  it('an exposure notified before it happened', () => {
    const f = facts();
    f.exposures[0] = { ...f.exposures[0]!, notifiedAt: d('2026-11-19T18:00:00+08:00') };
    const ps = checkFacts(f, now);
    expect(summary(ps)).toEqual(['order exposures[0].notifiedAt']);
    expect(ps[0]!.message).toBe('the exposure was notified before it happened');
  });

  it('a stay known before it ended', () => {
    const f = facts();
    f.riskAreaStays[0] = { ...f.riskAreaStays[0]!, knownAt: d('2026-11-20T23:59:59+08:00') };
    const ps = checkFacts(f, now);
    expect(summary(ps)).toEqual(['order riskAreaStays[0].knownAt']);
    expect(ps[0]!.message).toBe('the stay was known before it ended');
  });

  it('a visit that ends before it starts, or after the day it was declared', () => {
    const f = facts();
    f.declarations[0] = {
      ...f.declarations[0]!,
      placesVisited: [
        { region: 'CN-LX-03', from: '2026-11-20', to: '2026-11-18' },
        { region: 'CN-LX-04', from: '2026-11-21', to: '2026-11-23' },
        { region: 'CN-LX-05', from: '2026-11-22', to: '2026-11-22' },
      ],
    };
    expect(summary(checkFacts(f, now))).toEqual(['order declarations[0].placesVisited[0].to', 'order declarations[0].placesVisited[1].to']);
  });

  it('a visit on a date that is not on the calendar', () => {
    const f = facts();
    f.declarations[0] = { ...f.declarations[0]!, placesVisited: [{ region: 'CN-LX-03', from: '2026-02-29', to: '2026-11-31' }] };
    expect(summary(checkFacts(f, now))).toEqual(['invalid_date declarations[0].placesVisited[0].from', 'invalid_date declarations[0].placesVisited[0].to']);
  });

  it('an invalid Date', () => {
    const f = facts({ checkIns: [{ id: 'c1', at: new Date('not a time') }] });
    expect(summary(checkFacts(f, now))).toEqual(['invalid_date checkIns[0].at']);
  });

  it('a temperature no living person declares, and negative minutes', () => {
    const f = facts();
    f.declarations[0] = { ...f.declarations[0]!, temperatureC: 73 };
    f.exposures[0] = { ...f.exposures[0]!, minutes: -5 };
    expect(summary(checkFacts(f, now))).toEqual(['invalid_value declarations[0].temperatureC', 'invalid_value exposures[0].minutes']);
  });

  it('two facts of one kind with the same id', () => {
    const f = facts({ checkIns: [{ id: 'c1', at: d('2026-11-22T07:30:00+08:00') }, { id: 'c1', at: d('2026-11-23T07:30:00+08:00') }] });
    expect(summary(checkFacts(f, now))).toEqual(['duplicate_id checkIns[1].id']);
  });

  it('an unknown time zone (and still checks the rest, in UTC)', () => {
    const f = facts({ holder: { id: 'h1', timeZone: 'Mars/Olympus_Mons' } });
    f.labResults[0] = { ...f.labResults[0]!, reportedAt: d('2026-11-20T00:00:00Z') };
    expect(summary(checkFacts(f, now))).toEqual(['invalid_value holder.timeZone', 'order labResults[0].reportedAt']);
  });

  it('is pure: same input, same answer, input unchanged', () => {
    const f = facts();
    f.labResults[0] = { ...f.labResults[0]!, reportedAt: d('2026-11-20T00:00:00Z') };
    const copy = structuredClone(f);
    expect(checkFacts(f, now)).toEqual(checkFacts(copy, now));
    expect(f).toEqual(copy);
  });
});
