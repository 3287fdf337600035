// What a holder is told when their colour changes: in the app's inbox, and through the outbox
// (SMS / webhook deliveries), written in the same transaction as the change — never lost.
import type { Reason, Text } from '../../core/rules/types.ts';
import type { InboxMessageTable, OutboxTable } from '../../db/schema.ts';
import type { Random } from '../../support/clock.ts';

const WORDS: Record<string, Text> = {
  green: { en: 'GREEN', 'zh-CN': '绿码' },
  yellow: { en: 'YELLOW', 'zh-CN': '黄码' },
  red: { en: 'RED', 'zh-CN': '红码' },
  grey: { en: 'GREY', 'zh-CN': '灰码' },
};

export function colourChangeMessage(
  change: { holderId: string; to: string; reasons: Reason[]; eventId: string; at: number },
  channels: readonly string[],
  random: Random,
): { inbox: InboxMessageTable; outbox: OutboxTable[] } {
  const word = WORDS[change.to] ?? { en: change.to, 'zh-CN': change.to };
  const title: Text = { en: `Your health code is now ${word.en}`, 'zh-CN': `您的健康码已变为${word['zh-CN']}` };
  const body: Text =
    change.reasons.length === 0
      ? { en: 'No rule applies to you any more.', 'zh-CN': '已不再适用任何规则。' }
      : { en: change.reasons.map((r) => r.text.en).join(' '), 'zh-CN': change.reasons.map((r) => r.text['zh-CN']).join(' ') };
  return {
    inbox: {
      id: random.uuid(),
      holder_id: change.holderId,
      at: change.at,
      colour: change.to,
      title: JSON.stringify(title),
      body: JSON.stringify(body),
      event_id: change.eventId,
      read_at: null,
    },
    outbox: channels.map((channel) => ({
      id: random.uuid(),
      channel,
      holder_id: change.holderId,
      payload: JSON.stringify({ title, body, colour: change.to, eventId: change.eventId }),
      status: 'pending' as const,
      attempts: 0,
      next_attempt_at: change.at,
      last_error: null,
      created_at: change.at,
      sent_at: null,
    })),
  };
}
