// The synthetic city: venues, holders, and each holder's day (home, work, shops, transit),
// plus an outbreak spreading where people meet. Pure and deterministic: every (holder, day)
// has its own random stream derived from (seed, holder, day), so any part of the city can be
// regenerated alone — which is what makes the simulator resumable and reproducible.
import { DEMO_REGIONS, seededRandom as rng } from '../demo/city.ts';

export interface CityParams {
  holders: number;
  venues: number;
  days: number;
  seed: number;
}

export type VenueKind = 'transit' | 'mall' | 'supermarket' | 'hospital' | 'hotel' | 'restaurant' | 'road_checkpoint';

/** Share of each kind among venues. */
const KIND_WEIGHTS: [VenueKind, number][] = [
  ['transit', 0.08],
  ['mall', 0.04],
  ['supermarket', 0.18],
  ['hospital', 0.02],
  ['hotel', 0.05],
  ['restaurant', 0.6],
  ['road_checkpoint', 0.03],
];
const WORKPLACE_KINDS: VenueKind[] = ['mall', 'supermarket', 'hospital', 'hotel', 'restaurant'];

/** A 32-bit mix of integers (murmur3's finaliser over a running hash). */
export function mix(...xs: number[]): number {
  let h = 0x9e3779b9;
  for (const x of xs) {
    h = Math.imul(h ^ (x | 0), 0x85ebca6b);
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35);
    h ^= h >>> 16;
  }
  return h >>> 0;
}

/** mulberry32 from a 32-bit state: the demo city's generator. */
export { rng };

export interface SimVenue {
  index: number;
  id: string;
  name: string;
  kind: VenueKind;
  region: string;
}

export function venueId(index: number): string {
  return `C${String(index + 1).padStart(7, '0')}`;
}

export function simVenue(seed: number, index: number): SimVenue {
  const r = rng(mix(seed, 1, index))();
  let acc = 0;
  let kind: VenueKind = 'restaurant';
  for (const [k, w] of KIND_WEIGHTS) {
    acc += w;
    if (r < acc) {
      kind = k;
      break;
    }
  }
  // the first venues of each rare kind exist whatever the size, so every holder can find one
  if (index < KIND_WEIGHTS.length) kind = KIND_WEIGHTS[index]![0];
  const region = DEMO_REGIONS[index % DEMO_REGIONS.length]!.code;
  return { index, id: venueId(index), name: `${kind.replace('_', ' ')} ${index + 1}`, kind, region };
}

/** Venue indices by kind, per region and city-wide. */
export class VenueIndex {
  readonly all: SimVenue[];
  private byKind = new Map<VenueKind, number[]>();
  private byRegionKind = new Map<string, number[]>();

  constructor(seed: number, count: number) {
    this.all = Array.from({ length: count }, (_, i) => simVenue(seed, i));
    for (const v of this.all) {
      (this.byKind.get(v.kind) ?? this.byKind.set(v.kind, []).get(v.kind)!).push(v.index);
      const k = `${v.region}|${v.kind}`;
      (this.byRegionKind.get(k) ?? this.byRegionKind.set(k, []).get(k)!).push(v.index);
    }
  }

  /** A venue of `kind`, in `region` when there is one. */
  pick(kind: VenueKind, region: string, r: number): number {
    const local = this.byRegionKind.get(`${region}|${kind}`);
    const list = local && local.length ? local : this.byKind.get(kind) ?? this.byKind.get('restaurant')!;
    return list[Math.floor(r * list.length)]!;
  }
}

const SURNAMES = ['Zhang', 'Wang', 'Li', 'Zhao', 'Chen', 'Liu', 'Yang', 'Huang', 'Wu', 'Zhou', 'Xu', 'Sun', 'Ma', 'Zhu', 'Hu', 'Guo', 'He', 'Lin', 'Luo', 'Gao'];
const GIVEN = ['Wei', 'Fang', 'Na', 'Min', 'Jing', 'Lei', 'Qiang', 'Yan', 'Jun', 'Hui', 'Ping', 'Gang', 'Xiu Ying', 'Jian', 'Hong', 'Yi', 'Tao', 'Ming', 'Chao', 'Xia'];

export interface SimHolder {
  index: number;
  name: string;
  dateOfBirth: string;
  birthYear: number;
  region: string;
  worker: boolean;
  work: number;
  transit: number;
  shops: [number, number];
  eatery: number;
  /** would keep going out after declaring symptoms */
  nonCompliant: boolean;
  /** shows symptoms when infected */
  symptomatic: boolean;
}

export function simHolder(seed: number, index: number, venues: VenueIndex): SimHolder {
  const r = rng(mix(seed, 2, index));
  const birthYear = 1940 + Math.floor(r() * 80);
  const age = 2026 - birthYear;
  const month = 1 + Math.floor(r() * 12);
  const day = 1 + Math.floor(r() * 28);
  const region = DEMO_REGIONS[Math.floor(r() * DEMO_REGIONS.length)]!.code;
  const workRegion = DEMO_REGIONS[Math.floor(r() * DEMO_REGIONS.length)]!.code;
  return {
    index,
    name: `${SURNAMES[Math.floor(r() * SURNAMES.length)]} ${GIVEN[Math.floor(r() * GIVEN.length)]}`,
    dateOfBirth: `${birthYear}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`,
    birthYear,
    region,
    worker: age >= 20 && age <= 62 && r() < 0.8,
    work: venues.pick(WORKPLACE_KINDS[Math.floor(r() * WORKPLACE_KINDS.length)]!, workRegion, r()),
    transit: venues.pick('transit', region, r()),
    shops: [venues.pick('supermarket', region, r()), venues.pick('mall', region, r())],
    eatery: venues.pick('restaurant', workRegion, r()),
    nonCompliant: r() < 0.2,
    symptomatic: r() < 0.7,
  };
}

