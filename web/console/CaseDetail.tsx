import { useEffect, useRef } from 'react';
import cytoscape from 'cytoscape';
import { useT } from '../shared/i18n.tsx';
import { qs, Status, useLoad, When } from './data.tsx';
import { messages } from './messages.ts';
import { useReason } from './reason.tsx';
import { InterviewRoute } from './InterviewRoute.tsx';
import type { CaseGraph } from './types.ts';

// shape carries the meaning; colour and the edge style repeat it
const NODE_STYLE = {
  case: { shape: 'diamond', color: '#b91c1c', size: 46 },
  venue: { shape: 'round-rectangle', color: '#1d4ed8', size: 34 },
  close: { shape: 'triangle', color: '#c2410c', size: 32 },
  secondary: { shape: 'ellipse', color: '#a16207', size: 28 },
} as const;

function positions(data: CaseGraph): Record<string, { x: number; y: number }> {
  const column = (ids: string[], x: number) => Object.fromEntries(ids.map((id, i) => [id, { x, y: (i - (ids.length - 1) / 2) * 90 }]));
  const of = (k: string) => data.graph.nodes.filter((n) => n.kind === k).map((n) => n.id);
  return { ...column(of('case'), 0), ...column(of('venue'), 260), ...column([...of('close'), ...of('secondary')], 520) };
}

function Graph({ data, label }: { data: CaseGraph; label: string }) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!box.current) return;
    const cy = cytoscape({
      container: box.current,
      elements: [
        ...data.graph.nodes.map((n) => ({ data: { id: n.id, label: n.label, kind: n.kind } })),
        ...data.graph.edges.map((e) => ({ data: { id: e.id, source: e.source, target: e.target, kind: e.kind, label: e.minutes ? `${e.minutes} min` : '' } })),
      ],
      style: [
        {
          selector: 'node',
          style: {
            label: 'data(label)',
            'font-size': 12,
            color: '#111827',
            'text-valign': 'bottom',
            'text-margin-y': 4,
            'text-background-color': '#ffffff',
            'text-background-opacity': 0.85,
            'text-background-padding': '2px',
            'border-width': 2,
            'border-color': '#111827',
          },
        },
        ...(Object.keys(NODE_STYLE) as (keyof typeof NODE_STYLE)[]).map((k) => ({
          selector: `node[kind = "${k}"]`,
          style: { shape: NODE_STYLE[k].shape, 'background-color': NODE_STYLE[k].color, width: NODE_STYLE[k].size, height: NODE_STYLE[k].size },
        })),
        { selector: 'edge', style: { width: 2, 'line-color': '#6b7280', 'curve-style': 'bezier', label: 'data(label)', 'font-size': 10, color: '#374151', 'text-background-color': '#fff', 'text-background-opacity': 0.85 } },
        { selector: 'edge[kind = "visit"]', style: { 'line-color': '#1f2937', width: 3 } },
        { selector: 'edge[kind = "close"]', style: { 'line-color': '#c2410c', width: 3, 'target-arrow-shape': 'triangle', 'target-arrow-color': '#c2410c' } },
        { selector: 'edge[kind = "secondary"]', style: { 'line-color': '#a16207', 'line-style': 'dashed', 'target-arrow-shape': 'triangle', 'target-arrow-color': '#a16207' } },
      ],
      // three columns: the case, the places it visited, the contacts found there (close first)
      layout: { name: 'preset', positions: positions(data), fit: true, padding: 40 },
      wheelSensitivity: 0.3,
    });
    box.current.dataset.nodes = String(cy.nodes().length);
    box.current.dataset.edges = String(cy.edges().length);
    return () => cy.destroy();
  }, [data]);
  return <div className="graph" ref={box} role="img" aria-label={label} data-testid="contact-graph" />;
}

