// The demo city "Lanxi" (兰溪, fictional): districts, venues of every kind, operator accounts
// and holders, so that a first start has something to walk through.
export const DEMO_REGIONS = [
  { code: 'CN-LX-01', name_en: 'Lanxi Old Town', name_zh: '兰溪老城' },
  { code: 'CN-LX-02', name_en: 'Riverside', name_zh: '滨江' },
  { code: 'CN-LX-03', name_en: 'North Industrial Park', name_zh: '北部工业园' },
  { code: 'CN-LX-04', name_en: 'University District', name_zh: '大学城' },
  { code: 'CN-LX-05', name_en: 'East Harbour', name_zh: '东港' },
  { code: 'CN-LX-06', name_en: 'West Hills', name_zh: '西山' },
] as const;

export const DEMO_VENUE_KINDS = ['transit', 'mall', 'supermarket', 'hospital', 'hotel', 'restaurant', 'road_checkpoint'] as const;

const VENUE_NAMES: Record<(typeof DEMO_VENUE_KINDS)[number], string[]> = {
  transit: ['Metro Line 1 Central Station', 'Metro Line 2 Riverside Gate', 'Lanxi Railway Station', 'Bus Terminal East'],
  mall: ['Wanbo Plaza', 'Riverside Mall', 'Harbour City'],
  supermarket: ['RT-Mart Old Town', 'Fresh Market North', 'Hilltop Grocery'],
  hospital: ['Lanxi People’s Hospital', 'University Hospital'],
  hotel: ['Harbour View Hotel', 'Old Town Inn'],
  restaurant: ['Noodle House 88', 'Riverside Hotpot', 'Campus Canteen'],
  road_checkpoint: ['G60 Toll Gate', 'North Ring Road Checkpoint'],
};

export interface DemoVenue {
  id: string;
  name: string;
  kind: (typeof DEMO_VENUE_KINDS)[number];
  region: string;
  address: string;
}

export function demoVenues(): DemoVenue[] {
  const out: DemoVenue[] = [];
  let n = 1;
  for (const kind of DEMO_VENUE_KINDS) {
    for (const name of VENUE_NAMES[kind]) {
      const region = DEMO_REGIONS[n % DEMO_REGIONS.length]!;
      out.push({ id: `V${String(n).padStart(4, '0')}`, name, kind, region: region.code, address: `${n * 7} ${region.name_en} Road` });
      n++;
    }
  }
  return out;
}

const SURNAMES = ['Zhang', 'Wang', 'Li', 'Zhao', 'Chen', 'Liu', 'Yang', 'Huang', 'Wu', 'Zhou', 'Xu', 'Sun', 'Ma', 'Zhu', 'Hu', 'Guo'];
const GIVEN = ['Wei', 'Fang', 'Na', 'Min', 'Jing', 'Lei', 'Qiang', 'Yan', 'Jun', 'Hui', 'Ping', 'Gang', 'Xiu Ying', 'Jian', 'Hong', 'Yi'];

/** A small deterministic generator (mulberry32), so `demo --seed N` gives the same city. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface DemoHolder {
  name: string;
  idNumber: string;
  dateOfBirth: string;
  phone: string;
  region: string;
}

export function demoHolder(i: number, rnd: () => number): DemoHolder {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const year = 1940 + Math.floor(rnd() * 75);
  const month = 1 + Math.floor(rnd() * 12);
  const day = 1 + Math.floor(rnd() * 28);
  const dob = `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  return {
    name: `${pick(SURNAMES)} ${pick(GIVEN)}`,
    idNumber: `330781${dob.replaceAll('-', '')}${String(i).padStart(4, '0')}`,
    dateOfBirth: dob,
    phone: `1380000${String(i).padStart(4, '0')}`,
    region: pick(DEMO_REGIONS).code,
  };
}
