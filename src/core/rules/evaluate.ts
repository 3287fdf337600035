// (facts, ruleset, now) → assessment. Pure: the clock is a parameter, nothing is read or written.
//
// First version of MISSION.md's rules: declared symptoms or fever → yellow for 7 days from the
// declaration; a stay in a high-risk area within the last 14 days → yellow for 7 days from the
// last day of the stay that overlapped the area; otherwise green. Each fact is its own cause;
// the colour is the most severe active cause; every active cause is listed.
import { DAY_MS, HOUR_MS, formatLocal, localDate, nextDate, startOfLocalDate } from '../time/zones.ts';
import type { Ruleset } from './ruleset.ts';
import { COLOUR_SEVERITY, type Assessment, type Colour, type Facts, type Reason } from './types.ts';

const SYMPTOM_WORDS: Record<string, { en: string; zh: string }> = {
  fever: { en: 'fever', zh: '发热' },
  cough: { en: 'cough', zh: '咳嗽' },
  sore_throat: { en: 'sore throat', zh: '咽痛' },
  shortness_of_breath: { en: 'shortness of breath', zh: '呼吸急促' },
  loss_of_taste_or_smell: { en: 'loss of taste or smell', zh: '味觉或嗅觉丧失' },
  fatigue: { en: 'fatigue', zh: '乏力' },
};

function symptomReasons(facts: Facts, ruleset: Ruleset, now: Date): Reason[] {
  const p = ruleset.parameters;
  const tz = facts.holder.timeZone;
  const reasons: Reason[] = [];
  for (const d of facts.declarations) {
    const words = d.symptoms.map((s) => SYMPTOM_WORDS[s] ?? { en: s, zh: s });
    const fever = d.temperatureC !== null && d.temperatureC >= p.feverThresholdC;
    if (words.length === 0 && !fever) continue;
    if (d.declaredAt.getTime() > now.getTime()) continue;
    const until = new Date(d.declaredAt.getTime() + p.yellowDays * DAY_MS);
    if (until.getTime() <= now.getTime()) continue;
    const en = [...words.map((w) => w.en), ...(fever ? [`temperature ${d.temperatureC} °C`] : [])].join(', ');
    const zh = [...words.map((w) => w.zh), ...(fever ? [`体温 ${d.temperatureC} °C`] : [])].join('、');
    reasons.push({
      ruleId: 'symptoms-declared',
      colour: 'yellow',
      text: {
        en: `You declared ${en} on ${localDate(d.declaredAt, tz)}: home observation for ${p.yellowDays} days, until ${formatLocal(until, tz)}.`,
        'zh-CN': `您于 ${localDate(d.declaredAt, tz)} 申报了${zh}：居家观察 ${p.yellowDays} 天，至 ${formatLocal(until, tz)}。`,
      },
      since: d.declaredAt.toISOString(),
      until: until.toISOString(),
      facts: [{ kind: 'declaration', id: d.id, summary: `symptoms: ${en}` }],
    });
  }
  return reasons;
}

function travelReasons(facts: Facts, ruleset: Ruleset, now: Date): Reason[] {
  const p = ruleset.parameters;
  const tz = facts.holder.timeZone;
  const reasons: Reason[] = [];
  for (const d of facts.declarations) {
    if (d.declaredAt.getTime() > now.getTime()) continue;
    for (const place of d.placesVisited) {
      const stayStart = startOfLocalDate(place.from, tz).getTime();
      const stayEnd = startOfLocalDate(nextDate(place.to), tz).getTime();
      for (const area of facts.riskAreas) {
        if (area.level !== 'high') continue;
        if (!(place.region === area.region || place.region.startsWith(area.region + '-'))) continue;
        const overlapStart = Math.max(stayStart, area.startsAt.getTime());
        const overlapEnd = Math.min(stayEnd, area.endsAt?.getTime() ?? Number.POSITIVE_INFINITY, d.declaredAt.getTime());
        if (overlapEnd <= overlapStart) continue;
        if (overlapEnd < now.getTime() - p.highRiskLookbackDays * DAY_MS) continue;
        const until = new Date(overlapEnd + p.yellowDays * DAY_MS);
        if (until.getTime() <= now.getTime()) continue;
        reasons.push({
          ruleId: 'high-risk-area-stay',
          colour: 'yellow',
          text: {
            en: `You declared a stay in ${place.region} from ${place.from} to ${place.to}, a high-risk area at that time: home observation for ${p.yellowDays} days after the stay, until ${formatLocal(until, tz)}.`,
            'zh-CN': `您申报了 ${place.from} 至 ${place.to} 在 ${place.region} 的行程，该地当时为高风险地区：离开后居家观察 ${p.yellowDays} 天，至 ${formatLocal(until, tz)}。`,
          },
          since: d.declaredAt.toISOString(),
          until: until.toISOString(),
          facts: [
            { kind: 'declaration', id: d.id, summary: `stay in ${place.region} ${place.from}..${place.to}` },
            { kind: 'risk_area', id: area.id, summary: `high-risk area ${area.region} from ${area.startsAt.toISOString()}` },
          ],
        });
      }
    }
  }
  return reasons;
}

export function evaluate(facts: Facts, ruleset: Ruleset, now: Date): Assessment {
  const reasons = [...symptomReasons(facts, ruleset, now), ...travelReasons(facts, ruleset, now)];
  let colour: Colour = 'green';
  for (const r of reasons) if (COLOUR_SEVERITY[r.colour] > COLOUR_SEVERITY[colour]) colour = r.colour;
  let validUntil = now.getTime() + ruleset.parameters.greenValidityHours * HOUR_MS;
  for (const r of reasons) validUntil = Math.min(validUntil, Date.parse(r.until));
  return { colour, reasons, rulesetVersion: ruleset.version, assessedAt: now, validUntil: new Date(validUntil) };
}