export function CaseDetail({ id, role }: { id: string; role: string }) {
  const t = useT(messages);
  const { reason } = useReason();
  const { data, error, loading, reload } = useLoad<CaseGraph>(reason ? `/api/console/cases/${encodeURIComponent(id)}/graph?${qs({ reason })}` : null);
  const kindWord = (k: string) => (k === 'close' ? t('kindClose') : t('kindSecondary'));
  const counts = data
    ? {
        venues: data.graph.nodes.filter((n) => n.kind === 'venue').length,
        close: data.graph.nodes.filter((n) => n.kind === 'close').length,
        secondary: data.graph.nodes.filter((n) => n.kind === 'secondary').length,
      }
    : null;
  return (
    <section aria-labelledby="case-title">
      <p>
        <a href="#/cases">← {t('back')}</a>
      </p>
      <h2 id="case-title">{t('caseTitle', { id: id.slice(0, 8) })}</h2>
      {!reason && <p className="notice">{t('reasonNeeded')}</p>}
      <Status loading={loading} error={error} onRetry={reload} />
      {data && counts && (
        <>
          <dl className="facts">
            <div>
              <dt>{t('person')}</dt>
              <dd>{data.case.maskedName}</dd>
            </div>
            <div>
              <dt>{t('sampled')}</dt>
              <dd>
                <When at={data.case.sampledAt} />
              </dd>
            </div>
            <div>
              <dt>{t('confirmed')}</dt>
              <dd>
                <When at={data.case.confirmedAt} />
              </dd>
            </div>
            <div>
              <dt>{t('infectious')}</dt>
              <dd>
                <When at={data.case.infectiousFrom} /> – <When at={data.case.infectiousTo} />
              </dd>
            </div>
            <div>
              <dt>{t('lastTrace')}</dt>
              <dd>{data.trace ? <When at={data.trace.runAt} /> : t('notTraced')}</dd>
            </div>
          </dl>
          {!data.trace && <p className="notice">{t('noTrace')}</p>}
          {data.trace && (
            <>
              <h3>{t('graphTitle')}</h3>
              <p className="hint">{t('graphHint')}</p>
              <ul className="legend" aria-hidden="true">
                <li>
                  <span className="glyph diamond" /> {t('legendCase')}
                </li>
                <li>
                  <span className="glyph square" /> {t('legendVenue')}
                </li>
                <li>
                  <span className="glyph triangle" /> {t('legendClose')}
                </li>
                <li>
                  <span className="glyph circle" /> {t('legendSecondary')}
                </li>
              </ul>
              <Graph data={data} label={t('graphLabel', { id: id.slice(0, 8), ...counts })} />
              <h3>{t('visitsTitle')}</h3>
              <div className="table-wrap">
                <table className="list">
                  <thead>
                    <tr>
                      <th scope="col">{t('place')}</th>
                      <th scope="col">{t('between')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {data.trace.caseVisits.map((v) => (
                      <tr key={`${v.venueId}-${v.from}`}>
                        <td>{v.venueName}</td>
                        <td>
                          <When at={v.from} /> – <When at={v.to} />
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
              <h3>{t('contactsTitle')}</h3>
              <div className="table-wrap">
                <table className="list" data-testid="contacts-table">
                  <thead>
                    <tr>
                      <th scope="col">{t('person')}</th>
                      <th scope="col">{t('kind')}</th>
                      <th scope="col">{t('minutes')}</th>
                      <th scope="col">{t('lastExposure')}</th>
                      <th scope="col">{t('places')}</th>
                      <th scope="col">{t('actions')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {data.trace.contacts.map((c) => (
                      <tr key={c.holderId}>
                        <td>{c.maskedName}</td>
                        <td>
                          <span className={`kind-tag ${c.kind}`}>
                            <span aria-hidden="true">{c.kind === 'close' ? '▲' : '●'}</span> {kindWord(c.kind)}
                          </span>
                        </td>
                        <td>{c.minutes}</td>
                        <td>
                          <When at={c.lastExposureAt} />
                        </td>
                        <td>{c.venues.join(', ')}</td>
                        <td>
                          <a href={`#/overrides/propose/${encodeURIComponent(c.holderId)}`} aria-label={t('proposeFor', { name: c.maskedName })}>
                            {t('proposeLink')}
                          </a>
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </>
          )}
          {role === 'official' && <InterviewRoute caseId={id} onTraced={reload} />}
        </>
      )}
    </section>
  );
}
