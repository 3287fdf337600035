// Appeals: contest the current colour in writing, with an optional evidence file (PDF, PNG, JPEG);
// the list of one's appeals with their state, deadline, written decision and any colour change.
import { useCallback, useEffect, useId, useRef, useState, type FormEvent } from 'react';
import type { AssessmentView } from '../../../src/contracts/api.ts';
import type { AppealView } from '../../../src/contracts/due-process.ts';
import { get, post } from '../../shared/api.ts';
import { isColour } from '../../shared/colour.ts';
import { postFile } from '../../shared/files.ts';
import { useLang, useT } from '../../shared/i18n.tsx';
import { formatDateTimeIn } from '../../shared/time.ts';
import { ColourChip } from '../ColourChip.tsx';
import { describeError } from '../errors.ts';
import { messages } from '../messages.ts';
import { screenMessages, type ScreenKey } from './messages.ts';
import { formatSize, ScreenFrame, type ScreenProps } from './ScreenFrame.tsx';
import './screens.css';

const ACCEPT = 'application/pdf,image/png,image/jpeg,.pdf,.png,.jpg,.jpeg';
const TYPE_BY_EXTENSION: Record<string, string> = { pdf: 'application/pdf', png: 'image/png', jpg: 'image/jpeg', jpeg: 'image/jpeg' };
const TYPE_WORD: Record<string, string> = { 'application/pdf': 'PDF', 'image/png': 'PNG', 'image/jpeg': 'JPEG' };

/** The file's type as the server checks it (some phones give no type: the extension then). */
function typeOf(file: File): string {
  if (file.type) return file.type;
  return TYPE_BY_EXTENSION[file.name.split('.').pop()?.toLowerCase() ?? ''] ?? 'application/octet-stream';
}

function uploadEvidence(appealId: string, file: File) {
  return postFile(`/api/holder/appeals/${encodeURIComponent(appealId)}/evidence`, file, typeOf(file));
}

const STATUS_ICON: Record<AppealView['status'], string> = { open: '…', upheld: '✓', rejected: '✕' };

