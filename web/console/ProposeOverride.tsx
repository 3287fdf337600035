// Proposing an override (the first of the two people): find the person (by ID document number, or
// from a case, lab result or appeal), read their record with the stated reason, choose a health
// reason from the closed list, a colour that reason allows, an end at most 14 days away and a note.
// The colour changes only when a different supervisor approves (OverrideQueue).
import { useState, type FormEvent } from 'react';
import { MAX_OVERRIDE_DAYS, OVERRIDE_REASONS, OVERRIDE_REASON_CODES, type OverrideReasonCode } from '../../src/features/overrides/model.ts';
import { ApiError, post } from '../shared/api.ts';
import { useLang, useT } from '../shared/i18n.tsx';
import { describeError } from './errors.ts';
import { ColourTag, qs, Status, toLocalInput, useLoad, useRegions, When } from './data.tsx';
import { messages, type ConsoleKey, type T } from './messages.ts';
import { useReason } from './reason.tsx';
import type { FoundHolder, HolderRecord, OverrideRow, StaffInfo } from './types.ts';

const COLOURS = ['green', 'yellow', 'red'] as const;
type OverrideColour = (typeof COLOURS)[number];

export const reasonText = (code: string, t: T) => (code in OVERRIDE_REASONS ? t(`reason_${code}` as ConsoleKey) : code);
export const alarmText = (flag: string, t: T) => (['override_rate', 'override_without_health_facts', 'override_batch'].includes(flag) ? t(`alarm_${flag}` as ConsoleKey) : flag);

const STATUS_KEY: Record<string, ConsoleKey> = { proposed: 'proposed', approved: 'approved', rejected: 'rejected', expired: 'expired' };

function FindHolder({ reason }: { reason: string }) {
  const t = useT(messages);
  const { onUnauthenticated } = useReason();
  const [idNumber, setIdNumber] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const r = await post<{ holder: FoundHolder }>('/api/console/holders/find', { idNumber: idNumber.trim(), reason });
      window.location.hash = `#/overrides/propose/${encodeURIComponent(r.holder.id)}`;
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) onUnauthenticated();
      setError(describeError(err, t, { not_found: 'holderNotFound' }));
    } finally {
      setBusy(false);
    }
  }
  return (
    <form className="card form" onSubmit={submit} aria-labelledby="find-title" data-testid="find-holder">
      <h3 id="find-title">{t('findHolder')}</h3>
      <label>
        {t('idNumber')}
        <input required minLength={4} maxLength={64} autoComplete="off" spellCheck={false} value={idNumber} onChange={(e) => setIdNumber(e.target.value)} aria-describedby="id-hint" />
        <span id="id-hint" className="hint">
          {t('idNumberHint')}
        </span>
      </label>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <button type="submit" className="primary inline-button" disabled={busy}>
        {busy ? t('working') : t('find')}
      </button>
    </form>
  );
}

function ProposalForm({ holder, staff, onProposed }: { holder: HolderRecord['holder']; staff: StaffInfo; onProposed: () => void }) {
  const t = useT(messages);
  const { onUnauthenticated } = useReason();
  const [code, setCode] = useState<OverrideReasonCode>(OVERRIDE_REASON_CODES[0]!);
  const allowed = OVERRIDE_REASONS[code].colours as readonly OverrideColour[];
  const [colour, setColour] = useState<OverrideColour>(allowed[0]!);
  const [until, setUntil] = useState(() => toLocalInput(Date.now() + 7 * 86_400_000));
  const [note, setNote] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [done, setDone] = useState<OverrideRow | null>(null);
  function chooseReason(c: OverrideReasonCode) {
    setCode(c);
    const ok = OVERRIDE_REASONS[c].colours as readonly OverrideColour[];
    if (!ok.includes(colour)) setColour(ok[0]!);
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const end = new Date(until);
      if (Number.isNaN(end.getTime())) throw new ApiError(400, 'invalid_date', '');
      const r = await post<{ override: OverrideRow }>('/api/official/overrides', { holderId: holder.id, colour, reasonCode: code, note: note.trim(), until: end.toISOString() });
      setDone(r.override);
      onProposed();
    } catch (err) {
      if (err instanceof ApiError && err.status === 401) onUnauthenticated();
      setError(describeError(err, t));
    } finally {
      setBusy(false);
    }
  }

  if (done)
    return (
      <div className="card" data-testid="proposal-done">
        <p className="notice ok" role="status">
          {t('proposedOk', { name: staff.displayName })}
        </p>
        <p>
          <ColourTag colour={done.colour} /> — {reasonText(done.reasonCode, t)}; {t('until')}: <When at={done.until} />
        </p>
        {done.flags.length > 0 && (
          <p className="notice error-box" role="alert">
            ⚠ {t('alarmsRaised', { flags: done.flags.map((f) => alarmText(f, t)).join('; ') })}
          </p>
        )}
        <p>
          <a href="#/overrides">{t('overridesTitle')} →</a>
        </p>
      </div>
    );

  return (
    <form className="card form" onSubmit={submit} aria-labelledby="proposal-title" data-testid="proposal-form">
      <h3 id="proposal-title">{t('proposeFor', { name: holder.maskedName })}</h3>
      <label>
        {t('healthReason')}
        <select value={code} onChange={(e) => chooseReason(e.target.value as OverrideReasonCode)}>
          {OVERRIDE_REASON_CODES.map((c) => (
            <option key={c} value={c}>
              {reasonText(c, t)}
            </option>
          ))}
        </select>
      </label>
      <fieldset>
        <legend>{t('newColour')}</legend>
        {COLOURS.map((c) => (
          <label key={c} className="check">
            <input type="radio" name="colour" value={c} checked={colour === c} disabled={!allowed.includes(c)} onChange={() => setColour(c)} /> <ColourTag colour={c} />
            {!allowed.includes(c) && <span className="hint">({t('notForReason')})</span>}
          </label>
        ))}
      </fieldset>
      <label>
        {t('overrideEnds')}
        <input type="datetime-local" required value={until} min={toLocalInput(Date.now())} max={toLocalInput(Date.now() + MAX_OVERRIDE_DAYS * 86_400_000)} onChange={(e) => setUntil(e.target.value)} />
      </label>
      <label>
        {t('overrideNote')}
        <textarea required minLength={10} maxLength={2000} rows={3} value={note} onChange={(e) => setNote(e.target.value)} />
      </label>
      <div className="four-eyes" role="note" aria-labelledby="four-eyes-title">
        <strong id="four-eyes-title">
          {t('fourEyesTitle')}
        </strong>
        <p>{t('fourEyesText')}</p>
      </div>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <button type="submit" className="primary inline-button" disabled={busy}>
        {busy ? t('working') : t('propose')}
      </button>
      <p className="hint">{t('proposedByLine', { name: `${staff.displayName} (${t('you')})` })}</p>
    </form>
  );
}

