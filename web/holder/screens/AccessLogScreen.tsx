// Who accessed my record: every staff read or change of it, newest first — the role, a code that
// stays the same for that person, when, what they did (in words) and the reason they gave.
import type { Static } from '@sinclair/typebox';
import { useCallback, useEffect, useState } from 'react';
import type { AccessLogEntry } from '../../../src/contracts/due-process.ts';
import { get } from '../../shared/api.ts';
import { useLang, useT } from '../../shared/i18n.tsx';
import { formatDateTimeIn } from '../../shared/time.ts';
import { describeError } from '../errors.ts';
import { messages } from '../messages.ts';
import { screenMessages, type ScreenKey } from './messages.ts';
import { ScreenFrame, type ScreenProps } from './ScreenFrame.tsx';
import './screens.css';

type Entry = Static<typeof AccessLogEntry>;

const ROLES = new Set(['official', 'supervisor', 'auditor', 'operator', 'checkpoint_operator', 'venue_manager']);

const ACTIONS: Record<string, ScreenKey> = {
  'holder.read': 'action_holder_read',
  'appeal.read': 'action_appeal_read',
  'appeal.evidence.read': 'action_appeal_evidence_read',
  'appeal.decide': 'action_appeal_decide',
  'override.propose': 'action_override_propose',
  'override.approve': 'action_override_approve',
  'override.reject': 'action_override_reject',
  'case.read': 'action_case_read',
  'holder.id_lookup': 'action_id_lookup',
  'holder.id_lookup_refused': 'action_id_lookup_refused',
};

/** The action in words: the known ones by name, the console's reads, else a read or a change (an HTTP route). */
function actionKey(action: string): ScreenKey {
  const known = ACTIONS[action];
  if (known) return known;
  if (action.startsWith('console.')) return 'action_console';
  if (/^(GET|HEAD) /.test(action)) return 'action_read';
  if (/^(POST|PUT|PATCH|DELETE) /.test(action)) return 'action_write';
  return 'action_other';
}

export default function AccessLogScreen(props: ScreenProps & { timeZone?: string }) {
  const t = useT(screenMessages);
  const tm = useT(messages);
  const { lang } = useLang();
  const [entries, setEntries] = useState<Entry[] | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(async () => {
    setError(null);
    try {
      setEntries((await get<{ entries: Entry[] }>('/api/holder/access-log')).entries);
    } catch (err) {
      setError(describeError(err, tm));
    }
  }, [tm]);
  useEffect(() => {
    void load();
  }, []);

  return (
    <ScreenFrame {...props} name="access" title={t('accessTitle')} back="more">
      <div className="card">
        <p className="hint">{t('accessIntro')}</p>
        {error && (
          <div role="alert">
            <p className="error">{error}</p>
            <button type="button" className="secondary" onClick={() => void load()}>
              {t('retry')}
            </button>
          </div>
        )}
        {entries === null && !error && <p>{t('loading')}</p>}
        {entries?.length === 0 && <p data-testid="access-empty">{t('accessEmpty')}</p>}
        {entries && entries.length > 0 && (
          <ol className="access-log">
            {entries.map((e, i) => (
              <li key={`${e.at}-${i}`} className="access-entry" data-testid="access-entry">
                <p className="access-who">
                  <strong>{t(ROLES.has(e.role) ? (`role_${e.role}` as ScreenKey) : 'role_other')}</strong>{' '}
                  <span className="pseudonym" translate="no">
                    {e.official}
                  </span>
                </p>
                <p className="access-what">
                  {t(actionKey(e.action))} · <time dateTime={e.at}>{formatDateTimeIn(e.at, lang, props.timeZone)}</time>
                </p>
                <p className="access-reason">
                  <span className="label">{t('accessReason')}</span> {e.reason ? <q>{e.reason}</q> : <em>{t('accessNoReason')}</em>}
                </p>
                <p className="meta">{t('accessRef', { action: e.action })}</p>
              </li>
            ))}
          </ol>
        )}
      </div>
    </ScreenFrame>
  );
}
