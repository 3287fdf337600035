// Large print and high contrast for the holder app: a toggle in the top bar that sets the
// `large-print` class on <html> (styles in large-print.css), remembered on this device.
import { useEffect, useState } from 'react';
import { useT, type MessageTable } from '../shared/i18n.tsx';
import './large-print.css';

const STORAGE_KEY = 'hc.largePrint';
const messages: MessageTable<'largePrint'> = {
  en: { largePrint: 'Large print, high contrast' },
  'zh-CN': { largePrint: '大字体、高对比度' },
};

function stored(): boolean {
  try {
    return localStorage.getItem(STORAGE_KEY) === '1';
  } catch {
    return false;
  }
}

export function LargePrintToggle() {
  const t = useT(messages);
  const [on, setOn] = useState<boolean>(stored);
  useEffect(() => {
    document.documentElement.classList.toggle('large-print', on);
    try {
      localStorage.setItem(STORAGE_KEY, on ? '1' : '0');
    } catch {
      // storage unavailable: the choice lasts for this page only
    }
  }, [on]);
  return (
    <button type="button" className="large-print-toggle secondary" aria-pressed={on} onClick={() => setOn((v) => !v)} data-testid="large-print">
      <span aria-hidden="true">A+ </span>
      {t('largePrint')}
    </button>
  );
}
