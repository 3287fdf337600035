import { useEffect, useState } from 'react';
import { get } from '../shared/api.ts';

export interface Region {
  code: string;
  name: string;
}

/** The demo city's districts (for the home-district and travel pickers). Empty until loaded. */
export function useRegions(): Region[] {
  const [regions, setRegions] = useState<Region[]>([]);
  useEffect(() => {
    let cancelled = false;
    get<{ regions: Region[] }>('/api/public/regions')
      .then((r) => {
        if (!cancelled) setRegions(r.regions);
      })
      .catch(() => {
        // leave empty; the select then offers nothing and the form cannot be submitted
      });
    return () => {
      cancelled = true;
    };
  }, []);
  return regions;
}
