import type { ClientConfig } from '../config/config-schema';
import type { FeedbackEvent } from '../crm/crm-port';
import type { LedgerStore } from '../store/state-store';
import type { FeedbackFileRow } from './feedback-file';

export type FeedbackKind = FeedbackEvent['kind'];

/**
 * Maps one feedback row to CRM events through the ledger of what we sent: the entity the recipient
 * id was last sent as, per list. An unsubscribe from list 0 (client-wide) withdraws the consent of
 * every list the recipient was sent to; one from a list withdraws that list's consent only. A bounce
 * concerns the entity, whichever list it came through. Empty when we never sent the recipient.
 */
export async function feedbackEvents(
  kind: FeedbackKind,
  row: FeedbackFileRow,
  client: ClientConfig,
  ledger: LedgerStore,
): Promise<FeedbackEvent[]> {
  const sent = await ledger.sentEntities({ recipientId: row.recipientId, client: client.key });
  const listId = Number(row.recipientListId) || 0;
  const events = new Map<string, FeedbackEvent>();
  for (const entity of sent) {
    const list = client.lists.find((l) => l.key === entity.listKey);
    if (!list) continue;
    if (kind === 'unsubscribe' && listId !== 0 && list.listId !== listId) continue;
    const event: FeedbackEvent = {
      kind,
      recipientId: row.recipientId,
      entityType: entity.entityType,
      entityId: entity.entityId,
      optInId: list.optInId,
      mediaType: list.mediaType,
      occurredAt: toIso(row.timestamp),
      // Out-bounces are recipients Optimizely stopped mailing: the CRM marks them bounced either way.
      ...(kind === 'bounce' ? { hard: row.category !== 'softbounce' } : {}),
    };
    const key = kind === 'bounce' ? `${entity.entityType}:${entity.entityId}` : `${entity.entityType}:${entity.entityId}:${list.optInId}`;
    if (!events.has(key)) events.set(key, event);
  }
  return [...events.values()];
}

function toIso(timestamp: string): string {
  const ms = Date.parse(timestamp);
  return Number.isNaN(ms) ? new Date(0).toISOString() : new Date(ms).toISOString();
}
