// "More": the holder's other screens, each with a line saying what it is for.
import { useT } from '../../shared/i18n.tsx';
import { messages } from '../messages.ts';
import type { Screen } from '../navigation.ts';
import { screenMessages, type ScreenKey } from './messages.ts';
import { ScreenFrame, type ScreenProps } from './ScreenFrame.tsx';
import './screens.css';

// 24×24 outline icons (stroke), decorative: each item is named in words
const ICON = {
  tests: 'M9 3h6M10 3v6L5 19a1.5 1.5 0 0 0 1.3 2h11.4a1.5 1.5 0 0 0 1.3-2L14 9V3M7.5 15h9',
  appeals: 'M12 3v18M7 21h10M4 7h16M6 7l-3 7a3 3 0 0 0 6 0zM18 7l-3 7a3 3 0 0 0 6 0z',
  access: 'M2 12s3.5-7 10-7 10 7 10 7-3.5 7-10 7S2 12 2 12zM12 9a3 3 0 1 0 0 6 3 3 0 0 0 0-6z',
  data: 'M12 3v12M7 10l5 5 5-5M4 17v3h16v-3',
} as const;

const ITEMS: { screen: Screen & keyof typeof ICON; title: ScreenKey; hint: ScreenKey }[] = [
  { screen: 'tests', title: 'moreTests', hint: 'moreTestsHint' },
  { screen: 'appeals', title: 'moreAppeals', hint: 'moreAppealsHint' },
  { screen: 'access', title: 'moreAccess', hint: 'moreAccessHint' },
  { screen: 'data', title: 'moreData', hint: 'moreDataHint' },
];

export default function MoreScreen(props: ScreenProps & { onLogOut: () => void }) {
  const t = useT(screenMessages);
  const tm = useT(messages);
  return (
    <ScreenFrame {...props} name="more" title={t('moreTitle')}>
      <ul className="menu card">
        {ITEMS.map((item) => (
          <li key={item.screen}>
            <a
              href={`#${item.screen}`}
              onClick={(e) => {
                e.preventDefault();
                props.go(item.screen);
              }}
            >
              <span className="menu-icon" aria-hidden="true">
                <svg viewBox="0 0 24 24" width="26" height="26" focusable="false">
                  <path d={ICON[item.screen]} />
                </svg>
              </span>
              <span className="menu-text">
                <span className="menu-title">{t(item.title)}</span>
                <span className="menu-hint">{t(item.hint)}</span>
              </span>
              <span className="menu-chevron" aria-hidden="true">
                ›
              </span>
            </a>
          </li>
        ))}
      </ul>
      <div className="footer-actions">
        <button type="button" className="secondary" onClick={props.onLogOut}>
          {tm('logOut')}
        </button>
      </div>
    </ScreenFrame>
  );
}
