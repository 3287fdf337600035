import { useEffect, useState, type ReactNode } from 'react';
import type { TransparencyView } from '../../src/contracts/due-process.ts';
import { ApiError, get } from '../shared/api.ts';
import { COLOUR_ICON, colourWord, isColour } from '../shared/colour.ts';
import { useLang, useT } from '../shared/i18n.tsx';
import { LangSwitch } from '../shared/LangSwitch.tsx';
import { formatDateTime } from '../shared/time.ts';
import { messages, type TKey } from './messages.ts';

type LocalText = { en: string; 'zh-CN': string };
interface RulesetSummary {
  version: string;
  effectiveFrom: string;
  publishedAt: string;
  noticeHours: number;
  emergency: boolean;
  publishedBy: string;
  changeNote: LocalText;
  state: 'in_force' | 'upcoming' | 'superseded';
}
interface RulesetDoc {
  description?: string;
  parameters?: Record<string, unknown>;
  rules?: { id: string; description?: string; colour?: string }[];
}
interface TrustList {
  jws: string;
  trustList: { issuedAt: string; expiresAt: string; keys: { kid: string; region: string; validFrom: string; validUntil: string | null; publicKeySpki: string }[] };
}
interface RiskArea {
  id: string;
  region: string | null;
  venueIds: string[] | null;
  level: string;
  startsAt: string;
  endsAt: string | null;
  liftedReason: string | null;
  reason: string;
  active: boolean;
}

interface ComplianceSummary {
  day: string | null;
  venuesCounted: number;
  flaggedVenues: number;
  missedCaseVisits: number;
  notices: { issued: number; acknowledged: number; overdue: number };
}

const COLOURS = ['green', 'yellow', 'red', 'grey'] as const;

type Load<T> = { state: 'loading' } | { state: 'ok'; data: T } | { state: 'error'; message: string };

function useLoad<T>(path: string): Load<T> {
  const [v, setV] = useState<Load<T>>({ state: 'loading' });
  useEffect(() => {
    get<T>(path)
      .then((data) => setV({ state: 'ok', data }))
      .catch((err: unknown) => setV({ state: 'error', message: err instanceof ApiError && err.offline ? 'network' : err instanceof Error ? err.message : String(err) }));
  }, [path]);
  return v;
}

function Section({ id, title, children }: { id: string; title: string; children: ReactNode }) {
  return (
    <section className="card t-section" aria-labelledby={`${id}-title`} data-testid={id}>
      <h2 id={`${id}-title`}>{title}</h2>
      {children}
    </section>
  );
}

function Loaded<T>({ load, children }: { load: Load<T>; children: (data: T) => ReactNode }) {
  const t = useT(messages);
  if (load.state === 'loading') return <p className="hint">{t('loading')}</p>;
  if (load.state === 'error')
    return (
      <p className="error" role="alert">
        {t('sectionFailed', { message: load.message === 'network' ? t('errorNetwork') : load.message })}
      </p>
    );
  return <>{children(load.data)}</>;
}

function ColourTag({ colour }: { colour: string }) {
  const { lang } = useLang();
  if (!isColour(colour)) return <span>{colour}</span>;
  return (
    <span className={`colour-tag c-${colour}`}>
      <span aria-hidden="true">{COLOUR_ICON[colour]}</span> {colourWord(colour, lang)}
    </span>
  );
}

function Stat({ label, value, warn, testId }: { label: ReactNode; value: number; warn?: boolean; testId?: string }) {
  return (
    <div className={`stat ${warn && value > 0 ? 'warn' : ''}`} data-testid={testId}>
      <dt>{label}</dt>
      <dd>{value}</dd>
    </div>
  );
}

/** A known code said in words (alarm kinds, override reasons); an unknown one with its underscores as spaces. */
function useCodeWord() {
  const t = useT(messages);
  return (prefix: 'alarm_' | 'reason_', code: string) => {
    const key = `${prefix}${code}`;
    return key in messages.en ? t(key as TKey) : code.replace(/_/g, ' ');
  };
}

