// A ruleset is validated before use: a bad one is refused with the rule and the field named, so an
// operator publishing it learns what to fix, and nothing half-valid ever assesses a holder.
import { describe, expect, it } from 'vitest';
import doc from '../../../rulesets/2026.11.1.json' with { type: 'json' };
import { DEFAULT_RULESET } from './default.ts';
import { FACT_FIELDS, REQUIRED_PARAMETERS, RulesetError, TEMPLATE_FIELDS, parseRuleset, type RulesetDoc } from './ruleset.ts';

/** A fresh, mutable copy of the default document. */
function base(): RulesetDoc {
  return structuredClone(doc) as unknown as RulesetDoc;
}

/** The rule with this id in `d` (as loosely typed data, to be broken on purpose). */
function rule(d: RulesetDoc, id: string): Record<string, unknown> {
  const r = d.rules.find((x) => x.id === id);
  if (!r) throw new Error(`no rule ${id}`);
  return r as unknown as Record<string, unknown>;
}

function rejection(d: unknown): RulesetError {
  try {
    parseRuleset(d);
  } catch (e) {
    expect(e).toBeInstanceOf(RulesetError);
    return e as RulesetError;
  }
  throw new Error('the ruleset was accepted');
}

function expectRejected(d: unknown, ruleId: string | null, field: string, message: string | RegExp): RulesetError {
  const e = rejection(d);
  expect({ ruleId: e.ruleId, field: e.field }).toEqual({ ruleId, field });
  if (typeof message === 'string') expect(e.message).toContain(message);
  else expect(e.message).toMatch(message);
  return e;
}

describe('the default ruleset', () => {
  it('parses, with every parameter of MISSION.md resolved to its number', () => {
    const r = parseRuleset(doc);
    expect(r.version).toBe('2026.11.1');
    expect(r.effectiveFrom).toBe('2026-01-01T00:00:00.000Z');
    for (const name of Object.keys(REQUIRED_PARAMETERS)) expect(typeof r.parameters[name], name).toBe('number');
    expect(r.parameters).toMatchObject({
      caseIsolationDays: 10,
      caseCheckIns: 10,
      closeContactDays: 14,
      closeContactCheckIns: 14,
      yellowDays: 7,
      yellowCheckIns: 7,
      negativePcrCount: 2,
      negativePcrGapHours: 24,
      yellowPcrWindowDays: 3,
      missedCheckInDays: 3,
      feverThresholdTenthsC: 373,
      highRiskLookbackDays: 14,
      closeContactMinutes: 15,
      overlapIntervalMinutes: 10,
      minVisitMinutes: 10,
      secondaryWindowMinutes: 30,
      defaultStayMinutes: 60,
      infectiousDaysBefore: 2,
      riskAreaCleanDays: 5,
      scanRetentionDays: 21,
      ruleNoticeHours: 48,
    });
    expect(r.rules.map((x) => [x.id, x.colour, x.fact])).toEqual([
      ['confirmed-case', 'red', 'labResult'],
      ['close-contact', 'red', 'exposure'],
      ['secondary-contact', 'yellow', 'exposure'],
      ['symptoms-declared', 'yellow', 'declaration'],
      ['high-risk-area', 'yellow', 'riskAreaStay'],
      ['missed-check-ins', 'grey', 'checkInLapse'],
    ]);
    expect(DEFAULT_RULESET.version).toBe(r.version);
  });

  it('is frozen: parameters and rules cannot be changed after validation', () => {
    expect(Object.isFrozen(DEFAULT_RULESET)).toBe(true);
    expect(Object.isFrozen(DEFAULT_RULESET.parameters)).toBe(true);
    expect(Object.isFrozen(DEFAULT_RULESET.rules)).toBe(true);
  });

  it('keeps the published document as it was, sameAs references included', () => {
    expect(DEFAULT_RULESET.document.parameters.caseCheckIns).toEqual({ sameAs: 'caseIsolationDays' });
  });

  it('every parameter has a description, and the fact kinds can be shown and read', () => {
    for (const [name, text] of Object.entries(REQUIRED_PARAMETERS)) expect(text.length, name).toBeGreaterThan(10);
    expect(Object.keys(TEMPLATE_FIELDS).sort()).toEqual(Object.keys(FACT_FIELDS).sort());
  });

  it('a patched copy with other numbers parses (yellowCheckIns follows yellowDays)', () => {
    const d = base();
    d.parameters.yellowDays = 5;
    const r = parseRuleset(d);
    expect(r.parameters.yellowCheckIns).toBe(5);
  });
});

