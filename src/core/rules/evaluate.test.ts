// Unit tests of evaluate: what a holder reads (texts, facts, dates) and when to re-assess. The
// colour decisions themselves are in the shared suite (test/rules-suite/), the invariants in
// properties.test.ts.
import { describe, expect, it } from 'vitest';
import { DEFAULT_RULESET } from './default.ts';
import { evaluate } from './evaluate.ts';
import { parseRuleset, type Ruleset } from './ruleset.ts';
import { declaredStays } from './stays.ts';
import type { DeclarationFact, ExposureFact, Facts, LabResultFact, RiskAreaFact } from './types.ts';

const SH = 'Asia/Shanghai';
const d = (iso: string) => new Date(iso);

function facts(over: Partial<Facts> = {}): Facts {
  return { holder: { id: 'h1', timeZone: SH }, declarations: [], labResults: [], exposures: [], riskAreaStays: [], discharges: [], checkIns: [], ...over };
}
function decl(over: Partial<DeclarationFact> = {}): DeclarationFact {
  return { id: 'd1', symptoms: [], temperatureC: null, placesVisited: [], declaredAt: d('2026-11-10T09:00:00+08:00'), ...over };
}
function lab(over: Partial<LabResultFact> = {}): LabResultFact {
  return { id: 'l1', kind: 'pcr', result: 'positive', sampledAt: d('2026-11-01T09:00:00+08:00'), reportedAt: d('2026-11-01T20:00:00+08:00'), verified: true, ...over };
}
function exposure(over: Partial<ExposureFact> = {}): ExposureFact {
  return {
    id: 'e1',
    kind: 'close',
    lastExposureAt: d('2026-11-10T19:00:00+08:00'),
    notifiedAt: d('2026-11-13T10:00:00+08:00'),
    venueName: 'Wanbo Plaza',
    minutes: 30,
    ...over,
  };
}
function withParameters(parameters: Record<string, number>): Ruleset {
  const doc = structuredClone(DEFAULT_RULESET.document);
  return parseRuleset({ ...doc, version: 'test.1', parameters: { ...doc.parameters, ...parameters } });
}

describe('reasons a holder reads', () => {
  it('a confirmed case: both languages, times in the holder’s zone, the parameter filled in', () => {
    const a = evaluate(facts({ labResults: [lab({ sampledAt: d('2026-11-23T20:30:00Z'), reportedAt: d('2026-11-24T06:00:00Z') })] }), DEFAULT_RULESET, d('2026-11-24T07:00:00Z'));
    expect(a.reasons[0]!.text).toEqual({
      en: 'A PCR test sampled on 2026-11-24 04:30 was positive (reported 2026-11-24): isolation for at least 10 days from the sample.',
      'zh-CN': '您于 2026-11-24 04:30 采样的核酸检测结果为阳性（2026-11-24 报告）：自采样起隔离至少 10 天。',
    });
    expect(a.reasons[0]!.facts).toEqual([{ kind: 'lab_result', id: 'l1', summary: 'PCR positive, sampled 2026-11-24 04:30' }]);
  });

  it('a close contact: the venue, the date and the minutes', () => {
    const a = evaluate(facts({ exposures: [exposure()] }), DEFAULT_RULESET, d('2026-11-13T12:00:00+08:00'));
    expect(a.reasons[0]!.text).toEqual({
      en: 'You were at Wanbo Plaza on 2026-11-10 for 30 minutes at the same time as a confirmed case: quarantine for 14 days from that day.',
      'zh-CN': '您于 2026-11-10 在Wanbo Plaza与一名确诊病例同时停留 30 分钟：自当日起隔离 14 天。',
    });
    expect(a.reasons[0]!.facts).toEqual([{ kind: 'exposure', id: 'e1', summary: 'close contact at Wanbo Plaza on 2026-11-10, 30 min' }]);
  });

  it('declared symptoms: named in each language, with the temperature', () => {
    const a = evaluate(facts({ declarations: [decl({ symptoms: ['cough', 'loss_of_taste_or_smell'], temperatureC: 38.1 })] }), DEFAULT_RULESET, d('2026-11-10T10:00:00+08:00'));
    expect(a.reasons[0]!.text.en).toBe('You declared cough, loss of taste or smell, temperature 38.1 °C on 2026-11-10: home observation for 7 days.');
    expect(a.reasons[0]!.text['zh-CN']).toBe('您于 2026-11-10 申报了咳嗽、味觉或嗅觉丧失、体温 38.1 °C：居家观察 7 天。');
  });

  it('the way to green spells out each requirement with its numbers', () => {
    const a = evaluate(facts({ exposures: [exposure()], checkIns: [{ id: 'c1', at: d('2026-11-13T11:00:00+08:00') }] }), DEFAULT_RULESET, d('2026-11-13T12:00:00+08:00'));
    const [elapsed, checkIns, pcrs] = a.reasons[0]!.wayToGreen[0]!.requirements;
    expect(elapsed!.text.en).toBe('14 days from 2026-11-10 19:00 have passed');
    expect(checkIns!.text.en).toBe('14 daily check-ins from 2026-11-13 (1 done)');
    expect(checkIns!.text['zh-CN']).toBe('自 2026-11-13 起完成 14 次每日健康打卡（已完成 1 次）');
    expect(pcrs!.text.en).toBe('2 negative PCR tests sampled at least 24 h apart after 2026-11-10 19:00 (0 done)');
    // 13 more dates, the first tomorrow since today is done: 11-14 … 11-26
    expect(checkIns!.due).toBe(d('2026-11-26T00:00:00+08:00').toISOString());
  });

  it('a lapse names the missed dates and cites a derived fact, not a stored one', () => {
    const a = evaluate(facts({ declarations: [decl({ symptoms: ['cough'] })] }), DEFAULT_RULESET, d('2026-11-14T09:00:00+08:00'));
    expect(a.colour).toBe('grey');
    expect(a.reasons[0]!.text.en).toBe('No daily check-in on 2026-11-11, 2026-11-12, 2026-11-13: your code is grey until you check in today.');
    expect(a.reasons[0]!.facts).toEqual([{ kind: 'check_in_lapse', id: 'lapse:2026-11-11', summary: 'no check-in on 2026-11-11, 2026-11-12, 2026-11-13' }]);
  });

  // a declared stay ends at the exclusive midnight after its last day; the text names the last day
  it('a declared stay in a high-risk area is shown with the last day of the visit', () => {
    const area: RiskAreaFact = { id: 'ra1', region: 'CN-LX-03', level: 'high', startsAt: d('2026-11-01T00:00:00+08:00'), endsAt: null };
    const declarations = [decl({ placesVisited: [{ region: 'CN-LX-03', from: '2026-11-08', to: '2026-11-09' }], declaredAt: d('2026-11-12T10:00:00+08:00') })];
    const stays = declaredStays(declarations, [area], SH, 14);
    const a = evaluate(facts({ declarations, riskAreaStays: stays }), DEFAULT_RULESET, d('2026-11-12T11:00:00+08:00'));
    expect(a.reasons[0]!.text.en).toContain('on 2026-11-09');
  });
});

