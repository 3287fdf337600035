import { useLang, type Lang } from './i18n.tsx';

const LABELS: Record<Lang, string> = { en: 'English', 'zh-CN': '中文' };

/** A two-button language switch; the active language is marked with aria-pressed. */
export function LangSwitch() {
  const { lang, setLang } = useLang();
  return (
    <div className="lang-switch" role="group" aria-label="Language / 语言">
      {(Object.keys(LABELS) as Lang[]).map((l) => (
        <button
          key={l}
          type="button"
          lang={l}
          aria-pressed={lang === l}
          className={lang === l ? 'active' : ''}
          onClick={() => setLang(l)}
        >
          {LABELS[l]}
        </button>
      ))}
    </div>
  );
}
