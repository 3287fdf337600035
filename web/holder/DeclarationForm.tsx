import { useId, useState, type FormEvent } from 'react';
import type { AssessmentView, DeclarationBody, DeclarationResult } from '../../src/contracts/api.ts';
import { post } from '../shared/api.ts';
import { colourWord } from '../shared/colour.ts';
import { useLang, useT } from '../shared/i18n.tsx';
import { localDate } from '../shared/time.ts';
import { describeError } from './errors.ts';
import { messages } from './messages.ts';
import type { Region } from './useRegions.ts';

type Symptom = DeclarationBody['symptoms'][number];
const SYMPTOMS: readonly Symptom[] = ['fever', 'cough', 'sore_throat', 'shortness_of_breath', 'loss_of_taste_or_smell', 'fatigue'];

interface PlaceRow {
  key: number;
  region: string;
  from: string;
  to: string;
}

let rowKey = 0;

export function DeclarationForm({ regions, onDeclared }: { regions: Region[]; onDeclared: (a: AssessmentView) => void }) {
  const t = useT(messages);
  const { lang } = useLang();
  const id = useId();
  const [symptoms, setSymptoms] = useState<Set<Symptom>>(new Set());
  const [temperature, setTemperature] = useState('');
  const [places, setPlaces] = useState<PlaceRow[]>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [result, setResult] = useState<AssessmentView | null>(null);

  const today = localDate();

  function toggle(s: Symptom, on: boolean) {
    setSymptoms((prev) => {
      const next = new Set(prev);
      if (on) next.add(s);
      else next.delete(s);
      return next;
    });
  }

  function addPlace() {
    setPlaces((p) => [...p, { key: ++rowKey, region: '', from: today, to: today }]);
  }

  function updatePlace(key: number, patch: Partial<PlaceRow>) {
    setPlaces((p) => p.map((row) => (row.key === key ? { ...row, ...patch } : row)));
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setResult(null);
    const temp = temperature.trim() === '' ? undefined : Number(temperature);
    const body: DeclarationBody = {
      symptoms: SYMPTOMS.filter((s) => symptoms.has(s)),
      ...(temp !== undefined && Number.isFinite(temp) ? { temperatureC: temp } : {}),
      placesVisited: places.map((p) => ({ region: p.region, from: p.from, to: p.to })),
    };
    try {
      const res = await post<DeclarationResult>('/api/holder/declarations', body);
      setResult(res.assessment);
      setSymptoms(new Set());
      setTemperature('');
      setPlaces([]);
      onDeclared(res.assessment);
    } catch (err) {
      setError(describeError(err, t));
    } finally {
      setBusy(false);
    }
  }

  return (
    <form className="card form declaration" onSubmit={submit} aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{t('declareTitle')}</h2>
      <fieldset>
        <legend>{t('symptoms')}</legend>
        <div className="checks">
          {SYMPTOMS.map((s) => (
            <label key={s} className="check">
              <input type="checkbox" name="symptoms" value={s} checked={symptoms.has(s)} onChange={(e) => toggle(s, e.target.checked)} />
              {t(s)}
            </label>
          ))}
        </div>
      </fieldset>
      <label>
        {t('temperature')}
        <input
          name="temperatureC"
          type="number"
          inputMode="decimal"
          min={30}
          max={45}
          step={0.1}
          value={temperature}
          onChange={(e) => setTemperature(e.target.value)}
        />
      </label>
      <fieldset>
        <legend>{t('places')}</legend>
        {places.length === 0 && <p className="hint">{t('noPlaces')}</p>}
        {places.map((p, i) => (
          <div key={p.key} className="place-row" role="group" aria-label={`${t('placeRegion')} ${i + 1}`}>
            <label>
              {t('placeRegion')}
              <select required value={p.region} onChange={(e) => updatePlace(p.key, { region: e.target.value })}>
                <option value="">{t('chooseRegion')}</option>
                {regions.map((r) => (
                  <option key={r.code} value={r.code}>
                    {r.name}
                  </option>
                ))}
              </select>
            </label>
            <label>
              {t('from')}
              <input type="date" required max={today} value={p.from} onChange={(e) => updatePlace(p.key, { from: e.target.value })} />
            </label>
            <label>
              {t('to')}
              <input
                type="date"
                required
                min={p.from || undefined}
                max={today}
                value={p.to}
                onChange={(e) => updatePlace(p.key, { to: e.target.value })}
              />
            </label>
            <button type="button" className="secondary" onClick={() => setPlaces((ps) => ps.filter((x) => x.key !== p.key))}>
              {t('removePlace')}
            </button>
          </div>
        ))}
        <button type="button" className="secondary" onClick={addPlace}>
          + {t('addPlace')}
        </button>
      </fieldset>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {result && (
        <p className={`success c-${result.colour}`} role="status">
          {t('declared', { colour: colourWord(result.colour, lang) })}
        </p>
      )}
      <button type="submit" className="primary" disabled={busy}>
        {busy ? t('working') : t('submitDeclaration')}
      </button>
    </form>
  );
}
