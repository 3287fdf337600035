// uPlot on a canvas, sized to its container; the same numbers are in a table next to it.
import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export interface Series {
  label: string;
  /** null: no value that day (a gap) */
  values: (number | null)[];
  stroke: string;
  fill?: string;
  dash?: number[];
  bars?: boolean;
  width?: number;
  /** marks only, no line (e.g. the days a venue was flagged) */
  pointsOnly?: boolean;
  /** a line without marks on its values */
  noPoints?: boolean;
}

/** Days (YYYY-MM-DD) on the x axis, shown as dates whatever the browser's zone. */
export function DayChart({ days, series, label, height = 260 }: { days: string[]; series: Series[]; label: string; height?: number }) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const xs = days.map((d) => Date.parse(`${d}T00:00:00Z`) / 1000);
    const bars = uPlot.paths.bars!({ size: [0.6, 40], gap: 2 });
    const barCount = series.filter((s) => s.bars).length;
    const opts: uPlot.Options = {
      width: Math.max(280, el.clientWidth),
      height,
      tzDate: (ts) => uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC'),
      scales: { x: { time: true, range: (_u, min, max) => [min - 43_200, max + 43_200] }, y: { range: (_u, _min, max) => [0, Math.max(1, Math.ceil(max * 1.1))] } },
      axes: [
        { stroke: '#1f2937', grid: { stroke: '#e5e7eb' }, ticks: { stroke: '#9ca3af' }, values: '{D} {MMM}' as unknown as uPlot.Axis.Values },
        { stroke: '#1f2937', grid: { stroke: '#e5e7eb' }, ticks: { stroke: '#9ca3af' }, values: (_u, ticks) => ticks.map((v) => (Number.isInteger(v) ? String(v) : '')) },
      ],
      legend: { show: true, live: false },
      cursor: { drag: { x: false, y: false } },
      series: [
        {},
        ...series.map((s, i) => ({
          label: s.label,
          stroke: s.stroke,
          width: s.width ?? 2,
          dash: s.dash,
          fill: s.fill,
          points: { show: !s.noPoints, size: 6, fill: s.stroke },
          ...(s.bars ? { paths: barCount > 1 ? uPlot.paths.bars!({ size: [0.8 / barCount, 30], align: (i === 0 ? -1 : 1) as 1 | -1 }) : bars, points: { show: false } } : {}),
          ...(s.pointsOnly ? { paths: () => null, points: { show: true, size: 12, width: 2, stroke: s.stroke, fill: s.fill ?? s.stroke } } : {}),
        })),
      ],
    };
    const data: uPlot.AlignedData = [xs, ...series.map((s) => s.values)];
    const u = new uPlot(opts, data, el);
    u.root.querySelector('canvas')?.setAttribute('aria-hidden', 'true');
    const ro = new ResizeObserver(() => u.setSize({ width: Math.max(280, el.clientWidth), height }));
    ro.observe(el);
    return () => {
      ro.disconnect();
      u.destroy();
    };
  }, [days, series, height]);
  return <div className="chart" ref={box} role="img" aria-label={label} />;
}
