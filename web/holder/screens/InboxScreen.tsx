// The inbox: a message whenever the colour changed (and why), newest first. Unread messages are
// marked "New" in words and bold, and can be marked read one by one or all at once.
import { useCallback, useEffect, useState } from 'react';
import { post, get } from '../../shared/api.ts';
import { isColour } from '../../shared/colour.ts';
import { useLang, useT } from '../../shared/i18n.tsx';
import { formatDateTimeIn } from '../../shared/time.ts';
import { ColourChip } from '../ColourChip.tsx';
import { describeError } from '../errors.ts';
import { messages } from '../messages.ts';
import type { InboxMessage, InboxView } from '../types.ts';
import { screenMessages } from './messages.ts';
import { ScreenFrame, type ScreenProps } from './ScreenFrame.tsx';
import './screens.css';

export default function InboxScreen(props: ScreenProps & { onUnread: (n: number) => void; timeZone?: string }) {
  const t = useT(screenMessages);
  const tm = useT(messages);
  const { lang } = useLang();
  const { onUnread } = props;
  const [list, setList] = useState<InboxMessage[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);

  const load = useCallback(async () => {
    setError(null);
    try {
      const r = await get<InboxView>('/api/holder/inbox');
      setList(r.messages);
      onUnread(r.unread);
    } catch (err) {
      setError(describeError(err, tm));
    }
  }, [onUnread, tm]);

  useEffect(() => {
    void load();
  }, []);

  const unread = list?.filter((m) => !m.read).length ?? 0;
  useEffect(() => {
    if (list) onUnread(unread);
  }, [list, unread, onUnread]);

  async function markRead(ids: string[]) {
    setBusy(ids.length === 1 ? ids[0]! : 'all');
    setError(null);
    try {
      for (const id of ids) {
        await post(`/api/holder/inbox/${encodeURIComponent(id)}/read`);
        setList((prev) => prev?.map((m) => (m.id === id ? { ...m, read: true } : m)) ?? prev);
      }
    } catch (err) {
      setError(describeError(err, tm));
    } finally {
      setBusy(null);
    }
  }

  return (
    <ScreenFrame {...props} name="inbox" title={t('inboxTitle')}>
      <div className="card">
        {error && (
          <div role="alert">
            <p className="error">{error}</p>
            <button type="button" className="secondary" onClick={() => void load()}>
              {t('retry')}
            </button>
          </div>
        )}
        {list === null && !error && <p>{t('loading')}</p>}
        {list !== null && (
          <>
            <div className="inbox-head">
              <p className="inbox-count" role="status">
                {list.length === 0 ? t('inboxEmpty') : unread > 0 ? t('inboxUnread', { n: unread }) : t('inboxAllRead')}
              </p>
              {unread > 1 && (
                <button type="button" className="secondary" disabled={busy !== null} onClick={() => void markRead(list.filter((m) => !m.read).map((m) => m.id))}>
                  {t('inboxMarkAll')}
                </button>
              )}
            </div>
            <ul className="messages">
              {list.map((m) => (
                <li key={m.id} className={`message ${m.read ? 'read' : 'unread'}`} data-testid="inbox-message" data-read={m.read}>
                  <div className="message-head">
                    <span className={`message-state ${m.read ? '' : 'new'}`}>{m.read ? t('inboxRead') : t('inboxNew')}</span>
                    <time dateTime={m.at}>{formatDateTimeIn(m.at, lang, props.timeZone)}</time>
                  </div>
                  <h3 className="message-title">{m.title[lang]}</h3>
                  {isColour(m.colour) && (
                    <p className="message-colour">
                      <span className="visually-hidden">{t('inboxColour')} </span>
                      <ColourChip colour={m.colour} />
                    </p>
                  )}
                  <p className="message-body">{m.body[lang]}</p>
                  {!m.read && (
                    <button type="button" className="secondary" disabled={busy !== null} onClick={() => void markRead([m.id])}>
                      {busy === m.id ? t('working') : t('inboxMarkRead')}
                    </button>
                  )}
                </li>
              ))}
            </ul>
          </>
        )}
      </div>
    </ScreenFrame>
  );
}
