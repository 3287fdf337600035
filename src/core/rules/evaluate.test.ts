import { describe, expect, it } from 'vitest';
import { evaluate } from './evaluate.ts';
import { FOUNDATION_RULESET } from './ruleset.ts';
import type { DeclarationFact, Facts, RiskAreaFact } from './types.ts';

const now = new Date('2026-11-23T08:00:00Z');
const holder = { id: 'h1', timeZone: 'Asia/Shanghai' };

function decl(over: Partial<DeclarationFact> = {}): DeclarationFact {
  return { id: 'd1', symptoms: [], temperatureC: null, placesVisited: [], declaredAt: new Date('2026-11-23T07:00:00Z'), ...over };
}
const area: RiskAreaFact = {
  id: 'ra1',
  region: 'CN-LX-03',
  level: 'high',
  startsAt: new Date('2026-11-15T00:00:00+08:00'),
  endsAt: null,
};
function facts(over: Partial<Facts> = {}): Facts {
  return { holder, declarations: [], riskAreas: [area], ...over };
}

describe('evaluate (foundation rules)', () => {
  it('no facts at all is green, with no reasons, re-assessed within a day', () => {
    const a = evaluate(facts(), FOUNDATION_RULESET, now);
    expect(a.colour).toBe('green');
    expect(a.reasons).toEqual([]);
    expect(a.validUntil.toISOString()).toBe('2026-11-24T08:00:00.000Z');
    expect(a.rulesetVersion).toBe(FOUNDATION_RULESET.version);
  });

  it('declared symptoms make yellow for 7 days from the declaration, with the reason', () => {
    const a = evaluate(facts({ declarations: [decl({ symptoms: ['cough'] })] }), FOUNDATION_RULESET, now);
    expect(a.colour).toBe('yellow');
    expect(a.reasons).toHaveLength(1);
    expect(a.reasons[0]!.ruleId).toBe('symptoms-declared');
    expect(a.reasons[0]!.text.en).toContain('cough');
    expect(a.reasons[0]!.text['zh-CN']).toContain('咳嗽');
    expect(a.reasons[0]!.until).toBe('2026-11-30T07:00:00.000Z');
    expect(a.validUntil.toISOString()).toBe('2026-11-24T08:00:00.000Z');
  });

  it('a temperature at the fever threshold counts; just below does not', () => {
    expect(evaluate(facts({ declarations: [decl({ temperatureC: 37.3 })] }), FOUNDATION_RULESET, now).colour).toBe('yellow');
    expect(evaluate(facts({ declarations: [decl({ temperatureC: 37.2 })] }), FOUNDATION_RULESET, now).colour).toBe('green');
  });

  it('symptoms end exactly 7 × 24 h after the declaration', () => {
    const f = facts({ declarations: [decl({ symptoms: ['fever'], declaredAt: new Date('2026-11-16T08:00:00Z') })] });
    expect(evaluate(f, FOUNDATION_RULESET, new Date('2026-11-23T07:59:59.999Z')).colour).toBe('yellow');
    expect(evaluate(f, FOUNDATION_RULESET, new Date('2026-11-23T08:00:00Z')).colour).toBe('green');
  });

  it('a stay in a high-risk area during its period makes yellow and names the area', () => {
    const d = decl({ placesVisited: [{ region: 'CN-LX-03', from: '2026-11-18', to: '2026-11-20' }] });
    const a = evaluate(facts({ declarations: [d] }), FOUNDATION_RULESET, now);
    expect(a.colour).toBe('yellow');
    expect(a.reasons[0]!.ruleId).toBe('high-risk-area-stay');
    expect(a.reasons[0]!.facts.map((f) => f.kind)).toEqual(['declaration', 'risk_area']);
    // the stay ends at the end of 2026-11-20 in Shanghai time; yellow lasts 7 days after
    expect(a.reasons[0]!.until).toBe('2026-11-27T16:00:00.000Z');
  });

  it('a stay that ended before the area was declared does not count; other regions do not count', () => {
    const before = decl({ placesVisited: [{ region: 'CN-LX-03', from: '2026-11-10', to: '2026-11-14' }] });
    expect(evaluate(facts({ declarations: [before] }), FOUNDATION_RULESET, now).colour).toBe('green');
    const other = decl({ placesVisited: [{ region: 'CN-LX-04', from: '2026-11-18', to: '2026-11-20' }] });
    expect(evaluate(facts({ declarations: [other] }), FOUNDATION_RULESET, now).colour).toBe('green');
  });

  it('a sub-region of a high-risk area counts; a medium-risk area does not make yellow here', () => {
    const sub = decl({ placesVisited: [{ region: 'CN-LX-03-A1', from: '2026-11-18', to: '2026-11-18' }] });
    expect(evaluate(facts({ declarations: [sub] }), FOUNDATION_RULESET, now).colour).toBe('yellow');
    const medium = { ...area, level: 'medium' as const };
    expect(evaluate(facts({ declarations: [sub], riskAreas: [medium] }), FOUNDATION_RULESET, now).colour).toBe('green');
  });

  it('lists every active cause', () => {
    const d = decl({ symptoms: ['cough'], placesVisited: [{ region: 'CN-LX-03', from: '2026-11-18', to: '2026-11-20' }] });
    const a = evaluate(facts({ declarations: [d] }), FOUNDATION_RULESET, now);
    expect(a.reasons.map((r) => r.ruleId).sort()).toEqual(['high-risk-area-stay', 'symptoms-declared']);
  });

  it('identical facts give identical assessments (the household case)', () => {
    const d = decl({ symptoms: ['fatigue'] });
    expect(evaluate(facts({ declarations: [d] }), FOUNDATION_RULESET, now)).toEqual(
      evaluate(facts({ declarations: [{ ...d }] }), FOUNDATION_RULESET, now),
    );
  });
});

describe('reason texts', () => {
  it('give dates and times in the holder’s own time zone', () => {
    const a = evaluate(facts({ declarations: [decl({ symptoms: ['cough'], declaredAt: new Date('2026-11-23T20:30:00Z') })] }), FOUNDATION_RULESET, new Date('2026-11-23T21:00:00Z'));
    // 20:30 UTC is 04:30 the next day in Shanghai
    expect(a.reasons[0]!.text.en).toBe('You declared cough on 2026-11-24: home observation for 7 days, until 2026-12-01 04:30.');
  });
});
