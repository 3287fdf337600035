// The frame of a secondary screen: its heading (which takes the keyboard focus when the holder
// moved here from another screen) and, for screens under "More", a way back.
import { useEffect, useRef, type ReactNode } from 'react';
import { useT } from '../../shared/i18n.tsx';
import type { Screen } from '../navigation.ts';
import { screenMessages } from './messages.ts';

export interface ScreenProps {
  go: (s: Screen) => void;
  focusHeading: boolean;
}

export function ScreenFrame({
  name,
  title,
  back,
  focusHeading,
  go,
  children,
}: ScreenProps & { name: string; title: string; back?: Screen; children: ReactNode }) {
  const t = useT(screenMessages);
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (focusHeading) heading.current?.focus();
    // on arrival only
  }, []);
  return (
    <section className={`screen screen-${name}`} aria-labelledby={`${name}-title`} data-testid={`screen-${name}`}>
      <div className="screen-head">
        {back && (
          <button type="button" className="back" onClick={() => go(back)}>
            <span aria-hidden="true">‹ </span>
            {t('back')}
          </button>
        )}
        <h2 id={`${name}-title`} ref={heading} tabIndex={-1}>
          {title}
        </h2>
      </div>
      {children}
    </section>
  );
}

/** Bytes in words: "1.2 MB", "340 kB". */
export function formatSize(bytes: number): string {
  if (bytes >= 1_000_000) return `${(bytes / 1_000_000).toFixed(1)} MB`;
  if (bytes >= 1000) return `${Math.round(bytes / 1000)} kB`;
  return `${bytes} B`;
}