describe('when to re-assess (validUntil)', () => {
  it('green: after greenValidityHours', () => {
    const now = d('2026-11-10T10:00:00+08:00');
    expect(evaluate(facts(), DEFAULT_RULESET, now).validUntil).toEqual(d('2026-11-11T10:00:00+08:00'));
    expect(evaluate(facts(), withParameters({ greenValidityHours: 6 }), now).validUntil).toEqual(d('2026-11-10T16:00:00+08:00'));
  });

  it('with a cause: at the next local midnight (a check-in may lapse), or a period’s end if sooner', () => {
    const f = facts({ declarations: [decl({ symptoms: ['cough'] })] });
    expect(evaluate(f, DEFAULT_RULESET, d('2026-11-10T10:00:00+08:00')).validUntil).toEqual(d('2026-11-11T00:00:00+08:00'));
    expect(evaluate(f, DEFAULT_RULESET, d('2026-11-17T08:00:00+08:00')).validUntil).toEqual(d('2026-11-17T09:00:00+08:00'));
  });

  it('the next local midnight is the holder’s, not the server’s', () => {
    const f = facts({ holder: { id: 'h1', timeZone: 'America/New_York' }, declarations: [decl({ symptoms: ['cough'], declaredAt: d('2026-11-10T09:00:00-05:00') })] });
    expect(evaluate(f, DEFAULT_RULESET, d('2026-11-10T10:00:00-05:00')).validUntil).toEqual(d('2026-11-11T00:00:00-05:00'));
  });

  it('when a fact already stored becomes known', () => {
    const f = facts({ labResults: [lab({ reportedAt: d('2026-11-01T20:00:00+08:00') })] });
    expect(evaluate(f, DEFAULT_RULESET, d('2026-11-01T19:00:00+08:00')).validUntil).toEqual(d('2026-11-01T20:00:00+08:00'));
  });

  it('validUntil is after now in the last hour before a midnight DST change', () => {
    const f = facts({ holder: { id: 'h1', timeZone: 'America/Santiago' }, declarations: [decl({ symptoms: ['cough'], declaredAt: d('2026-09-01T10:00:00-04:00') })] });
    const now = d('2026-09-05T23:30:00-04:00');
    expect(evaluate(f, DEFAULT_RULESET, now).validUntil.getTime()).toBeGreaterThan(now.getTime());
  });

  it('a ruleset with greenValidityHours 0 is refused at load (validUntil must come after now)', () => {
    expect(() => withParameters({ greenValidityHours: 0 })).toThrow(/greenValidityHours.*at least 1/);
  });
});