/** Holders by colour now: a number, a word and a shape for each colour, and the share as a bar and in words. */
function HolderColours({ holders }: { holders: TransparencyView['holders'] }) {
  const t = useT(messages);
  const { lang } = useLang();
  const pct = (n: number) => (holders.total > 0 ? Math.round((n / holders.total) * 1000) / 10 : 0);
  return (
    <>
      <p>{t('holdersTotal', { n: holders.total })}</p>
      <dl className="stats colour-stats" data-testid="holder-colours">
        {COLOURS.map((c) => (
          <div key={c} className={`stat colour-stat c-${c}`} data-colour={c} data-count={holders.byColour[c] ?? 0}>
            <dt>
              <ColourTag colour={c} />
            </dt>
            <dd>
              {holders.byColour[c] ?? 0}
              <span className="share">{t('share', { pct: pct(holders.byColour[c] ?? 0).toLocaleString(lang) })}</span>
            </dd>
          </div>
        ))}
      </dl>
      {holders.total > 0 && (
        <div className="colour-bar" aria-hidden="true">
          {COLOURS.filter((c) => (holders.byColour[c] ?? 0) > 0).map((c) => (
            <span key={c} className={`c-${c}`} style={{ flexGrow: holders.byColour[c] ?? 0 }} title={`${colourWord(c, lang)}: ${holders.byColour[c]}`} />
          ))}
        </div>
      )}
      <p className="hint">{t('holdersExplain')}</p>
    </>
  );
}

