import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { traceContacts, type TraceParams } from './trace.ts';
import { visitsFromScans, type Visit } from './visits.ts';

const P: TraceParams = { closeContactMinutes: 15, overlapIntervalMinutes: 10, minVisitMinutes: 10, secondaryWindowMinutes: 30 };
const M = 60_000;
const T = Date.parse('2026-11-20T10:00:00Z');
const WINDOW = { from: T - 3 * 86_400_000, to: T + 3 * 86_400_000 };
const v = (holderId: string, startMin: number, endMin: number, venueId = 'V1'): Visit => ({ holderId, venueId, start: T + startMin * M, end: T + endMin * M });

describe('visitsFromScans', () => {
  it('pairs an in with the next out at the same venue; other scans stay the default length, cut by the next scan', () => {
    const visits = visitsFromScans(
      'h',
      [
        { venueId: 'A', at: T, direction: 'in' },
        { venueId: 'A', at: T + 90 * M, direction: 'out' },
        { venueId: 'B', at: T + 120 * M, direction: null },
        { venueId: 'C', at: T + 150 * M, direction: null },
        { venueId: 'D', at: T + 400 * M, direction: 'out' },
      ],
      60 * M,
    );
    expect(visits.map((x) => [x.venueId, (x.start - T) / M, (x.end - T) / M])).toEqual([
      ['A', 0, 90],
      ['B', 120, 150],
      ['C', 150, 210],
    ]);
  });
});

describe('traceContacts', () => {
  const trace = (caseVisits: Visit[], others: Visit[]) => traceContacts('case', caseVisits, others, WINDOW, P);

  it('20 minutes together (two whole intervals) is a close contact', () => {
    const [c] = trace([v('case', 0, 60)], [v('x', 40, 120)]);
    expect(c).toMatchObject({ holderId: 'x', kind: 'close', minutes: 20, lastExposureAt: T + 60 * M });
  });

  it('19 minutes 59 seconds counts one interval: secondary; exactly 20 minutes: close', () => {
    expect(trace([v('case', 0, 60)], [{ ...v('x', 0, 100), start: T + 40 * M + 1000 }])[0]).toMatchObject({ kind: 'secondary', minutes: 10 });
    expect(trace([v('case', 0, 60)], [v('x', 40, 100)])[0]).toMatchObject({ kind: 'close', minutes: 20 });
  });

  it('intervals are counted per overlap and summed: two visits of 10 minutes each make a close contact (20 ≥ 15)', () => {
    const [c] = trace([v('case', 0, 60), v('case', 200, 260)], [v('x', 50, 80), v('x', 250, 300)]);
    expect(c).toMatchObject({ kind: 'close', minutes: 20 });
    expect(c!.venues).toHaveLength(2);
  });

  it('an overlap under 10 minutes is a secondary contact; arriving within 30 minutes after the case left too; later is nothing', () => {
    expect(trace([v('case', 0, 60)], [v('x', 55, 100)])[0]).toMatchObject({ kind: 'secondary', minutes: 0 });
    expect(trace([v('case', 0, 60)], [v('x', 60, 100)])[0]).toMatchObject({ kind: 'secondary', venues: [{ kind: 'after' }] });
    expect(trace([v('case', 0, 60)], [v('x', 90, 130)])[0]).toMatchObject({ kind: 'secondary', lastExposureAt: T + 90 * M });
    expect(trace([v('case', 0, 60)], [{ ...v('x', 90, 130), start: T + 90 * M + 1000 }])).toEqual([]);
  });

  it('visits under 10 minutes are ignored (the contact’s and the case’s); exactly 10 minutes counts', () => {
    expect(trace([v('case', 0, 60)], [{ ...v('x', 10, 20), end: T + 20 * M - 1000 }])).toEqual([]);
    expect(trace([v('case', 0, 60)], [v('x', 10, 20)])[0]).toMatchObject({ kind: 'secondary', minutes: 10 });
    expect(trace([{ ...v('case', 0, 10), end: T + 10 * M - 1000 }], [v('x', 0, 60)])).toEqual([]);
  });

  it('other venues, the case itself, and visits outside the infectious window do not count', () => {
    expect(trace([v('case', 0, 60)], [v('x', 0, 60, 'V2'), v('case', 0, 60)])).toEqual([]);
    const early = traceContacts('case', [v('case', 0, 60)], [v('x', 0, 60)], { from: T + 30 * M, to: T + 3 * 86_400_000 }, P);
    expect(early[0]).toMatchObject({ minutes: 30 });
  });

  it('a stay across midnight counts on both sides of it', () => {
    const midnight = Date.parse('2026-11-21T00:00:00Z');
    const caseV: Visit = { holderId: 'case', venueId: 'V1', start: midnight - 30 * M, end: midnight + 30 * M };
    const contact: Visit = { holderId: 'x', venueId: 'V1', start: midnight - 10 * M, end: midnight + 15 * M };
    expect(trace([caseV], [contact])[0]).toMatchObject({ kind: 'close', minutes: 20 });
  });

  const visitArb = (holder: string) =>
    fc
      .record({ start: fc.integer({ min: 0, max: 600 }), len: fc.integer({ min: 0, max: 240 }), venue: fc.constantFrom('V1', 'V2') })
      .map(({ start, len, venue }) => v(holder, start, start + len, venue));

  it('property: overlap minutes are symmetric (A traced as case finds B with the same minutes as B traced finds A)', () => {
    fc.assert(
      fc.property(fc.array(visitArb('a'), { maxLength: 4 }), fc.array(visitArb('b'), { maxLength: 4 }), (as, bs) => {
        const ab = traceContacts('a', as, bs, WINDOW, P).find((c) => c.holderId === 'b');
        const ba = traceContacts('b', bs, as, WINDOW, P).find((c) => c.holderId === 'a');
        expect(ab?.venues.filter((x) => x.kind === 'overlap').length ? ab.minutes : 0).toBe(
          ba?.venues.filter((x) => x.kind === 'overlap').length ? ba.minutes : 0,
        );
      }),
    );
  });

  it('property: minutes are whole intervals, never more than the time together, and close iff ≥ 15', () => {
    fc.assert(
      fc.property(fc.array(visitArb('case'), { minLength: 1, maxLength: 4 }), fc.array(visitArb('x'), { maxLength: 4 }), (cs, xs) => {
        for (const c of traceContacts('case', cs, xs, WINDOW, P)) {
          expect(c.minutes % 10).toBe(0);
          let together = 0;
          for (const a of cs) for (const b of xs) if (a.venueId === b.venueId && a.end - a.start >= 10 * M && b.end - b.start >= 10 * M) together += Math.max(0, Math.min(a.end, b.end) - Math.max(a.start, b.start));
          expect(c.minutes * M).toBeLessThanOrEqual(together);
          expect(c.kind === 'close').toBe(c.minutes >= 15);
        }
      }),
    );
  });
});

describe('the 15-minute threshold', () => {
  it('exactly 15 minutes together is one whole interval (10 min): secondary; 15 + 5 = 20 is close', () => {
    const p: TraceParams = { closeContactMinutes: 15, overlapIntervalMinutes: 10, minVisitMinutes: 10, secondaryWindowMinutes: 30 };
    const W = { from: T - 86_400_000, to: T + 86_400_000 };
    expect(traceContacts('case', [v('case', 0, 60)], [v('x', 45, 90)], W, p)[0]).toMatchObject({ kind: 'secondary', minutes: 10 });
    expect(traceContacts('case', [v('case', 0, 60)], [v('x', 40, 90)], W, p)[0]).toMatchObject({ kind: 'close', minutes: 20 });
  });
});
