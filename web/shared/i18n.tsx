// Tiny i18n: two languages, a message table per app, the choice remembered in localStorage;
// before anyone chooses, the browser's own language decides (Chinese if it prefers any Chinese).
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';

export type Lang = 'en' | 'zh-CN';
export const LANGS: readonly Lang[] = ['en', 'zh-CN'];
const STORAGE_KEY = 'hc.lang';

export type Messages = Record<string, string>;
export type MessageTable<K extends string> = { en: Record<K, string>; 'zh-CN': Record<K, string> };

/** The first of the browser's languages that we have: Chinese of any region, or English. */
export function browserLang(preferred: readonly string[]): Lang {
  for (const l of preferred) {
    const tag = l.toLowerCase();
    if (tag === 'zh' || tag.startsWith('zh-')) return 'zh-CN';
    if (tag === 'en' || tag.startsWith('en-')) return 'en';
  }
  return 'en';
}

function storedLang(): Lang {
  try {
    const v = localStorage.getItem(STORAGE_KEY);
    if (v === 'en' || v === 'zh-CN') return v;
  } catch {
    // storage unavailable (private mode): fall back to the browser's language
  }
  return browserLang(typeof navigator === 'undefined' ? [] : navigator.languages?.length ? navigator.languages : [navigator.language]);
}

/** Replace `{name}` placeholders with values. */
export function format(template: string, vars?: Record<string, string | number>): string {
  if (!vars) return template;
  return template.replace(/\{(\w+)\}/g, (m, k: string) => (k in vars ? String(vars[k]) : m));
}

interface LangState {
  lang: Lang;
  setLang: (l: Lang) => void;
}

const LangContext = createContext<LangState>({ lang: 'en', setLang: () => {} });

export function LangProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Lang>(storedLang);
  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);
  const setLang = useCallback((l: Lang) => {
    setLangState(l);
    try {
      localStorage.setItem(STORAGE_KEY, l);
    } catch {
      // ignore
    }
  }, []);
  const value = useMemo(() => ({ lang, setLang }), [lang, setLang]);
  return <LangContext.Provider value={value}>{children}</LangContext.Provider>;
}

export function useLang(): LangState {
  return useContext(LangContext);
}

/** A translator bound to the current language and one message table. */
export function useT<K extends string>(table: MessageTable<K>): (key: K, vars?: Record<string, string | number>) => string {
  const { lang } = useLang();
  return useCallback((key: K, vars?: Record<string, string | number>) => format(table[lang][key], vars), [lang, table]);
}

/** BCP 47 locale for Intl formatting. */
export function locale(lang: Lang): string {
  return lang === 'zh-CN' ? 'zh-CN' : 'en-GB';
}
