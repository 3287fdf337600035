// My data: download everything stored about me (GET /api/holder/export, saved as a file), and ask
// for deletion with a clear confirm step; once asked, when it will be applied and why it waits.
import type { Static } from '@sinclair/typebox';
import { useEffect, useId, useRef, useState } from 'react';
import type { DeletionRequestView } from '../../../src/contracts/due-process.ts';
import { ApiError, get, post } from '../../shared/api.ts';
import { downloadFile } from '../../shared/files.ts';
import { useLang, useT } from '../../shared/i18n.tsx';
import { formatDateTimeIn } from '../../shared/time.ts';
import { describeError } from '../errors.ts';
import { messages } from '../messages.ts';
import { screenMessages, type ScreenKey } from './messages.ts';
import { ScreenFrame, type ScreenProps } from './ScreenFrame.tsx';
import './screens.css';

type Deletion = Static<typeof DeletionRequestView>;

/** The server states why a deletion waits in English sentences; these are the ones it writes (src/features/retention/service.ts). */
function holdKey(text: string): ScreenKey | null {
  if (text.startsWith('your code is')) return 'hold_measure_in_force';
  if (text.startsWith('lab results, exposures')) return 'hold_health_records_kept';
  if (text.startsWith('an appeal of yours')) return 'hold_appeal_open';
  if (text.startsWith('an override')) return 'hold_override_active';
  return null;
}

export default function MyDataScreen(props: ScreenProps & { timeZone?: string }) {
  const t = useT(screenMessages);
  const tm = useT(messages);
  const { lang } = useLang();
  const id = useId();
  const when = (iso: string) => formatDateTimeIn(iso, lang, props.timeZone);

  const [exporting, setExporting] = useState(false);
  const [exported, setExported] = useState<string | null>(null);
  const [exportError, setExportError] = useState<string | null>(null);

  const [deletion, setDeletion] = useState<Deletion | null | undefined>(undefined); // undefined: loading
  const [loadError, setLoadError] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [understood, setUnderstood] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const [deleteError, setDeleteError] = useState<string | null>(null);
  const confirmHeading = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    get<{ deletion: Deletion }>('/api/holder/deletion-request')
      .then((r) => setDeletion(r.deletion))
      .catch((err) => {
        if (err instanceof ApiError && err.status === 404) setDeletion(null);
        else setLoadError(describeError(err, tm));
      });
  }, []);

  useEffect(() => {
    if (confirming) confirmHeading.current?.focus();
  }, [confirming]);

  async function download() {
    setExporting(true);
    setExportError(null);
    setExported(null);
    try {
      const name = await downloadFile('/api/holder/export', `healthcode-export-${new Date().toISOString().slice(0, 10)}.json`);
      setExported(name);
    } catch (err) {
      setExportError(describeError(err, tm));
    } finally {
      setExporting(false);
    }
  }

  async function requestDeletion() {
    setDeleting(true);
    setDeleteError(null);
    try {
      const r = await post<{ deletion: Deletion }>('/api/holder/deletion-request');
      setDeletion(r.deletion);
      setConfirming(false);
    } catch (err) {
      setDeleteError(describeError(err, tm));
    } finally {
      setDeleting(false);
    }
  }

  return (
    <ScreenFrame {...props} name="data" title={t('dataTitle')} back="more">
      <section className="card" aria-labelledby={`${id}-export`}>
        <h3 id={`${id}-export`}>{t('exportTitle')}</h3>
        <p className="hint">{t('exportIntro')}</p>
        {exportError && (
          <p className="error" role="alert">
            {exportError}
          </p>
        )}
        {exported && (
          <p className="success c-green" role="status" data-testid="export-done">
            {t('exportDone', { name: exported })}
          </p>
        )}
        <button type="button" className="primary" disabled={exporting} onClick={() => void download()}>
          {exporting ? t('working') : t('exportButton')}
        </button>
      </section>

      <section className="card danger-zone" aria-labelledby={`${id}-delete`} data-testid="deletion">
        <h3 id={`${id}-delete`}>{t('deleteTitle')}</h3>
        {deletion === undefined && !loadError && <p>{t('loading')}</p>}
        {loadError && (
          <p className="error" role="alert">
            {loadError}
          </p>
        )}
        {deletion && (
          <div role="status" data-testid="deletion-status">
            <p>
              <strong>{t('deleteRequested', { time: when(deletion.requestedAt) })}</strong>
            </p>
            <p>
              {deletion.appliedAt
                ? t('deleteApplied', { time: when(deletion.appliedAt) })
                : Date.parse(deletion.applyAfter) <= Date.parse(deletion.requestedAt)
                  ? t('deleteApplyNow')
                  : t('deleteApplyAfter', { time: when(deletion.applyAfter) })}
            </p>
            {deletion.holdReasons.length > 0 && (
              <>
                <p className="label">{t('deleteHolds')}</p>
                <ul>
                  {deletion.holdReasons.map((r) => {
                    const k = holdKey(r);
                    return <li key={r}>{k ? t(k) : r}</li>;
                  })}
                </ul>
              </>
            )}
          </div>
        )}
        {deletion === null && !confirming && (
          <>
            <p className="hint">{t('deleteIntro')}</p>
            <button type="button" className="danger" onClick={() => setConfirming(true)}>
              {t('deleteAsk')}
            </button>
          </>
        )}
        {deletion === null && confirming && (
          <div className="confirm-box" role="group" aria-labelledby={`${id}-confirm`}>
            <h4 id={`${id}-confirm`} ref={confirmHeading} tabIndex={-1}>
              <span aria-hidden="true">⚠ </span>
              {t('deleteConfirmTitle')}
            </h4>
            <p>{t('deleteConfirmText')}</p>
            <label className="check">
              <input type="checkbox" checked={understood} onChange={(e) => setUnderstood(e.target.checked)} />
              {t('deleteUnderstand')}
            </label>
            {deleteError && (
              <p className="error" role="alert">
                {deleteError}
              </p>
            )}
            <div className="button-row">
              <button type="button" className="danger" disabled={!understood || deleting} onClick={() => void requestDeletion()}>
                {deleting ? t('working') : t('deleteConfirm')}
              </button>
              <button
                type="button"
                className="secondary"
                disabled={deleting}
                onClick={() => {
                  setConfirming(false);
                  setUnderstood(false);
                  setDeleteError(null);
                }}
              >
                {t('deleteKeep')}
              </button>
            </div>
          </div>
        )}
      </section>
    </ScreenFrame>
  );
}
