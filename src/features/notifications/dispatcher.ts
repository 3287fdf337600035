// Delivers the outbox: each pending delivery is handed to the sender for its channel; a failure
// is retried with exponential back-off (30 s, 1 min, 2 min … up to 1 h) and kept — after the
// last attempt it is marked failed, never deleted, so an operator can see and resend it.
import type { Kysely } from 'kysely';
import type { Database, OutboxTable } from '../../db/schema.ts';

export interface Delivery {
  id: string;
  channel: string;
  holderId: string;
  /** the holder's phone, for SMS */
  phone: string;
  payload: { title: Record<string, string>; body: Record<string, string>; colour: string; eventId: string };
}

export interface NotificationSender {
  readonly channel: string;
  send(d: Delivery): Promise<void>;
}

/** The default: write the delivery to the log (no SMS gateway in this deployment). */
export function logSender(channel: string, log: (obj: object, msg: string) => void): NotificationSender {
  return {
    channel,
    async send(d) {
      log({ delivery: d.id, channel, to: `…${d.phone.slice(-4)}`, colour: d.payload.colour }, 'notification delivered (log sender)');
    },
  };
}

/** POSTs the delivery as JSON to a webhook (e.g. an SMS gateway's). */
export function webhookSender(url: string): NotificationSender {
  return {
    channel: 'webhook',
    async send(d) {
      const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(d), signal: AbortSignal.timeout(10_000) });
      if (!res.ok) throw new Error(`webhook answered ${res.status}`);
    },
  };
}

export const MAX_ATTEMPTS = 10;

export function backoffMs(attempts: number): number {
  return Math.min(30_000 * 2 ** Math.max(0, attempts - 1), 3_600_000);
}

export interface DispatchReport {
  sent: number;
  retried: number;
  failed: number;
}

export async function dispatchOutbox(db: Kysely<Database>, senders: readonly NotificationSender[], now: Date, limit = 200): Promise<DispatchReport> {
  const report: DispatchReport = { sent: 0, retried: 0, failed: 0 };
  const due: (OutboxTable & { phone: string })[] = await db
    .selectFrom('outbox')
    .innerJoin('holders', 'holders.id', 'outbox.holder_id')
    .selectAll('outbox')
    .select('holders.phone')
    .where('outbox.status', '=', 'pending')
    .where('outbox.next_attempt_at', '<=', now.getTime())
    .orderBy('outbox.next_attempt_at')
    .limit(limit)
    .execute();
  const byChannel = new Map(senders.map((s) => [s.channel, s]));
  for (const d of due) {
    const sender = byChannel.get(d.channel);
    try {
      if (!sender) throw new Error(`no sender for channel ${d.channel}`);
      await sender.send({ id: d.id, channel: d.channel, holderId: d.holder_id, phone: d.phone, payload: JSON.parse(d.payload) as Delivery['payload'] });
      await db.updateTable('outbox').set({ status: 'sent', attempts: d.attempts + 1, sent_at: now.getTime(), last_error: null }).where('id', '=', d.id).execute();
      report.sent++;
    } catch (e) {
      const attempts = d.attempts + 1;
      const failed = attempts >= MAX_ATTEMPTS;
      await db
        .updateTable('outbox')
        .set({ attempts, status: failed ? 'failed' : 'pending', next_attempt_at: now.getTime() + backoffMs(attempts), last_error: String((e as Error).message ?? e).slice(0, 500) })
        .where('id', '=', d.id)
        .execute();
      if (failed) report.failed++;
      else report.retried++;
    }
  }
  return report;
}
