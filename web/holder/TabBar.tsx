// The holder app's main menu: a bar of four tabs at the bottom of the screen (thumb reach on a
// phone). Each tab has an icon and a word; the open one is marked with aria-current and a bar,
// not by colour alone; the inbox tab carries the unread count as a number.
import type { ReactNode } from 'react';
import { useT } from '../shared/i18n.tsx';
import { messages, type HolderKey } from './messages.ts';
import { MORE_SCREENS, type Screen } from './navigation.ts';

const ICONS: Record<'code' | 'inbox' | 'visit' | 'more', ReactNode> = {
  code: (
    <path d="M3 3h7v7H3zM5 5v3h3V5zM14 3h7v7h-7zm2 2v3h3V5zM3 14h7v7H3zm2 2v3h3v-3zM14 14h3v3h-3zM18 18h3v3h-3zM14 19h3v2h-3zM19 14h2v3h-2z" />
  ),
  inbox: <path d="M3 5h18a1 1 0 0 1 1 1v12a1 1 0 0 1-1 1H3a1 1 0 0 1-1-1V6a1 1 0 0 1 1-1zm1 2.4V17h16V7.4l-8 5.3zM5.2 7 12 11.5 18.8 7z" />,
  visit: (
    <path d="M2 2h6v2H4v4H2zM16 2h6v6h-2V4h-4zM2 16h2v4h4v2H2zM20 16h2v6h-6v-2h4zM7 7h4v4H7zM13 7h4v4h-4zM7 13h4v4H7zM13 13h4v4h-4z" />
  ),
  more: <path d="M5 10a2 2 0 1 1 0 4 2 2 0 0 1 0-4zm7 0a2 2 0 1 1 0 4 2 2 0 0 1 0-4zm7 0a2 2 0 1 1 0 4 2 2 0 0 1 0-4z" />,
};

const TABS: { tab: keyof typeof ICONS; label: HolderKey }[] = [
  { tab: 'code', label: 'navCode' },
  { tab: 'inbox', label: 'navInbox' },
  { tab: 'visit', label: 'navVisit' },
  { tab: 'more', label: 'navMore' },
];

export function TabBar({ screen, go, unread }: { screen: Screen; go: (s: Screen) => void; unread: number }) {
  const t = useT(messages);
  const activeTab = MORE_SCREENS.includes(screen) ? 'more' : screen;
  return (
    <nav className="tabbar" aria-label={t('navLabel')}>
      <ul>
        {TABS.map(({ tab, label }) => (
          <li key={tab}>
            <a
              href={tab === 'code' ? '#' : `#${tab}`}
              aria-current={activeTab === tab ? 'page' : undefined}
              data-testid={`tab-${tab}`}
              onClick={(e) => {
                e.preventDefault();
                go(tab);
              }}
            >
              <span className="tab-icon">
                <svg viewBox="0 0 24 24" width="24" height="24" aria-hidden="true" focusable="false">
                  {ICONS[tab]}
                </svg>
                {tab === 'inbox' && unread > 0 && (
                  <span className="badge" aria-hidden="true" data-testid="unread-badge">
                    {unread > 99 ? '99+' : unread}
                  </span>
                )}
              </span>
              <span className="tab-label">{t(label)}</span>
              {tab === 'inbox' && unread > 0 && <span className="visually-hidden">, {t('unreadCount', { n: unread })}</span>}
            </a>
          </li>
        ))}
      </ul>
    </nav>
  );
}
