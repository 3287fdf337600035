// (facts, ruleset, now) → assessment. Pure: the clock is a parameter, nothing is read or written.
//
// Each rule turns each fact of its kind whose condition holds into a cause. A cause is active
// from the moment its fact became known until one of its ways out is fully met. Each active
// cause is a reason; the colour is the most severe active cause; no active cause is green.
// A holder with an active yellow or red cause who has not checked in for the ruleset's number of
// whole days gets a derived "check-in lapse" fact, which the ruleset's grey rule turns grey.
import { evaluate as evaluateCertLogic } from 'certlogic-js';
import { DAY_MS, HOUR_MS, formatLocal, localDate, nextDate, prevDate, startOfLocalDate } from '../time/zones.ts';
import type { FactKind, RequirementDoc, RuleDoc, Ruleset } from './ruleset.ts';
import {
  COLOUR_SEVERITY,
  type Assessment,
  type Colour,
  type ExitOption,
  type FactRef,
  type Facts,
  type Lang,
  type Reason,
  type RequirementStatus,
  type Text,
} from './types.ts';

const SYMPTOM_WORDS: Record<string, Text> = {
  fever: { en: 'fever', 'zh-CN': '发热' },
  cough: { en: 'cough', 'zh-CN': '咳嗽' },
  sore_throat: { en: 'sore throat', 'zh-CN': '咽痛' },
  shortness_of_breath: { en: 'shortness of breath', 'zh-CN': '呼吸急促' },
  loss_of_taste_or_smell: { en: 'loss of taste or smell', 'zh-CN': '味觉或嗅觉丧失' },
  fatigue: { en: 'fatigue', 'zh-CN': '乏力' },
};

/** A fact as a rule sees it: the CertLogic data under `fact`, and what the reason text may show. */
interface FactView {
  kind: FactKind;
  id: string;
  knownAt: number;
  eventAt: number;
  data: Record<string, unknown>;
  placeholders: Record<string, Text>;
  ref: FactRef;
}

function same(text: string): Text {
  return { en: text, 'zh-CN': text };
}

