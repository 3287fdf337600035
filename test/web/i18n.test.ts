import { describe, expect, it } from 'vitest';
import { browserLang } from '../../web/shared/i18n.tsx';

describe('the language before anyone chooses', () => {
  it("follows the browser: Chinese of any region, else English; the first language we have wins", () => {
    expect(browserLang(['zh-CN', 'en'])).toBe('zh-CN');
    expect(browserLang(['zh-TW'])).toBe('zh-CN');
    expect(browserLang(['ZH'])).toBe('zh-CN');
    expect(browserLang(['en-GB', 'zh-CN'])).toBe('en');
    expect(browserLang(['fr-FR', 'zh-HK', 'en'])).toBe('zh-CN');
    expect(browserLang(['fr-FR', 'de'])).toBe('en');
    expect(browserLang([])).toBe('en');
  });
});
