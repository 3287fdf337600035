// Catches a screen that failed to load (its code could not be fetched: offline) or failed to
// render, and says so in plain words with a way to try again, instead of a blank page.
import { Component, type ReactNode } from 'react';
import { useT } from '../shared/i18n.tsx';
import { messages } from './messages.ts';

function Failed() {
  const t = useT(messages);
  return (
    <div className="card" role="alert">
      <p className="error">{t('screenLoadFailed')}</p>
      <button type="button" className="primary" onClick={() => window.location.reload()}>
        {t('retry')}
      </button>
    </div>
  );
}

export class LazyBoundary extends Component<{ children: ReactNode }, { failed: boolean }> {
  override state = { failed: false };
  static getDerivedStateFromError(): { failed: boolean } {
    return { failed: true };
  }
  override render(): ReactNode {
    return this.state.failed ? <Failed /> : this.props.children;
  }
}
