// Shown above the log-in when the app was opened from a venue poster: the venue's name, that the
// check-in waits for the log-in, and a way to drop it.
import { useEffect, useState } from 'react';
import type { VenueView } from '../../src/contracts/api.ts';
import { get } from '../shared/api.ts';
import { useT } from '../shared/i18n.tsx';
import { messages } from './messages.ts';

export function PendingVisitNotice({ venueId, onCancel }: { venueId: string; onCancel: () => void }) {
  const t = useT(messages);
  const [name, setName] = useState<string>(venueId);
  useEffect(() => {
    let cancelled = false;
    get<{ venue: VenueView }>(`/api/public/venues/${encodeURIComponent(venueId)}`)
      .then((r) => {
        if (!cancelled) setName(r.venue.name);
      })
      .catch(() => undefined); // unknown venues are explained on the check-in screen after log-in
    return () => {
      cancelled = true;
    };
  }, [venueId]);
  return (
    <section className="card pending-visit" aria-labelledby="pending-visit-title" data-testid="pending-visit">
      <h2 id="pending-visit-title">{t('pendingVisitTitle')}</h2>
      <p>{t('pendingVisitLogin', { venue: name })}</p>
      <button type="button" className="link" onClick={onCancel}>
        {t('pendingVisitCancel')}
      </button>
    </section>
  );
}