describe('negative PCR chains', () => {
  const sec = exposure({ kind: 'secondary', lastExposureAt: d('2026-11-10T19:00:00+08:00'), notifiedAt: d('2026-11-11T09:00:00+08:00') });
  const neg = (id: string, sampled: string, reported: string): LabResultFact => lab({ id, result: 'negative', sampledAt: d(sampled), reportedAt: d(reported) });

  it('the way out is done when the last result of the pair is reported, and says so', () => {
    const f = facts({
      exposures: [exposure({ lastExposureAt: d('2026-11-01T19:00:00+08:00'), notifiedAt: d('2026-11-01T22:00:00+08:00') })],
      labResults: [neg('n1', '2026-11-03T09:00:00+08:00', '2026-11-04T09:00:00+08:00'), neg('n2', '2026-11-04T09:00:00+08:00', '2026-11-04T20:00:00+08:00')],
    });
    const pcrs = evaluate(f, DEFAULT_RULESET, d('2026-11-05T09:00:00+08:00')).reasons.at(-1)!.wayToGreen[0]!.requirements[2]!;
    expect(pcrs).toMatchObject({ kind: 'negativePcrs', done: true, have: 2, need: 2, due: d('2026-11-04T20:00:00+08:00').toISOString() });
  });

  it('a later pair within the window counts when an earlier sample has no partner', () => {
    const f = facts({
      exposures: [sec],
      checkIns: [{ id: 'c1', at: d('2026-11-16T08:00:00+08:00') }],
      labResults: [
        neg('n1', '2026-11-11T10:00:00+08:00', '2026-11-11T20:00:00+08:00'),
        neg('n2', '2026-11-15T10:00:00+08:00', '2026-11-15T20:00:00+08:00'),
        neg('n3', '2026-11-16T10:00:00+08:00', '2026-11-16T20:00:00+08:00'),
      ],
    });
    expect(evaluate(f, DEFAULT_RULESET, d('2026-11-16T21:00:00+08:00')).colour).toBe('green');
  });

  it('sampledAfter "event" means after the event, whatever the rule’s periodFrom', () => {
    const doc = structuredClone(DEFAULT_RULESET.document);
    const rule = doc.rules.find((r) => r.id === 'secondary-contact')!;
    rule.periodFrom = 'known';
    rule.exit = [[{ negativePcrs: { count: 'negativePcrCount', minGapHours: 'negativePcrGapHours', sampledAfter: 'event' } }]];
    const rs = parseRuleset({ ...doc, version: 'test.2' });
    // exposure 11-10 19:00, notified 11-11 09:00; samples after the exposure, the first before the notification
    const f = facts({ exposures: [sec], labResults: [neg('n1', '2026-11-11T08:00:00+08:00', '2026-11-11T12:00:00+08:00'), neg('n2', '2026-11-12T08:00:00+08:00', '2026-11-12T12:00:00+08:00')] });
    expect(evaluate(f, rs, d('2026-11-12T13:00:00+08:00')).colour).toBe('green');
  });

  it('a ruleset needing 0 negative PCRs does not crash evaluation', () => {
    const rs = withParameters({ negativePcrCount: 0 });
    expect(() => evaluate(facts({ exposures: [sec] }), rs, d('2026-11-12T10:00:00+08:00'))).not.toThrow();
  });
});

describe('facts the rules do not read', () => {
  it('a medium-risk stay, an antigen positive, a negative PCR alone, a discharge alone are green', () => {
    const f = facts({
      riskAreaStays: [
        {
          id: 's1',
          areaId: 'ra2',
          region: 'CN-LX-05',
          level: 'medium',
          place: 'CN-LX-05',
          lastPresentAt: d('2026-11-10T12:00:00+08:00'),
          knownAt: d('2026-11-10T13:00:00+08:00'),
          source: 'scan',
        },
      ],
      labResults: [lab({ id: 'ag', kind: 'antigen' }), lab({ id: 'neg', result: 'negative' })],
      discharges: [{ id: 'x1', at: d('2026-11-02T10:00:00+08:00') }],
    });
    expect(evaluate(f, DEFAULT_RULESET, d('2026-11-10T14:00:00+08:00'))).toMatchObject({ colour: 'green', reasons: [] });
  });

  it('records the ruleset version and the clock it was given', () => {
    const now = d('2026-11-10T14:00:00+08:00');
    const a = evaluate(facts(), withParameters({}), now);
    expect(a.rulesetVersion).toBe('test.1');
    expect(a.assessedAt).toEqual(now);
  });
});
