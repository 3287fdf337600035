// The demo city's map: district polygons (lanxi.geo.json, shipped in the repo — the network is
// closed, so no tiles) and a stable point for every venue. Venues have no coordinates of their
// own; a venue's point is derived from its id, inside its district's polygon: the same id gives
// the same point on every server and every start (no stored state, no randomness).
import crypto from 'node:crypto';
import fs from 'node:fs';

export type Ring = [number, number][];

export interface DistrictFeature {
  type: 'Feature';
  id: string;
  properties: { code: string; name_en: string; name_zh: string };
  geometry: { type: 'Polygon'; coordinates: Ring[] };
}

export interface DistrictCollection {
  type: 'FeatureCollection';
  name: string;
  features: DistrictFeature[];
}

let cached: DistrictCollection | undefined;

/** The district polygons of the demo city (GeoJSON, WGS 84 longitude/latitude). */
export function districts(): DistrictCollection {
  cached ??= JSON.parse(fs.readFileSync(new URL('./lanxi.geo.json', import.meta.url), 'utf8')) as DistrictCollection;
  return cached;
}

/** Ray casting: is (x, y) inside the ring? */
export function insideRing(x: number, y: number, ring: Ring): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i]!;
    const [xj, yj] = ring[j]!;
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

function bbox(ring: Ring): [number, number, number, number] {
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const [x, y] of ring) {
    minX = Math.min(minX, x);
    minY = Math.min(minY, y);
    maxX = Math.max(maxX, x);
    maxY = Math.max(maxY, y);
  }
  return [minX, minY, maxX, maxY];
}

/**
 * A stable point for a venue inside its district: candidates from SHA-256(venue id, attempt),
 * drawn from the middle 80 % of the district's bounding box (off the border), the first one
 * inside the polygon wins. Null when the district is not on the map.
 */
export function venuePoint(venueId: string, region: string, map: DistrictCollection = districts()): { lat: number; lon: number } | null {
  const f = map.features.find((x) => x.properties.code === region);
  if (!f) return null;
  const ring = f.geometry.coordinates[0]!;
  const [minX, minY, maxX, maxY] = bbox(ring);
  for (let attempt = 0; attempt < 64; attempt++) {
    const h = crypto.createHash('sha256').update(`venue-point:${venueId}:${attempt}`).digest();
    const u = 0.1 + 0.8 * (h.readUInt32BE(0) / 0x1_0000_0000);
    const v = 0.1 + 0.8 * (h.readUInt32BE(4) / 0x1_0000_0000);
    const x = minX + u * (maxX - minX);
    const y = minY + v * (maxY - minY);
    if (insideRing(x, y, ring)) return { lon: Math.round(x * 1e6) / 1e6, lat: Math.round(y * 1e6) / 1e6 };
  }
  // a convex-enough district always gives a point above; the centre of the box otherwise
  return { lon: (minX + maxX) / 2, lat: (minY + maxY) / 2 };
}
