import { useEffect, useState } from 'react';
import { get } from '../shared/api.ts';
import { useLang, useT } from '../shared/i18n.tsx';
import { formatDue } from '../shared/time.ts';
import { messages } from './messages.ts';
import type { RulesetSummary } from './types.ts';

/** "Rules in force: 2026.11.1" linking to the published rules, and any published rules not yet in force. */
export function RulesLink({ fallbackVersion, timeZone, now }: { fallbackVersion: string; timeZone?: string; now: number }) {
  const t = useT(messages);
  const { lang } = useLang();
  const [rulesets, setRulesets] = useState<RulesetSummary[] | null>(null);

  useEffect(() => {
    let cancelled = false;
    get<{ rulesets: RulesetSummary[] }>('/api/public/rules/history')
      .then((r) => {
        if (!cancelled) setRulesets(r.rulesets);
      })
      .catch(() => {
        // the assessment's version stands in
      });
    return () => {
      cancelled = true;
    };
  }, []);

  const inForce = rulesets?.find((r) => r.state === 'in_force')?.version ?? fallbackVersion;
  const upcoming = (rulesets ?? []).filter((r) => r.state === 'upcoming').sort((a, b) => a.effectiveFrom.localeCompare(b.effectiveFrom));
  return (
    <footer className="rules-link" data-testid="rules-link">
      <a href="/api/public/rules">{t('rulesInForce', { v: inForce })}</a>
      {upcoming.map((r) => (
        <p key={r.version} className="meta">
          <a href={`/api/public/rules/${encodeURIComponent(r.version)}`}>
            {t('rulesUpcoming', { v: r.version, time: formatDue(r.effectiveFrom, lang, timeZone, now) })}
          </a>{' '}
          — {r.changeNote[lang]}
        </p>
      ))}
    </footer>
  );
}
