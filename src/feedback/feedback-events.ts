import type { ClientConfig } from '../config/config-schema';
import type { FeedbackEvent } from '../crm/crm-port';
import type { LedgerStore } from '../store/state-store';
import type { SentEntity } from '../store/types';
import type { ValidFeedbackRow } from './feedback-row';

export type FeedbackKind = FeedbackEvent['kind'];
type FeedbackEventRow = Pick<ValidFeedbackRow, 'recipientId' | 'listId' | 'occurredAt' | 'category'>;

/**
 * Maps one feedback row to CRM events through the ledger of what we sent: the entity the recipient
 * id was last sent as, per list. An unsubscribe from list 0 (client-wide) withdraws the consent of
 * every list the recipient was sent to; one from a list withdraws that list's consent only. A bounce
 * concerns the entity, whichever list it came through. Empty when we never sent the recipient.
 * The row is checked before (feedback-row.ts): its list id is an integer and its time a real one.
 */
export async function feedbackEvents(
  kind: FeedbackKind,
  row: FeedbackEventRow,
  client: ClientConfig,
  ledger: Pick<LedgerStore, 'sentEntities'>,
): Promise<FeedbackEvent[]> {
  return feedbackEventsOf(kind, row, client, await ledger.sentEntities({ recipientId: row.recipientId, client: client.key }));
}

/** feedbackEvents over the recipient's sent entities looked up before (response ingestion asks for a whole page at once). */
export function feedbackEventsOf(
  kind: FeedbackKind,
  row: FeedbackEventRow,
  client: ClientConfig,
  sent: readonly SentEntity[],
): FeedbackEvent[] {
  const listId = row.listId;
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
      occurredAt: row.occurredAt,
      // Out-bounces are recipients Optimizely stopped mailing: the CRM marks them bounced either way.
      ...(kind === 'bounce' ? { hard: row.category !== 'softbounce' } : {}),
    };
    const key = kind === 'bounce' ? `${entity.entityType}:${entity.entityId}` : `${entity.entityType}:${entity.entityId}:${list.optInId}`;
    if (!events.has(key)) events.set(key, event);
  }
  return [...events.values()];
}
