import { useState, type FormEvent, type KeyboardEvent } from 'react';
import { useT } from '../shared/i18n.tsx';
import { unlockAudio } from './beep.ts';
import { messages } from './messages.ts';

/** Paste or type a code (e.g. from a hand-held scanner gun or when the camera is unavailable). */
export function ManualEntry({ busy, onSubmit }: { busy: boolean; onSubmit: (code: string) => Promise<boolean> }) {
  const t = useT(messages);
  const [text, setText] = useState('');

  async function submit(e?: FormEvent) {
    e?.preventDefault();
    unlockAudio();
    const code = text.trim();
    if (!code || busy) return;
    if (await onSubmit(code)) setText('');
  }

  // Enter submits (codes contain no newlines; scanner guns end with Enter); Shift+Enter is a newline.
  function onKeyDown(e: KeyboardEvent<HTMLTextAreaElement>) {
    if (e.key === 'Enter' && !e.shiftKey) {
      e.preventDefault();
      void submit();
    }
  }

  return (
    <form className="card form manual" onSubmit={submit} aria-labelledby="manual-title">
      <h2 id="manual-title">{t('manualTitle')}</h2>
      <label>
        {t('manualLabel')}
        <textarea
          id="manual-code"
          name="code"
          rows={3}
          spellCheck={false}
          autoCapitalize="none"
          autoCorrect="off"
          value={text}
          onChange={(e) => setText(e.target.value)}
          onKeyDown={onKeyDown}
        />
      </label>
      <button type="submit" className="primary" disabled={busy || text.trim() === ''}>
        {busy ? t('checking') : t('check')}
      </button>
    </form>
  );
}