function HolderPanel({ holderId, staff, reason }: { holderId: string; staff: StaffInfo; reason: string }) {
  const t = useT(messages);
  const { lang } = useLang();
  const { name: regionName } = useRegions();
  const { data, error, loading, reload } = useLoad<HolderRecord>(`/api/official/holders/${encodeURIComponent(holderId)}?${qs({ reason })}`);
  return (
    <>
      <Status loading={loading && !data} error={error} onRetry={reload} />
      {data && (
        <>
          <div className="card" data-testid="holder-record">
            <dl className="facts">
              <div>
                <dt>{t('person')}</dt>
                <dd>{data.holder.maskedName}</dd>
              </div>
              <div>
                <dt>{t('born')}</dt>
                <dd>{data.holder.birthYear}</dd>
              </div>
              <div>
                <dt>{t('idDoc')}</dt>
                <dd>…{data.holder.idLast4}</dd>
              </div>
              <div>
                <dt>{t('district')}</dt>
                <dd>{regionName(data.holder.region)}</dd>
              </div>
              <div>
                <dt>{t('currentColour')}</dt>
                <dd>
                  <ColourTag colour={data.assessment.colour} />
                </dd>
              </div>
            </dl>
            <h4>{t('currentReasons')}</h4>
            {data.assessment.reasons.length === 0 ? (
              <p>{t('noReasons')}</p>
            ) : (
              <ul>
                {data.assessment.reasons.map((r, i) => (
                  <li key={`${r.ruleId}-${i}`}>
                    <ColourTag colour={r.colour} /> {r.text[lang] ?? r.text.en}
                  </li>
                ))}
              </ul>
            )}
            {data.overrides.length > 0 && (
              <>
                <h4>{t('existingOverrides')}</h4>
                <ul>
                  {data.overrides.map((o) => (
                    <li key={o.id}>
                      <ColourTag colour={o.colour} /> {t(STATUS_KEY[o.status] ?? 'proposed')} — {reasonText(o.reasonCode, t)}; {t('until')} <When at={o.until} />
                    </li>
                  ))}
                </ul>
              </>
            )}
          </div>
          <ProposalForm holder={data.holder} staff={staff} onProposed={reload} />
        </>
      )}
    </>
  );
}

export function ProposeOverride({ staff, holderId }: { staff: StaffInfo; holderId: string | null }) {
  const t = useT(messages);
  const { reason } = useReason();
  return (
    <section aria-labelledby="propose-title">
      <p>
        <a href="#/overrides">← {t('overridesTitle')}</a>
      </p>
      <h2 id="propose-title">{t('proposeTitle')}</h2>
      {!reason && <p className="notice">{t('reasonNeeded')}</p>}
      {reason && !holderId && <FindHolder reason={reason} />}
      {reason && holderId && (
        <>
          <p>
            <a href="#/overrides/propose">{t('otherPerson')}</a>
          </p>
          <HolderPanel key={holderId} holderId={holderId} staff={staff} reason={reason} />
        </>
      )}
    </section>
  );
}
