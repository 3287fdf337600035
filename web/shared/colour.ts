// Colour helpers shared by both apps. The colour is never the only signal:
// every colour also has a word and a shape.
import type { Colour } from '../../src/contracts/api.ts';
import type { Lang } from './i18n.tsx';

export type { Colour };

export const COLOUR_ICON: Record<Colour, string> = { green: '✓', yellow: '!', red: '✕', grey: '?' };

const WORDS: Record<Lang, Record<Colour, string>> = {
  en: { green: 'GREEN', yellow: 'YELLOW', red: 'RED', grey: 'GREY' },
  'zh-CN': { green: '绿码', yellow: '黄码', red: '红码', grey: '灰码' },
};

const MEANING: Record<Lang, Record<Colour, string>> = {
  en: {
    green: 'You may pass',
    yellow: 'Home observation',
    red: 'Quarantine / isolation',
    grey: 'Cannot be assessed',
  },
  'zh-CN': { green: '可以通行', yellow: '居家观察', red: '隔离', grey: '无法评估' },
};

export function colourWord(c: Colour, lang: Lang): string {
  return WORDS[lang][c];
}

export function colourMeaning(c: Colour, lang: Lang): string {
  return MEANING[lang][c];
}

export function isColour(v: unknown): v is Colour {
  return v === 'green' || v === 'yellow' || v === 'red' || v === 'grey';
}
