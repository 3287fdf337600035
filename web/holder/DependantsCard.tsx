// The "Dependants" card: people this holder is a guardian of (children, elderly relatives without a
// phone). Add one with their own ID document; for each, show their live code, check in for them, and
// print their paper code. Someone already registered by another guardian: the answer says so and
// offers to ask to be added (the existing guardian or an official confirms).
import { useCallback, useEffect, useId, useState, type FormEvent } from 'react';
import type { AssessmentView, CodeView, Colour } from '../../src/contracts/api.ts';
import { ApiError, get, post } from '../shared/api.ts';
import { useT, type MessageTable } from '../shared/i18n.tsx';
import { ColourChip } from './ColourChip.tsx';
import type { Region } from './useRegions.ts';

const en = {
  title: 'Dependants',
  intro: 'Children or elderly relatives without a phone: you manage their declarations, check-ins and codes.',
  none: 'No dependants yet.',
  add: 'Add a dependant',
  name: 'Their full name',
  idNumber: 'Their ID document number',
  dateOfBirth: 'Their date of birth',
  region: 'Their home district',
  chooseRegion: 'Choose a district…',
  relationship: 'Your relationship to them',
  save: 'Add dependant',
  working: 'Please wait…',
  showCode: 'Show code of {name}',
  hideCode: 'Hide code of {name}',
  checkIn: 'Check in for {name}',
  checkedIn: 'Checked in for {name} today.',
  printPaper: 'Print paper code for {name}',
  paperReady: 'Paper code ready: open the PDF for {name}',
  codeOf: 'Live code of {name}',
  validUntil: 'valid until {time}',
  askToJoin: 'Ask to be added as their guardian',
  requested: 'Request sent. The existing guardian or a health official will confirm it.',
  error: 'Could not do that: {message}',
  guardians: '{n} guardian(s)',
  born: 'born {year}',
};
const zh: typeof en = {
  title: '被监护人',
  intro: '没有手机的儿童或老人：由您为其申报、打卡并出示健康码。',
  none: '还没有被监护人。',
  add: '添加被监护人',
  name: '其姓名',
  idNumber: '其身份证件号码',
  dateOfBirth: '其出生日期',
  region: '其居住区',
  chooseRegion: '请选择…',
  relationship: '您与其关系',
  save: '添加',
  working: '请稍候…',
  showCode: '出示{name}的健康码',
  hideCode: '隐藏{name}的健康码',
  checkIn: '为{name}打卡',
  checkedIn: '今天已为{name}打卡。',
  printPaper: '为{name}打印纸质码',
  paperReady: '纸质码已生成：打开{name}的 PDF',
  codeOf: '{name}的实时健康码',
  validUntil: '有效期至 {time}',
  askToJoin: '申请成为其监护人',
  requested: '申请已发送，将由现有监护人或卫生工作人员确认。',
  error: '操作失败：{message}',
  guardians: '{n} 位监护人',
  born: '{year} 年生',
};
const messages: MessageTable<keyof typeof en> = { en, 'zh-CN': zh };

interface DependantView {
  id: string;
  name: string;
  maskedName: string;
  birthYear: number;
  relationship: string;
  guardians: number;
}
interface Entry {
  dependant: DependantView;
  assessment: AssessmentView;
}
interface PaperCode {
  codeId: string;
  expiresAt: string;
}

function message(err: unknown): string {
  return err instanceof ApiError ? err.message || err.code : String(err);
}

function DependantRow({ entry, onChanged }: { entry: Entry; onChanged: (a: AssessmentView) => void }) {
  const t = useT(messages);
  const d = entry.dependant;
  const [code, setCode] = useState<CodeView | null>(null);
  const [paper, setPaper] = useState<PaperCode | null>(null);
  const [checkedIn, setCheckedIn] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const base = `/api/holder/dependants/${encodeURIComponent(d.id)}`;

  async function run(action: () => Promise<void>) {
    setBusy(true);
    setError(null);
    try {
      await action();
    } catch (err) {
      setError(t('error', { message: message(err) }));
    } finally {
      setBusy(false);
    }
  }

  return (
    <li className="dependant" data-testid="dependant" data-dependant-id={d.id}>
      <p className="dependant-head">
        <strong>{d.name}</strong> <span className="muted">({d.relationship}, {t('born', { year: d.birthYear })}, {t('guardians', { n: d.guardians })})</span>{' '}
        <ColourChip colour={entry.assessment.colour as Colour} />
      </p>
      <div className="dependant-actions">
        <button
          type="button"
          className="secondary"
          aria-expanded={code !== null}
          disabled={busy}
          onClick={() => (code ? setCode(null) : run(async () => setCode(await get<CodeView>(`${base}/code`))))}
        >
          {code ? t('hideCode', { name: d.name }) : t('showCode', { name: d.name })}
        </button>
        <button
          type="button"
          className="secondary"
          disabled={busy || checkedIn}
          onClick={() =>
            run(async () => {
              const r = await post<{ assessment: AssessmentView }>(`${base}/check-ins`, {});
              setCheckedIn(true);
              onChanged(r.assessment);
            })
          }
        >
          {t('checkIn', { name: d.name })}
        </button>
        <button type="button" className="secondary" disabled={busy} onClick={() => run(async () => setPaper(await post<PaperCode>(`${base}/paper-codes`)))}>
          {t('printPaper', { name: d.name })}
        </button>
      </div>
      {checkedIn && (
        <p role="status" className="ok">
          {t('checkedIn', { name: d.name })}
        </p>
      )}
      {code && (
        <figure className="dependant-code" data-testid="dependant-code" data-token={code.token}>
          <div className="qr" role="img" aria-label={t('codeOf', { name: d.name })} dangerouslySetInnerHTML={{ __html: code.svg }} />
          <figcaption>
            <ColourChip colour={code.colour} /> {t('validUntil', { time: new Date(code.expiresAt).toLocaleTimeString() })}
          </figcaption>
        </figure>
      )}
      {paper && (
        <p>
          <a href={`${base}/paper-codes/${paper.codeId}/print.pdf`} target="_blank" rel="noreferrer" data-testid="paper-pdf">
            {t('paperReady', { name: d.name })}
          </a>
        </p>
      )}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </li>
  );
}