export default function AppealsScreen(props: ScreenProps & { assessment: AssessmentView; timeZone?: string }) {
  const t = useT(screenMessages);
  const tm = useT(messages);
  const { lang } = useLang();
  const id = useId();
  const { assessment, timeZone } = props;
  const [appeals, setAppeals] = useState<AppealView[] | null>(null);
  const [listError, setListError] = useState<string | null>(null);
  const [text, setText] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const fileInput = useRef<HTMLInputElement>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const noticeRef = useRef<HTMLParagraphElement>(null);
  useEffect(() => {
    // the form the holder used may be gone (the appeal is open now): bring the answer into view
    if (notice) noticeRef.current?.focus();
  }, [notice]);

  const load = useCallback(async () => {
    try {
      setAppeals((await get<{ appeals: AppealView[] }>('/api/holder/appeals')).appeals);
      setListError(null);
    } catch (err) {
      setListError(describeError(err, tm));
    }
  }, [tm]);
  useEffect(() => {
    void load();
  }, []);

  const open = appeals?.find((a) => a.status === 'open') ?? null;
  const when = (iso: string) => formatDateTimeIn(iso, lang, timeZone);

  function resetFile() {
    setFile(null);
    if (fileInput.current) fileInput.current.value = '';
  }

  async function fileAppeal(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setNotice(null);
    try {
      const { appeal } = await post<{ appeal: AppealView }>('/api/holder/appeals', { text: text.trim(), assessmentId: assessment.id });
      setText('');
      let said = t('appealSent', { time: when(appeal.deadlineAt) });
      if (file) {
        try {
          await uploadEvidence(appeal.id, file);
          said += ` ${t('appealEvidenceSent')}`;
          resetFile();
        } catch (err) {
          // the appeal is filed; only the file failed: say so, and it can be attached below
          setError(describeError(err, tm));
        }
      }
      setNotice(said);
      await load();
    } catch (err) {
      setError(describeError(err, tm));
    } finally {
      setBusy(false);
    }
  }

  async function addEvidence(e: FormEvent) {
    e.preventDefault();
    if (!open || !file) return;
    setBusy(true);
    setError(null);
    setNotice(null);
    try {
      await uploadEvidence(open.id, file);
      resetFile();
      setNotice(t('appealEvidenceSent'));
      await load();
    } catch (err) {
      setError(describeError(err, tm));
    } finally {
      setBusy(false);
    }
  }

  const fileField = (
    <label>
      {open ? t('appealAddEvidence') : t('appealEvidence')}
      <span className="hint">{t('appealEvidenceHint')}</span>
      <input ref={fileInput} type="file" accept={ACCEPT} required={open !== null} onChange={(e) => setFile(e.target.files?.[0] ?? null)} data-testid="evidence-file" />
    </label>
  );
  const feedback = error && (
    <p className="error" role="alert">
      {error}
    </p>
  );

  return (
    <ScreenFrame {...props} name="appeals" title={t('appealsTitle')} back="more">
      <p ref={noticeRef} tabIndex={-1} className="success c-green screen-notice" role="status" data-testid="appeal-notice" hidden={!notice}>
        {notice}
      </p>
      {appeals !== null && open === null && (
        <form className="card form" onSubmit={fileAppeal} aria-labelledby={`${id}-new`}>
          <h3 id={`${id}-new`}>{t('appealsNew')}</h3>
          <p className="hint">{t('appealsIntro')}</p>
          {assessment.colour === 'green' ? (
            <>
              <p className="appeal-green">{t('appealsGreen')}</p>
              {feedback}
            </>
          ) : (
            <>
              <p className="appeal-against">
                {t('appealsAgainst')} <ColourChip colour={assessment.colour} />
              </p>
              <label>
                {t('appealText')}
                <span className="hint" id={`${id}-text-hint`}>
                  {t('appealTextHint')}
                </span>
                <textarea
                  required
                  minLength={10}
                  maxLength={4000}
                  rows={5}
                  value={text}
                  aria-describedby={`${id}-text-hint`}
                  onChange={(e) => setText(e.target.value)}
                />
              </label>
              {fileField}
              {feedback}
              <button type="submit" className="primary" disabled={busy || text.trim().length < 10}>
                {busy ? t('working') : t('appealSubmit')}
              </button>
            </>
          )}
        </form>
      )}

      <section className="card" aria-labelledby={`${id}-list`}>
        <h3 id={`${id}-list`}>{t('appealsListTitle')}</h3>
        {listError && (
          <p className="error" role="alert">
            {listError}
          </p>
        )}
        {appeals === null && !listError && <p>{t('loading')}</p>}
        {appeals?.length === 0 && <p className="hint">{t('appealsEmpty')}</p>}
        {appeals && appeals.length > 0 && (
          <ul className="appeals">
            {appeals.map((a) => (
              <li key={a.id} className={`appeal appeal-${a.status}`} data-testid="appeal" data-status={a.status}>
                <p className="appeal-status">
                  <span className="status-icon" aria-hidden="true">
                    {STATUS_ICON[a.status]}
                  </span>
                  <strong>{t(`status_${a.status}`)}</strong>
                </p>
                <p className="hint">
                  {t('appealFiled', { time: when(a.filedAt) })} · {t('appealColour')} {isColour(a.colour) ? <ColourChip colour={a.colour} /> : a.colour}
                </p>
                {a.status === 'open' && (
                  <p className={a.overdue ? 'overdue' : 'deadline'}>
                    {a.overdue ? (
                      <>
                        <span aria-hidden="true">⚠ </span>
                        {t('appealOverdue')}
                      </>
                    ) : (
                      t('appealDeadline', { time: when(a.deadlineAt) })
                    )}
                  </p>
                )}
                <div className="appeal-text">
                  <span className="label">{t('appealYourText')}</span>
                  <blockquote>{a.text}</blockquote>
                </div>
                {a.decision && (
                  <div className="appeal-decision">
                    <span className="label">{t('appealDecision', { time: when(a.decision.decidedAt) })}</span>
                    <blockquote>{a.decision.reason}</blockquote>
                  </div>
                )}
                {a.override && (
                  <p className="appeal-override">
                    {t('appealOverride', { time: when(a.override.until) })} <ColourChip colour={a.override.colour} /> {t(`override_${a.override.status}` as ScreenKey)}
                  </p>
                )}
                {a.evidence.length > 0 && (
                  <div>
                    <span className="label">{t('appealFiles')}</span>
                    <ul className="evidence">
                      {a.evidence.map((f) => (
                        <li key={f.id}>{t('appealFileItem', { type: TYPE_WORD[f.contentType] ?? f.contentType, size: formatSize(f.size), time: when(f.uploadedAt) })}</li>
                      ))}
                    </ul>
                  </div>
                )}
                {a.status === 'open' && open?.id === a.id && (
                  <form className="form evidence-form" onSubmit={addEvidence}>
                    {fileField}
                    {feedback}
                    <button type="submit" className="primary" disabled={busy || !file}>
                      {busy ? t('working') : t('appealUpload')}
                    </button>
                  </form>
                )}
              </li>
            ))}
          </ul>
        )}
      </section>
    </ScreenFrame>
  );
}