function views(facts: Facts): FactView[] {
  const tz = facts.holder.timeZone;
  // `shown` is the moment the text names: a stay's event is the instant it ended (midnight after
  // the last day), but the holder was there on the day before
  const base = (kind: FactKind, id: string, knownAt: Date, eventAt: Date, shown: Date = eventAt) => ({
    kind,
    id,
    knownAt: knownAt.getTime(),
    eventAt: eventAt.getTime(),
    dates: {
      eventDate: same(localDate(shown, tz)),
      eventTime: same(formatLocal(shown, tz)),
      knownDate: same(localDate(knownAt, tz)),
    },
  });
  const out: FactView[] = [];
  for (const d of facts.declarations) {
    const b = base('declaration', d.id, d.declaredAt, d.declaredAt);
    const words = d.symptoms.map((s) => SYMPTOM_WORDS[s] ?? same(s));
    const temp = d.temperatureC === null ? null : same(`${d.temperatureC} °C`);
    const list = (lang: Lang, sep: string) =>
      [...words.map((w) => w[lang]), ...(temp ? [`${lang === 'en' ? 'temperature' : '体温'} ${temp[lang]}`] : [])].join(sep) ||
      (lang === 'en' ? 'no symptoms' : '无症状');
    out.push({
      ...b,
      data: {
        id: d.id,
        knownAt: new Date(b.knownAt).toISOString(),
        eventAt: new Date(b.eventAt).toISOString(),
        symptoms: d.symptoms,
        symptomCount: d.symptoms.length,
        // whole tenths, truncated: 37.25 °C is below a 37.3 °C threshold (rounding would make it fever);
        // the epsilon keeps a decimal entered as 37.3 at 373 should its binary product land just below
        temperatureTenthsC: d.temperatureC === null ? 0 : Math.floor(d.temperatureC * 10 + 1e-9),
        hasTemperature: d.temperatureC !== null,
      },
      placeholders: { ...b.dates, symptoms: { en: list('en', ', '), 'zh-CN': list('zh-CN', '、') }, temperature: temp ?? same('—') },
      ref: { kind: 'declaration', id: d.id, summary: `declared ${list('en', ', ')} on ${b.dates.eventDate.en}` },
    });
  }
  for (const l of facts.labResults) {
    const b = base('labResult', l.id, l.reportedAt, l.sampledAt);
    const testKind: Text = l.kind === 'pcr' ? { en: 'PCR', 'zh-CN': '核酸' } : { en: 'antigen', 'zh-CN': '抗原' };
    out.push({
      ...b,
      data: { id: l.id, knownAt: new Date(b.knownAt).toISOString(), eventAt: new Date(b.eventAt).toISOString(), kind: l.kind, result: l.result, verified: l.verified },
      placeholders: { ...b.dates, testKind },
      ref: { kind: 'lab_result', id: l.id, summary: `${testKind.en} ${l.result}, sampled ${b.dates.eventTime.en}${l.verified ? '' : ' (not verified)'}` },
    });
  }
  for (const e of facts.exposures) {
    const b = base('exposure', e.id, e.notifiedAt, e.lastExposureAt);
    out.push({
      ...b,
      data: { id: e.id, knownAt: new Date(b.knownAt).toISOString(), eventAt: new Date(b.eventAt).toISOString(), kind: e.kind, minutes: e.minutes, venue: e.venueName },
      placeholders: { ...b.dates, venue: same(e.venueName), minutes: same(String(e.minutes)) },
      ref: { kind: 'exposure', id: e.id, summary: `${e.kind} contact at ${e.venueName} on ${b.dates.eventDate.en}, ${e.minutes} min` },
    });
  }
  for (const s of facts.riskAreaStays) {
    const b = base('riskAreaStay', s.id, s.knownAt, s.lastPresentAt, new Date(s.lastPresentAt.getTime() - 1));
    out.push({
      ...b,
      data: {
        id: s.id,
        knownAt: new Date(b.knownAt).toISOString(),
        eventAt: new Date(b.eventAt).toISOString(),
        level: s.level,
        region: s.region,
        place: s.place,
        source: s.source,
      },
      placeholders: { ...b.dates, place: same(s.place), region: same(s.region) },
      ref: { kind: 'risk_area_stay', id: s.id, summary: `${s.level}-risk area ${s.region}: ${s.place} on ${b.dates.eventDate.en} (${s.source})` },
    });
  }
  return out;
}

function render(template: Text, placeholders: Record<string, Text>, params: Record<string, number>): Text {
  const fill = (lang: Lang) =>
    template[lang].replace(/\{([^{}]*)\}/g, (m, name: string) => {
      if (name.startsWith('param:')) return String(params[name.slice(6)] ?? m);
      return placeholders[name]?.[lang] ?? m;
    });
  return { en: fill('en'), 'zh-CN': fill('zh-CN') };
}

interface Context {
  facts: Facts;
  ruleset: Ruleset;
  now: number;
  tz: string;
  /** distinct local dates with a check-in up to now, and the instant of each date's first check-in */
  checkInDates: Map<string, number>;
}

function iso(t: number): string {
  return new Date(t).toISOString();
}