export function DependantsCard({ regions }: { regions: Region[] }) {
  const t = useT(messages);
  const id = useId();
  const [entries, setEntries] = useState<Entry[] | null>(null);
  const [form, setForm] = useState({ name: '', idNumber: '', dateOfBirth: '', region: '', relationship: '' });
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [conflict, setConflict] = useState(false);
  const [requested, setRequested] = useState(false);

  const load = useCallback(async () => {
    try {
      setEntries((await get<{ dependants: Entry[] }>('/api/holder/dependants')).dependants);
    } catch {
      setEntries([]);
    }
  }, []);
  useEffect(() => {
    void load();
  }, [load]);

  const set = (k: keyof typeof form) => (e: { target: { value: string } }) => setForm((f) => ({ ...f, [k]: e.target.value }));

  async function add(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setConflict(false);
    setRequested(false);
    try {
      await post('/api/holder/dependants', form);
      setForm({ name: '', idNumber: '', dateOfBirth: '', region: '', relationship: '' });
      await load();
    } catch (err) {
      setError(t('error', { message: message(err) }));
      setConflict(err instanceof ApiError && err.code === 'dependant_already_linked');
    } finally {
      setBusy(false);
    }
  }

  async function askToJoin() {
    setBusy(true);
    try {
      await post('/api/holder/dependants/requests', { idNumber: form.idNumber, dateOfBirth: form.dateOfBirth, relationship: form.relationship });
      setRequested(true);
      setConflict(false);
      setError(null);
    } catch (err) {
      setError(t('error', { message: message(err) }));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section className="card dependants" aria-labelledby={`${id}-title`} data-testid="dependants">
      <h2 id={`${id}-title`}>{t('title')}</h2>
      <p className="hint">{t('intro')}</p>
      {entries !== null && entries.length === 0 && <p>{t('none')}</p>}
      {entries && entries.length > 0 && (
        <ul className="dependant-list">
          {entries.map((en2) => (
            <DependantRow
              key={en2.dependant.id}
              entry={en2}
              onChanged={(a) => setEntries((list) => (list ?? []).map((x) => (x.dependant.id === en2.dependant.id ? { ...x, assessment: a } : x)))}
            />
          ))}
        </ul>
      )}
      <details>
        <summary>{t('add')}</summary>
        <form className="form" onSubmit={add}>
          <label>
            {t('name')}
            <input name="dependantName" required maxLength={100} value={form.name} onChange={set('name')} />
          </label>
          <label>
            {t('idNumber')}
            <input name="dependantIdNumber" required pattern="[0-9A-Za-z]{6,32}" value={form.idNumber} onChange={set('idNumber')} />
          </label>
          <label>
            {t('dateOfBirth')}
            <input name="dependantDateOfBirth" type="date" required value={form.dateOfBirth} onChange={set('dateOfBirth')} />
          </label>
          <label>
            {t('region')}
            <select name="dependantRegion" required value={form.region} onChange={set('region')}>
              <option value="">{t('chooseRegion')}</option>
              {regions.map((r) => (
                <option key={r.code} value={r.code}>
                  {r.name}
                </option>
              ))}
            </select>
          </label>
          <label>
            {t('relationship')}
            <input name="dependantRelationship" required maxLength={40} value={form.relationship} onChange={set('relationship')} />
          </label>
          {error && (
            <p className="error" role="alert">
              {error}
            </p>
          )}
          {conflict && (
            <button type="button" className="secondary" disabled={busy} onClick={askToJoin}>
              {t('askToJoin')}
            </button>
          )}
          {requested && (
            <p role="status" className="ok">
              {t('requested')}
            </p>
          )}
          <button type="submit" className="primary" disabled={busy}>
            {busy ? t('working') : t('save')}
          </button>
        </form>
      </details>
    </section>
  );
}
