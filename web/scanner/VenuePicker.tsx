import type { StaffView, VenueView } from '../../src/contracts/api.ts';
import { useT } from '../shared/i18n.tsx';
import { unlockAudio } from './beep.ts';
import { messages } from './messages.ts';

/** One big button per checkpoint the operator is assigned to. */
export function VenuePicker({ staff, onPick }: { staff: StaffView; onPick: (v: VenueView) => void }) {
  const t = useT(messages);
  return (
    <section className="card venues" aria-labelledby="venues-title">
      <p className="hint">{t('signedInAs', { name: staff.displayName })}</p>
      <h2 id="venues-title">{t('chooseVenue')}</h2>
      {staff.venues.length === 0 ? (
        <p className="error">{t('noVenues')}</p>
      ) : (
        <ul className="venue-list">
          {staff.venues.map((v) => (
            <li key={v.id}>
              <button
                type="button"
                className="venue"
                data-venue-id={v.id}
                onClick={() => {
                  unlockAudio();
                  onPick(v);
                }}
              >
                <span className="venue-name">{v.name}</span>
                <span className="venue-address">
                  {v.address} · {v.region}
                </span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