/** `start` is the rule's period start, `event` and `known` the fact's own times. */
function requirementStatus(req: RequirementDoc, start: number, event: number, known: number, ctx: Context): RequirementStatus {
  const p = ctx.ruleset.parameters;
  const { now, tz } = ctx;
  if ('elapsed' in req) {
    const days = p[req.elapsed]!;
    const due = start + days * DAY_MS;
    return {
      kind: 'elapsed',
      text: {
        en: `${days} days from ${formatLocal(new Date(start), tz)} have passed`,
        'zh-CN': `自 ${formatLocal(new Date(start), tz)} 起已满 ${days} 天`,
      },
      due: iso(due),
      done: now >= due,
    };
  }
  if ('checkIns' in req) {
    const need = p[req.checkIns]!;
    const from = localDate(new Date(known), tz);
    const dates = [...ctx.checkInDates.keys()].filter((d) => d >= from).sort();
    const have = dates.length;
    let due: number;
    if (have >= need) {
      due = ctx.checkInDates.get(dates[need - 1]!) ?? now;
    } else {
      // the earliest day the last missing check-in can happen, if one is made every day from now
      const today = localDate(new Date(now), tz);
      let d = ctx.checkInDates.has(today) ? nextDate(today) : today;
      for (let i = 1; i < need - have; i++) d = nextDate(d);
      due = Math.max(now, startOfLocalDate(d, tz).getTime());
    }
    return {
      kind: 'checkIns',
      text: {
        en: `${need} daily check-ins from ${from} (${have} done)`,
        'zh-CN': `自 ${from} 起完成 ${need} 次每日健康打卡（已完成 ${have} 次）`,
      },
      due: iso(due),
      done: have >= need,
      have: Math.min(have, need),
      need,
    };
  }
  if ('negativePcrs' in req) {
    const r = req.negativePcrs;
    const need = p[r.count]!;
    const gap = p[r.minGapHours]! * HOUR_MS;
    const within = r.withinDays === undefined ? null : p[r.withinDays]! * DAY_MS;
    const anchor = r.sampledAfter === 'event' ? event : known;
    const samples = ctx.facts.labResults
      .filter((l) => l.kind === 'pcr' && l.result === 'negative' && l.verified && l.reportedAt.getTime() <= now && l.sampledAt.getTime() > anchor)
      .sort((a, b) => a.sampledAt.getTime() - b.sampledAt.getTime() || a.id.localeCompare(b.id));
    // the longest chain of samples each at least `gap` after the previous (and within the window)
    let best: typeof samples = [];
    for (let i = 0; i < samples.length && best.length < need; i++) {
      const chain = [samples[i]!];
      for (let j = i + 1; j < samples.length && chain.length < need; j++) {
        const s = samples[j]!;
        if (s.sampledAt.getTime() - chain[chain.length - 1]!.sampledAt.getTime() < gap) continue;
        if (within !== null && s.sampledAt.getTime() - chain[0]!.sampledAt.getTime() > within) break;
        chain.push(s);
      }
      if (chain.length > best.length) best = chain;
    }
    const done = best.length >= need; // a ruleset asking for 0 samples is met at once
    const anchorText = formatLocal(new Date(anchor), tz);
    const hours = p[r.minGapHours]!;
    return {
      kind: 'negativePcrs',
      text: {
        en: `${need} negative PCR tests sampled at least ${hours} h apart after ${anchorText}${within === null ? '' : `, within ${p[r.withinDays!]} days`} (${Math.min(best.length, need)} done)`,
        'zh-CN': `${anchorText} 之后采样、间隔至少 ${hours} 小时的 ${need} 次核酸阴性${within === null ? '' : `（${p[r.withinDays!]} 天内）`}（已完成 ${Math.min(best.length, need)} 次）`,
      },
      due: done ? iso(best.length === 0 ? anchor : Math.max(...best.slice(0, need).map((s) => s.reportedAt.getTime()))) : null,
      done,
      have: Math.min(best.length, need),
      need,
    };
  }
  if ('discharged' in req) {
    const d = ctx.facts.discharges.filter((x) => x.at.getTime() >= known && x.at.getTime() <= now).sort((a, b) => a.at.getTime() - b.at.getTime())[0];
    return {
      kind: 'discharged',
      text: { en: 'discharge by a health official', 'zh-CN': '由卫生官员解除隔离' },
      due: d ? iso(d.at.getTime()) : null,
      done: d !== undefined,
    };
  }
  return { kind: 'checkInToday', text: { en: 'check in today', 'zh-CN': '今日完成健康打卡' }, due: iso(now), done: false };
}