describe('a ruleset is refused, naming the rule and field', () => {
  it('an unknown CertLogic operator', () => {
    const d = base();
    rule(d, 'confirmed-case').when = { xor: [true, false] };
    expectRejected(d, 'confirmed-case', 'when', 'unrecognised operator: "xor"');
  });

  it('a CertLogic operation with the wrong number of operands', () => {
    const d = base();
    rule(d, 'close-contact').when = { '===': [{ var: 'fact.kind' }] };
    expectRejected(d, 'close-contact', 'when', 'must have 2 operands');
  });

  it('a condition reading a field its fact kind does not have', () => {
    const d = base();
    rule(d, 'close-contact').when = { '===': [{ var: 'fact.result' }, 'positive'] };
    expectRejected(d, 'close-contact', 'when', 'reads "fact.result", which the exposure fact does not have');
  });

  it('a condition reading anything that is not a health fact (there is no such field to key on)', () => {
    const d = base();
    rule(d, 'symptoms-declared').when = { '>': [{ var: 'fact.bankDeposits' }, 0] };
    expectRejected(d, 'symptoms-declared', 'when', 'fact.bankDeposits');
    const e = base();
    rule(e, 'symptoms-declared').when = { '===': [{ var: 'holder.region' }, 'CN-HA'] };
    expectRejected(e, 'symptoms-declared', 'when', '"holder.region"');
    const f = base();
    rule(f, 'symptoms-declared').when = { var: '' };
    expectRejected(f, 'symptoms-declared', 'when', 'reads ""');
  });

  it('a parameter missing from the parameters', () => {
    const d = base();
    delete d.parameters.ruleNoticeHours;
    expectRejected(d, null, 'parameters.ruleNoticeHours', `missing parameter (${REQUIRED_PARAMETERS.ruleNoticeHours})`);
  });

  it('a parameter missing that another parameter is the same as', () => {
    const d = base();
    delete d.parameters.yellowDays;
    expectRejected(d, null, 'parameters.yellowDays', 'missing parameter');
  });

  it('a missing parameter read by a condition', () => {
    const d = base();
    rule(d, 'symptoms-declared').when = { '>=': [{ var: 'fact.temperatureTenthsC' }, { var: 'params.feverThreshold' }] };
    expectRejected(d, 'symptoms-declared', 'when', 'missing parameter "feverThreshold"');
  });

  it('a missing parameter named by a requirement', () => {
    const d = base();
    (rule(d, 'close-contact').exit as unknown[][])[0]![0] = { elapsed: 'quarantineDays' };
    expectRejected(d, 'close-contact', 'exit[0][0].elapsed', 'missing parameter "quarantineDays"');
    const e = base();
    (rule(e, 'confirmed-case').exit as unknown[][])[0]![2] = { negativePcrs: { count: 'pcrCount', minGapHours: 'negativePcrGapHours', sampledAfter: 'event' } };
    expectRejected(e, 'confirmed-case', 'exit[0][2].negativePcrs.count', 'missing parameter "pcrCount"');
  });

  it('a missing parameter used in a reason text', () => {
    const d = base();
    (rule(d, 'secondary-contact').reason as Record<string, string>).en = 'Home observation for {param:observationDays} days.';
    expectRejected(d, 'secondary-contact', 'reason.en', 'missing parameter "observationDays" in {param:observationDays}');
  });

  it('a colour outside green, yellow, red and grey', () => {
    const d = base();
    rule(d, 'close-contact').colour = 'blue';
    expectRejected(d, 'close-contact', 'colour', 'must be one of yellow, red, grey; got "blue"');
  });

  it('green as a rule colour (a rule is a cause of a restriction; green is their absence)', () => {
    const d = base();
    rule(d, 'close-contact').colour = 'green';
    expectRejected(d, 'close-contact', 'colour', 'got "green"');
  });

  it('a cycle in sameAs references, with the cycle named', () => {
    const d = base();
    d.parameters.yellowDays = { sameAs: 'yellowCheckIns' };
    expectRejected(d, null, 'parameters.yellowDays', 'cycle: yellowDays → yellowCheckIns → yellowDays');
    const e = base();
    e.parameters.a = { sameAs: 'b' };
    e.parameters.b = { sameAs: 'c' };
    e.parameters.c = { sameAs: 'a' };
    expectRejected(e, null, 'parameters.a', 'cycle: a → b → c → a');
    const f = base();
    f.parameters.scanRetentionDays = { sameAs: 'scanRetentionDays' };
    expectRejected(f, null, 'parameters.scanRetentionDays', 'cycle: scanRetentionDays → scanRetentionDays');
  });

  it('a parameter that is not a whole number ≥ 0, or a malformed reference', () => {
    const d = base();
    d.parameters.yellowDays = 7.5;
    expectRejected(d, null, 'parameters.yellowDays', 'must be a whole number ≥ 0, got 7.5');
    const e = base();
    e.parameters.yellowDays = -1;
    expectRejected(e, null, 'parameters.yellowDays', 'got -1');
    const f = base();
    (f.parameters as Record<string, unknown>).yellowDays = '7';
    expectRejected(f, null, 'parameters.yellowDays', 'must be a whole number or {"sameAs": "<parameter>"}');
  });

  it('a reason text missing a language, or blank', () => {
    const d = base();
    delete (rule(d, 'high-risk-area').reason as Record<string, string>)['zh-CN'];
    expectRejected(d, 'high-risk-area', 'reason.zh-CN', 'the zh-CN text is missing');
    const e = base();
    (rule(e, 'high-risk-area').reason as Record<string, string>).en = '   ';
    expectRejected(e, 'high-risk-area', 'reason.en', 'the en text is missing');
    const f = base();
    (rule(f, 'high-risk-area').reason as Record<string, string>).fr = 'Vous étiez…';
    expectRejected(f, 'high-risk-area', 'reason.fr', 'unknown language');
  });

  it('a change note missing a language', () => {
    const d = base();
    delete (d.changeNote as Partial<RulesetDoc['changeNote']>).en;
    expectRejected(d, null, 'changeNote.en', 'the en text is missing');
  });

  it('an unknown placeholder, and a placeholder of another fact kind', () => {
    const d = base();
    (rule(d, 'symptoms-declared').reason as Record<string, string>).en = 'Dear {holderName}, you declared {symptoms}.';
    expectRejected(d, 'symptoms-declared', 'reason.en', 'unknown placeholder {holderName} for the declaration fact');
    const e = base();
    (rule(e, 'symptoms-declared').reason as Record<string, string>)['zh-CN'] = '您于 {eventDate} 在{venue}申报了症状';
    expectRejected(e, 'symptoms-declared', 'reason.zh-CN', 'unknown placeholder {venue}');
  });

  it('a duplicate rule id', () => {
    const d = base();
    d.rules.push(structuredClone(d.rules[1]!));
    expectRejected(d, 'close-contact', 'id', 'duplicate rule id');
  });

  it('an empty exit, or an empty way out', () => {
    const d = base();
    rule(d, 'secondary-contact').exit = [];
    expectRejected(d, 'secondary-contact', 'exit', 'must list at least one way out');
    const e = base();
    rule(e, 'secondary-contact').exit = [[]];
    expectRejected(e, 'secondary-contact', 'exit[0]', 'must be a non-empty list of requirements');
  });

  it('an unknown requirement', () => {
    const d = base();
    (rule(d, 'confirmed-case').exit as unknown[][])[1] = [{ vaccinated: true }];
    expectRejected(d, 'confirmed-case', 'exit[1][0].vaccinated', 'unknown requirement "vaccinated"');
  });

  it('a malformed requirement', () => {
    const d = base();
    (rule(d, 'confirmed-case').exit as unknown[][])[1] = [{ discharged: true, elapsed: 'yellowDays' }];
    expectRejected(d, 'confirmed-case', 'exit[1][0]', 'exactly one key');
    const e = base();
    (rule(e, 'secondary-contact').exit as unknown[][])[1] = [
      { negativePcrs: { count: 'negativePcrCount', minGapHours: 'negativePcrGapHours', sampledAfter: 'tomorrow' } },
    ];
    expectRejected(e, 'secondary-contact', 'exit[1][0].negativePcrs.sampledAfter', 'must be "event" or "known"');
    const f = base();
    (rule(f, 'secondary-contact').exit as unknown[][])[1] = [
      { negativePcrs: { count: 'negativePcrCount', minGapHours: 'negativePcrGapHours', sampledAfter: 'known', lab: 'any' } },
    ];
    expectRejected(f, 'secondary-contact', 'exit[1][0].negativePcrs.lab', 'unknown field');
  });

  it('an unknown fact kind, an unknown rule field, a bad periodFrom', () => {
    const d = base();
    rule(d, 'close-contact').fact = 'petition';
    expectRejected(d, 'close-contact', 'fact', 'got "petition"');
    const e = base();
    rule(e, 'close-contact').priority = 1;
    expectRejected(e, 'close-contact', 'priority', 'unknown field');
    const f = base();
    rule(f, 'close-contact').periodFrom = 'notification';
    expectRejected(f, 'close-contact', 'periodFrom', 'must be "event" or "known"');
  });

  it('a bad rule id, and a rule that is not an object', () => {
    const d = base();
    rule(d, 'close-contact').id = 'Close Contact';
    expectRejected(d, null, 'rules[1].id', 'lower-case id');
    const e = base();
    (e.rules as unknown[])[2] = 'secondary-contact';
    expectRejected(e, null, 'rules[2]', 'a rule is an object');
  });

  it('a bad document: version, effective time without an offset, no rules, unknown field, not an object', () => {
    expectRejected({ ...base(), version: '2026 winter' }, null, 'version', 'must be a version string');
    expectRejected({ ...base(), effectiveFrom: '2026-12-01T00:00:00' }, null, 'effectiveFrom', 'with an offset');
    expectRejected({ ...base(), rules: [] }, null, 'rules', 'non-empty array');
    expectRejected({ ...base(), audience: 'petitioners' }, null, 'audience', 'unknown field');
    expectRejected([], null, '(document)', 'a JSON object');
  });

  it('says where in its message: rule, field, detail', () => {
    const d = base();
    rule(d, 'close-contact').colour = 'green';
    const e = rejection(d);
    expect(e.name).toBe('RulesetError');
    expect(e.message).toBe('rule "close-contact", field "colour": must be one of yellow, red, grey; got "green"');
    expect(e.detail).toBe('must be one of yellow, red, grey; got "green"');
    const f = base();
    delete f.parameters.ruleNoticeHours;
    expect(rejection(f).message).toMatch(/^field "parameters\.ruleNoticeHours": missing parameter/);
  });
});
