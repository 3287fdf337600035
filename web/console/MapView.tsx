import { useEffect, useRef } from 'react';
import L from 'leaflet';
import 'leaflet/dist/leaflet.css';
import { useLang, useT } from '../shared/i18n.tsx';
import { Status, useLoad, When } from './data.tsx';
import { messages } from './messages.ts';
import type { MapData } from './types.ts';

/** The highest level of the active risk areas a venue is in (null: none). */
function venueLevel(v: MapData['venues'][number], data: MapData): 'high' | 'medium' | null {
  const levels = v.riskAreas.map((id) => data.riskAreas.find((a) => a.id === id)?.level);
  return levels.includes('high') ? 'high' : levels.length > 0 ? 'medium' : null;
}

function LeafletMap({ data }: { data: MapData }) {
  const t = useT(messages);
  const { lang } = useLang();
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!box.current) return;
    // no tile layer: the network is closed; the districts are the map
    const map = L.map(box.current, { attributionControl: false, zoomSnap: 0.25, keyboard: true });
    const active = new Map<string, string>();
    for (const a of data.riskAreas) if (a.active && a.region) active.set(a.region, a.level);
    const districts = L.geoJSON(data.districts as unknown as Parameters<typeof L.geoJSON>[0], {
      style: (f) => {
        const level = active.get((f?.properties as { code: string }).code);
        return level
          ? { color: '#7f1d1d', weight: 3, dashArray: '8 5', fillColor: level === 'high' ? '#fca5a5' : '#fde68a', fillOpacity: 0.6 }
          : { color: '#334155', weight: 1.5, fillColor: '#e2e8f0', fillOpacity: 0.7 };
      },
      onEachFeature: (f, layer) => {
        const p = f.properties as { code: string; name_en: string; name_zh: string };
        const level = active.get(p.code);
        const name = lang === 'zh-CN' ? p.name_zh : p.name_en;
        const text = level ? `${name} — ⚠ ${level === 'high' ? t('riskHigh') : t('riskMedium')}` : name;
        layer.bindTooltip(text, { permanent: true, direction: 'center', className: level ? 'district-label risk' : 'district-label' });
      },
    });
    // the view first: vector layers are projected as they are added
    map.fitBounds(districts.getBounds(), { padding: [10, 10] });
    districts.addTo(map);
    for (const v of data.venues) {
      if (v.lat === null || v.lon === null) continue;
      const level = venueLevel(v, data);
      const risky = level !== null;
      L.circleMarker([v.lat, v.lon], {
        radius: risky ? 9 : 6,
        color: level === 'high' ? '#7f1d1d' : level === 'medium' ? '#78350f' : '#1e3a8a',
        weight: risky ? 3 : 1.5,
        fillColor: level === 'high' ? '#dc2626' : level === 'medium' ? '#f59e0b' : '#2563eb',
        fillOpacity: 0.9,
        className: risky ? `venue-marker risk ${level}` : 'venue-marker',
      })
        .bindTooltip(`${v.name} · ${t('scans7d')}: ${v.scans7d}${risky ? ` · ⚠ ${level === 'high' ? t('riskHigh') : t('riskMedium')}` : ''}`)
        .addTo(map);
    }
    box.current.dataset.venues = String(data.venues.filter((v) => v.lat !== null).length);
    const ro = new ResizeObserver(() => map.invalidateSize());
    ro.observe(box.current);
    return () => {
      ro.disconnect();
      map.remove();
    };
  }, [data, lang, t]);
  const areas = data.riskAreas.filter((a) => a.active).length;
  return (
    <>
      <div className="map" ref={box} role="region" aria-label={t('mapLabel', { districts: data.districts.features.length, venues: data.venues.length, areas })} data-testid="map" />
      <ul className="legend map-legend" aria-label={t('mapLegend')}>
        <li>
          <span className="glyph area-glyph" aria-hidden="true" /> {t('legendArea')}
        </li>
        <li>
          <span className="glyph dot high" aria-hidden="true" /> {t('legendVenueHigh')}
        </li>
        <li>
          <span className="glyph dot medium" aria-hidden="true" /> {t('legendVenueMedium')}
        </li>
        <li>
          <span className="glyph dot" aria-hidden="true" /> {t('legendVenuePlain')}
        </li>
      </ul>
    </>
  );
}

export function MapView() {
  const t = useT(messages);
  const { lang } = useLang();
  const { data, error, loading, reload } = useLoad<MapData>('/api/console/map');
  const districtName = (code: string | null) => {
    const f = data?.districts.features.find((x) => x.properties.code === code);
    return f ? (lang === 'zh-CN' ? f.properties.name_zh : f.properties.name_en) : (code ?? '—');
  };
  return (
    <section aria-labelledby="map-title">
      <h2 id="map-title">{t('mapTitle')}</h2>
      <p className="hint">{t('mapHint')}</p>
      <Status loading={loading} error={error} onRetry={reload} />
      {data && (
        <>
          <LeafletMap data={data} />
          <h3>{t('areasTitle')}</h3>
          <div className="table-wrap">
            <table className="list" data-testid="areas-table">
              <thead>
                <tr>
                  <th scope="col">{t('area')}</th>
                  <th scope="col">{t('level')}</th>
                  <th scope="col">{t('since')}</th>
                  <th scope="col">{t('status')}</th>
                  <th scope="col">{t('reason')}</th>
                </tr>
              </thead>
              <tbody>
                {data.riskAreas.map((a) => (
                  <tr key={a.id}>
                    <td>{a.region ? districtName(a.region) : (a.venueIds ?? []).map((id) => data.venues.find((v) => v.id === id)?.name ?? id).join(', ')}</td>
                    <td>{a.level === 'high' ? t('riskHigh') : t('riskMedium')}</td>
                    <td>
                      <When at={a.startsAt} />
                    </td>
                    <td>{a.active ? t('active') : a.endsAt === null ? t('upcoming') : t('lifted')}</td>
                    <td>{a.reason}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <h3>
            {t('venuesTitle')} <span className="hint">({t('venuesN', { n: data.venues.length })})</span>
          </h3>
          <div className="table-wrap">
            <table className="list" data-testid="venues-table">
              <thead>
                <tr>
                  <th scope="col">{t('venue')}</th>
                  <th scope="col">{t('district')}</th>
                  <th scope="col">{t('scans7d')}</th>
                  <th scope="col">{t('inRiskArea')}</th>
                </tr>
              </thead>
              <tbody>
                {data.venues.map((v) => (
                  <tr key={v.id}>
                    <td>{v.name}</td>
                    <td>{districtName(v.region)}</td>
                    <td>{v.scans7d}</td>
                    <td>{(() => {
                      const level = venueLevel(v, data);
                      return level ? `⚠ ${level === 'high' ? t('riskHigh') : t('riskMedium')}` : t('no');
                    })()}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </section>
  );
}