function exitOptions(rule: RuleDoc, start: number, event: number, known: number, ctx: Context): ExitOption[] {
  return rule.exit.map((option) => {
    const requirements = option.map((req) => requirementStatus(req, start, event, known, ctx));
    const dues = requirements.map((r) => r.due);
    const due = dues.includes(null) ? null : iso(Math.max(...dues.map((d) => Date.parse(d!))));
    return { requirements, due };
  });
}

interface Cause {
  rule: RuleDoc;
  view: FactView;
  start: number;
  options: ExitOption[];
}

function causesFor(rule: RuleDoc, facts: FactView[], ctx: Context): Cause[] {
  const out: Cause[] = [];
  for (const view of facts) {
    if (view.kind !== rule.fact) continue;
    const hit = evaluateCertLogic(rule.when, { fact: view.data, params: ctx.ruleset.parameters, now: iso(ctx.now) });
    if (!hit) continue;
    const start = rule.periodFrom === 'event' ? view.eventAt : view.knownAt;
    const options = exitOptions(rule, start, view.eventAt, view.knownAt, ctx);
    if (options.some((o) => o.requirements.every((r) => r.done))) continue;
    out.push({ rule, view, start, options });
  }
  return out;
}

/** The derived lapse fact: whole local days without a check-in while under a yellow or red cause. */
function lapseFact(active: Cause[], ctx: Context): FactView | null {
  const under = active.filter((c) => c.rule.colour === 'yellow' || c.rule.colour === 'red');
  if (under.length === 0) return null;
  const days = ctx.ruleset.parameters.missedCheckInDays;
  if (days === 0) return null;
  const firstKnown = Math.min(...under.map((c) => c.view.knownAt));
  const knownDate = localDate(new Date(firstKnown), ctx.tz);
  const today = localDate(new Date(ctx.now), ctx.tz);
  if (ctx.checkInDates.has(today)) return null;
  // the last `days` whole dates before today, all after the day the cause became known
  const missed: string[] = [];
  let d = today;
  for (let i = 0; i < days; i++) {
    d = prevDate(d);
    missed.unshift(d);
  }
  if (!(missed[0]! > knownDate) || missed.some((x) => ctx.checkInDates.has(x))) return null;
  const startToday = startOfLocalDate(today, ctx.tz);
  const list = missed.join(', ');
  return {
    kind: 'checkInLapse',
    id: `lapse:${missed[0]}:${today}`,
    knownAt: startToday.getTime(),
    eventAt: startToday.getTime(),
    data: { id: `lapse:${missed[0]}`, knownAt: startToday.toISOString(), eventAt: startToday.toISOString(), missedDays: days, missedDates: missed },
    placeholders: { eventDate: same(today), knownDate: same(today), missedDates: { en: list, 'zh-CN': missed.join('、') } },
    ref: { kind: 'check_in_lapse', id: `lapse:${missed[0]}`, summary: `no check-in on ${list}` },
  };
}

function toReason(c: Cause, ctx: Context): Reason {
  const dues = c.options.map((o) => o.due).filter((d): d is string => d !== null);
  return {
    ruleId: c.rule.id,
    colour: c.rule.colour,
    text: render(c.rule.reason, c.view.placeholders, ctx.ruleset.parameters),
    since: iso(c.view.knownAt),
    periodStart: iso(c.start),
    facts: [c.view.ref],
    wayToGreen: c.options,
    until: dues.length === 0 ? null : iso(Math.min(...dues.map((d) => Date.parse(d)))),
  };
}

const COLOUR_WORDS: Record<Colour, Text> = {
  green: { en: 'green', 'zh-CN': '绿码' },
  yellow: { en: 'yellow', 'zh-CN': '黄码' },
  red: { en: 'red', 'zh-CN': '红码' },
  grey: { en: 'grey', 'zh-CN': '灰码' },
};