export interface Visit {
  venue: number;
  /** minutes after the local midnight of the day */
  minute: number;
  /** seconds within that minute */
  second: number;
}

/**
 * Where a holder scans on day `day` (0 = the first simulated day); `weekday` 0–6, 0 = Sunday.
 * Workers: transit, work, sometimes lunch, transit home, sometimes a shop. Others: a few outings.
 */
export function dayVisits(seed: number, h: SimHolder, day: number, weekday: number, venues: VenueIndex): Visit[] {
  const r = rng(mix(seed, 3, h.index, day));
  const out: Visit[] = [];
  const at = (venue: number, from: number, to: number) => out.push({ venue, minute: Math.floor(from + r() * (to - from)), second: Math.floor(r() * 60) });
  const workday = weekday >= 1 && weekday <= 5;
  if (h.worker && workday && r() < 0.92) {
    const leave = 7 * 60 + r() * 90;
    at(h.transit, leave, leave + 5);
    at(h.work, leave + 25, leave + 55);
    if (r() < 0.3) at(h.eatery, 12 * 60, 13 * 60);
    const home = 17 * 60 + 30 + r() * 90;
    at(h.transit, home, home + 10);
    if (r() < 0.3) at(r() < 0.8 ? h.shops[0] : h.shops[1], 19 * 60, 20 * 60 + 30);
    return out;
  }
  if (r() < 0.55) at(h.shops[0], 9 * 60, 11 * 60 + 30);
  if (r() < 0.3) at(venues.pick('restaurant', h.region, r()), 11 * 60 + 30, 13 * 60 + 30);
  if (r() < (workday ? 0.1 : 0.35)) {
    at(h.transit, 13 * 60 + 30, 14 * 60);
    at(h.shops[1], 14 * 60 + 15, 17 * 60);
  }
  if (r() < 0.03) at(venues.pick('hospital', h.region, r()), 8 * 60, 11 * 60);
  if (r() < 0.02) at(venues.pick('road_checkpoint', h.region, r()), 6 * 60, 22 * 60);
  if (r() < 0.01) at(venues.pick('hotel', h.region, r()), 15 * 60, 22 * 60);
  return out.sort((a, b) => a.minute - b.minute || a.second - b.second);
}

/** Days from infection: infectious from +2 to +9, symptoms declared on +4. */
export const INFECTIOUS_FROM = 2;
export const INFECTIOUS_TO = 9;
export const DECLARES_ON = 4;
/** yellow after declared symptoms (the first rule), days */
export const YELLOW_DAYS = 7;
/** chance of infection per scan in the same venue and half hour as an infectious holder */
export const TRANSMISSION = 0.015;

export interface Outbreak {
  /** day of infection per holder, or -1 */
  infectedDay: Int16Array;
  indexCases: number;
}

/** Whether the holder stays home on `day`: declared symptoms and keeps to it. */
export function isolated(h: SimHolder, infectedDay: number, day: number): boolean {
  return infectedDay >= 0 && h.symptomatic && !h.nonCompliant && day >= infectedDay + DECLARES_ON && day < infectedDay + DECLARES_ON + YELLOW_DAYS;
}

/**
 * The outbreak, day by day: index cases infected on day 0; then anyone who scans in the same
 * venue and half hour as an infectious holder is infected with probability TRANSMISSION.
 * Needs every holder's movement once per day (regenerated, not stored).
 */
export function simulateOutbreak(
  p: CityParams,
  venues: VenueIndex,
  holderAt: (i: number) => SimHolder,
  weekdayOf: (day: number) => number,
  onDay?: (day: number) => void,
): Outbreak {
  const infectedDay = new Int16Array(p.holders).fill(-1);
  const indexCases = Math.max(3, Math.round(p.holders / 50_000));
  const pickR = rng(mix(p.seed, 4));
  for (let k = 0; k < indexCases; k++) infectedDay[Math.floor(pickR() * p.holders)] = 0;
  const slot = (v: Visit) => Math.floor(v.minute / 30);
  for (let day = 0; day < p.days; day++) {
    const weekday = weekdayOf(day);
    const hot = new Set<number>();
    for (let i = 0; i < p.holders; i++) {
      const d = infectedDay[i]!;
      if (d < 0 || day - d < INFECTIOUS_FROM || day - d > INFECTIOUS_TO) continue;
      const h = holderAt(i);
      if (isolated(h, d, day)) continue;
      for (const v of dayVisits(p.seed, h, day, weekday, venues)) hot.add(v.venue * 48 + slot(v));
    }
    if (hot.size) {
      for (let i = 0; i < p.holders; i++) {
        if (infectedDay[i]! >= 0) continue;
        const h = holderAt(i);
        const visits = dayVisits(p.seed, h, day, weekday, venues);
        if (!visits.some((v) => hot.has(v.venue * 48 + slot(v)))) continue;
        const r = rng(mix(p.seed, 5, i, day));
        for (const v of visits) if (hot.has(v.venue * 48 + slot(v)) && r() < TRANSMISSION) infectedDay[i] = day;
      }
    }
    onDay?.(day);
  }
  return { infectedDay, indexCases };
}