export function TransparencyApp() {
  const t = useT(messages);
  const { lang } = useLang();
  const rules = useLoad<RulesetSummary & { document: RulesetDoc }>('/api/public/rules');
  const history = useLoad<{ rulesets: RulesetSummary[] }>('/api/public/rules/history');
  const stats = useLoad<TransparencyView>('/api/public/transparency');
  const keys = useLoad<TrustList>('/api/public/trust-list');
  const revocations = useLoad<{ revocationList: { revoked: string[] } }>('/api/public/revocations');
  const areas = useLoad<{ areas: RiskArea[] }>('/api/public/risk-areas');
  const compliance = useLoad<ComplianceSummary>('/api/public/compliance');
  const codeWord = useCodeWord();
  const when = (iso: string) => formatDateTime(iso, lang);
  // a ruleset bundled with the software is "published" when the store is made, after its effective date
  const published = (r: RulesetSummary) =>
    r.noticeHours >= 0
      ? t('rulesPublished', { time: when(r.publishedAt), by: r.publishedBy, hours: r.noticeHours })
      : t('rulesPublishedAfter', { time: when(r.publishedAt), by: r.publishedBy });

  useEffect(() => {
    document.title = t('appTitle');
  }, [t]);

  return (
    <div className="app transparency-app">
      <header className="topbar">
        <h1>{t('appTitle')}</h1>
        <LangSwitch />
      </header>
      <main>
        <p className="intro">{t('intro')}</p>
        <nav className="toc" aria-label={t('contents')}>
          <a href="#rules-title">{t('rulesTitle')}</a>
          <a href="#history-title">{t('historyTitle')}</a>
          <a href="#stats-title">{t('statsTitle')}</a>
          <a href="#compliance-title">{t('complianceTitle')}</a>
          <a href="#audit-title">{t('auditTitle')}</a>
          <a href="#keys-title">{t('keysTitle')}</a>
          <a href="#risk-title">{t('riskTitle')}</a>
        </nav>

        <Section id="rules" title={t('rulesTitle')}>
          <Loaded load={rules}>
            {(r) => (
              <>
                <p className="lead" data-testid="rules-version">
                  {t('rulesVersion', { version: r.version, time: when(r.effectiveFrom) })}
                </p>
                <p className="hint">{published(r)}</p>
                {r.emergency && <p className="emergency">{t('emergency')}</p>}
                <p>{r.changeNote[lang]}</p>
                {r.document.rules && (
                  <ul className="rules" data-testid="rule-list">
                    {r.document.rules.map((rule) => (
                      <li key={rule.id} data-rule={rule.id}>
                        <p>
                          {rule.colour && <ColourTag colour={rule.colour} />} <code>{rule.id}</code>
                        </p>
                        <p lang="en">{rule.description}</p>
                      </li>
                    ))}
                  </ul>
                )}
                {r.document.parameters && (
                  <details>
                    <summary>{t('parameters')}</summary>
                    <dl className="params">
                      {Object.entries(r.document.parameters).map(([k, v]) => (
                        <div key={k}>
                          <dt>
                            <code>{k}</code>
                          </dt>
                          <dd>{typeof v === 'object' ? JSON.stringify(v) : String(v)}</dd>
                        </div>
                      ))}
                    </dl>
                  </details>
                )}
              </>
            )}
          </Loaded>
        </Section>

        <Section id="history" title={t('historyTitle')}>
          <Loaded load={history}>
            {(h) => (
              <ol className="changelog">
                {h.rulesets.map((r) => (
                  <li key={r.version} data-state={r.state} className={r.emergency ? 'is-emergency' : ''}>
                    <p>
                      <strong>{r.version}</strong> · <span className={`state state-${r.state}`}>{t(`state_${r.state}` as TKey)}</span> ·{' '}
                      {when(r.effectiveFrom)}
                    </p>
                    <p className="hint">{published(r)}</p>
                    {r.emergency && <p className="emergency">{t('emergency')}</p>}
                    <p>{r.changeNote[lang]}</p>
                  </li>
                ))}
              </ol>
            )}
          </Loaded>
        </Section>

        <Section id="stats" title={t('statsTitle')}>
          <Loaded load={stats}>
            {(s) => (
              <>
                <p className="hint">{t('updated', { time: when(s.generatedAt) })}</p>
                <h3>{t('holdersTitle')}</h3>
                <HolderColours holders={s.holders} />
                <h3>{t('overridesTitle')}</h3>
                <p className="hint">{t('overridesExplain')}</p>
                <dl className="stats" data-testid="override-stats">
                  <Stat label={t('total')} value={s.overrides.total} />
                  <Stat label={t('inForce')} value={s.overrides.inForce} />
                  <Stat label={t('proposed')} value={s.overrides.byStatus.proposed ?? 0} />
                  <Stat label={t('approved')} value={s.overrides.byStatus.approved ?? 0} />
                  <Stat label={t('rejected')} value={s.overrides.byStatus.rejected ?? 0} />
                  <Stat label={t('expired')} value={s.overrides.byStatus.expired ?? 0} />
                  <Stat label={t('flagged')} value={s.overrides.flagged} warn />
                </dl>
                {Object.keys(s.overrides.byColour).length > 0 && (
                  <p>
                    {t('byColour')}:{' '}
                    {Object.entries(s.overrides.byColour).map(([c, n]) => (
                      <span key={c} className="inline-count">
                        <ColourTag colour={c} /> {n}
                      </span>
                    ))}
                  </p>
                )}
                {Object.keys(s.overrides.byReasonCode).length > 0 && (
                  <p>
                    {t('byReason')}:{' '}
                    {Object.entries(s.overrides.byReasonCode).map(([c, n]) => (
                      <span key={c} className="inline-count">
                        {codeWord('reason_', c)} <strong>{n}</strong>
                      </span>
                    ))}
                  </p>
                )}
                <h3>{t('appealsTitle')}</h3>
                <dl className="stats" data-testid="appeal-stats">
                  <Stat label={t('total')} value={s.appeals.total} />
                  <Stat label={t('open')} value={s.appeals.open} />
                  <Stat label={t('overdue')} value={s.appeals.overdue} warn />
                  <Stat label={t('upheld')} value={s.appeals.upheld} />
                  <Stat label={t('appealRejected')} value={s.appeals.rejected} />
                  <Stat label={t('decidedLate')} value={s.appeals.decidedLate} warn />
                </dl>
                <h3>{t('alarmsTitle')}</h3>
                {Object.keys(s.alarms).length === 0 ? (
                  <p>{t('noAlarms')}</p>
                ) : (
                  <dl className="stats">
                    {Object.entries(s.alarms).map(([k, n]) => (
                      <Stat key={k} label={codeWord('alarm_', k)} value={n} warn />
                    ))}
                  </dl>
                )}
              </>
            )}
          </Loaded>
        </Section>

        <Section id="compliance" title={t('complianceTitle')}>
          <Loaded load={compliance}>
            {(c) => (
              <>
                <p className="hint">{t('complianceExplain')}</p>
                <p data-testid="compliance-day">{c.day ? t('complianceDay', { day: c.day }) : t('complianceNoDay')}</p>
                <h3>{t('venuesTitle')}</h3>
                <dl className="stats" data-testid="compliance-venues">
                  <Stat label={t('venuesCounted')} value={c.venuesCounted} testId="venues-counted" />
                  <Stat label={t('flaggedVenues')} value={c.flaggedVenues} warn testId="flagged-venues" />
                  <Stat label={t('missedCaseVisits')} value={c.missedCaseVisits} warn testId="missed-case-visits" />
                </dl>
                <h3>{t('noticesTitle')}</h3>
                <dl className="stats" data-testid="compliance-notices">
                  <Stat label={t('noticesIssued')} value={c.notices.issued} testId="notices-issued" />
                  <Stat label={t('noticesAcknowledged')} value={c.notices.acknowledged} testId="notices-acknowledged" />
                  <Stat label={t('noticesOpen')} value={Math.max(0, c.notices.issued - c.notices.acknowledged - c.notices.overdue)} testId="notices-open" />
                  <Stat label={t('noticesOverdue')} value={c.notices.overdue} warn testId="notices-overdue" />
                </dl>
              </>
            )}
          </Loaded>
        </Section>

        <Section id="audit" title={t('auditTitle')}>
          <Loaded load={stats}>
            {(s) => (
              <>
                <p className="hint">{t('auditExplain')}</p>
                <p className="lead">{t('auditHead', { seq: s.auditLog.head.seq })}</p>
                <p className="hash" data-testid="audit-head">
                  <code>{s.auditLog.head.hash}</code>
                </p>
                {s.auditLog.publishedHeads.length > 0 && (
                  <details>
                    <summary>{t('publishedHeads')}</summary>
                    <div className="table-wrap">
                      <table>
                        <thead>
                          <tr>
                            <th scope="col">{t('dayCol')}</th>
                            <th scope="col">{t('entryCol')}</th>
                            <th scope="col">{t('hashCol')}</th>
                          </tr>
                        </thead>
                        <tbody>
                          {s.auditLog.publishedHeads.map((h) => (
                            <tr key={h.day}>
                              <th scope="row">{h.day}</th>
                              <td>{h.seq}</td>
                              <td>
                                <code className="hash">{h.hash}</code>
                              </td>
                            </tr>
                          ))}
                        </tbody>
                      </table>
                    </div>
                  </details>
                )}
              </>
            )}
          </Loaded>
        </Section>

        <Section id="keys" title={t('keysTitle')}>
          <Loaded load={keys}>
            {(k) => (
              <>
                <p className="hint">{t('keysExplain')}</p>
                <p>{t('keysIssued', { issued: when(k.trustList.issuedAt), expires: when(k.trustList.expiresAt) })}</p>
                <ul className="keys">
                  {k.trustList.keys.map((key) => (
                    <li key={key.kid} data-kid={key.kid}>
                      <p>
                        {t('kid')}: <code>{key.kid}</code> · {t('region')} {key.region}
                      </p>
                      <p className="hint">
                        {t('validFrom')} {when(key.validFrom)} · {t('validUntil')} {key.validUntil ? when(key.validUntil) : t('noEnd')}
                      </p>
                      <details>
                        <summary>SPKI</summary>
                        <code className="hash">{key.publicKeySpki}</code>
                      </details>
                    </li>
                  ))}
                </ul>
                {revocations.state === 'ok' && <p data-testid="revocation-count">{t('revocations', { n: revocations.data.revocationList.revoked.length })}</p>}
                <p>
                  <a href="/api/public/trust-list">{t('downloadJws')}</a> · <a href="/api/public/revocations">/api/public/revocations</a>
                </p>
              </>
            )}
          </Loaded>
        </Section>

        <Section id="risk" title={t('riskTitle')}>
          <Loaded load={areas}>
            {(a) => {
              const current = a.areas.filter((x) => x.active);
              const past = a.areas.filter((x) => !x.active);
              const item = (x: RiskArea) => (
                <li key={x.id} className={`area level-${x.level}`} data-active={String(x.active)}>
                  <p>
                    <strong className={`level level-${x.level}`}>{t(x.level === 'high' ? 'level_high' : 'level_medium')}</strong> ·{' '}
                    {x.region ? t('areaRegion', { region: x.region }) : t('areaVenues', { n: x.venueIds?.length ?? 0 })} ·{' '}
                    {x.endsAt ? t('areaFromTo', { from: when(x.startsAt), to: when(x.endsAt) }) : t('areaSince', { time: when(x.startsAt) })}
                  </p>
                  <p className="hint">
                    {t('reasonCol')}: {x.reason}
                  </p>
                  {x.liftedReason && <p className="hint">{t('areaLifted', { reason: x.liftedReason })}</p>}
                </li>
              );
              return (
                <>
                  <h3>{t('current')}</h3>
                  {current.length === 0 ? <p>{t('noCurrent')}</p> : <ul className="areas">{current.map(item)}</ul>}
                  <h3>{t('past')}</h3>
                  {past.length === 0 ? <p>{t('noPast')}</p> : <ul className="areas">{past.map(item)}</ul>}
                </>
              );
            }}
          </Loaded>
        </Section>
      </main>
    </div>
  );
}