function overrideReason(o: NonNullable<Facts['overrides']>[number], tz: string): Reason {
  const until = formatLocal(o.until, tz);
  return {
    ruleId: 'override',
    colour: o.colour,
    text: {
      en: `A decision by two health officials (${o.reasonCode}): ${COLOUR_WORDS[o.colour].en} until ${until}. ${o.note}`.trim(),
      'zh-CN': `经两名卫生官员决定（${o.reasonCode}）：${COLOUR_WORDS[o.colour]['zh-CN']}，至 ${until}。${o.note}`.trim(),
    },
    since: o.from.toISOString(),
    periodStart: o.from.toISOString(),
    facts: [{ kind: 'override', id: o.id, summary: `override to ${o.colour} (${o.reasonCode}) until ${o.until.toISOString()}` }],
    wayToGreen: [
      {
        requirements: [
          {
            kind: 'elapsed',
            text: { en: `the decision expires at ${until}`, 'zh-CN': `该决定于 ${until} 到期` },
            due: o.until.toISOString(),
            done: false,
          },
        ],
        due: o.until.toISOString(),
      },
    ],
    until: o.until.toISOString(),
  };
}

export function evaluate(facts: Facts, ruleset: Ruleset, now: Date): Assessment {
  const t = now.getTime();
  const tz = facts.holder.timeZone;
  const checkInDates = new Map<string, number>();
  for (const c of [...facts.checkIns].sort((a, b) => a.at.getTime() - b.at.getTime())) {
    if (c.at.getTime() > t) continue;
    const d = localDate(c.at, tz);
    if (!checkInDates.has(d)) checkInDates.set(d, c.at.getTime());
  }
  const ctx: Context = { facts, ruleset, now: t, tz, checkInDates };
  const all = views(facts);
  const known = all.filter((v) => v.knownAt <= t);
  let active = ruleset.rules.filter((r) => r.fact !== 'checkInLapse').flatMap((r) => causesFor(r, known, ctx));
  const lapse = lapseFact(active, ctx);
  if (lapse) active = [...active, ...ruleset.rules.filter((r) => r.fact === 'checkInLapse').flatMap((r) => causesFor(r, [lapse], ctx))];

  active.sort(
    (a, b) =>
      COLOUR_SEVERITY[b.rule.colour] - COLOUR_SEVERITY[a.rule.colour] ||
      a.view.knownAt - b.view.knownAt ||
      a.rule.id.localeCompare(b.rule.id) ||
      a.view.id.localeCompare(b.view.id),
  );
  let colour: Colour = 'green';
  for (const c of active) if (COLOUR_SEVERITY[c.rule.colour] > COLOUR_SEVERITY[colour]) colour = c.rule.colour;

  // re-assess when time alone could change the outcome: a period ends, a fact becomes known,
  // a new local day starts (check-in lapses), or the routine re-evaluation is due
  let validUntil = t + ruleset.parameters.greenValidityHours * HOUR_MS;
  for (const c of active) {
    for (const o of c.options) for (const r of o.requirements) if (r.kind === 'elapsed' && !r.done) validUntil = Math.min(validUntil, Date.parse(r.due!));
  }
  for (const v of all) if (v.knownAt > t) validUntil = Math.min(validUntil, v.knownAt);
  if (active.length > 0) validUntil = Math.min(validUntil, startOfLocalDate(nextDate(localDate(now, tz)), tz).getTime());

  const reasons = active.map((c) => toReason(c, ctx));
  // an approved manual decision in force sets the colour until it expires; the newest one wins
  const override = (facts.overrides ?? [])
    .filter((o) => o.from.getTime() <= t && t < o.until.getTime())
    .sort((a, b) => b.from.getTime() - a.from.getTime() || a.id.localeCompare(b.id))[0];
  for (const o of facts.overrides ?? []) {
    if (o.from.getTime() > t) validUntil = Math.min(validUntil, o.from.getTime());
    else if (o.until.getTime() > t) validUntil = Math.min(validUntil, o.until.getTime());
  }
  if (override) {
    colour = override.colour;
    reasons.unshift(overrideReason(override, tz));
  }
  return { colour, reasons, rulesetVersion: ruleset.version, assessedAt: now, validUntil: new Date(validUntil) };
}
