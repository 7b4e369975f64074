import type { ClientConfig } from '../config/config-schema';
import type { FeedbackEvent } from '../crm/crm-port';
import type { LedgerStore } from '../store/state-store';
import type { SentEntity } from '../store/types';
import type { ValidFeedbackRow } from './feedback-row';
import { normaliseEmail } from '../validation/email-rule';
import { suppressionKey } from '../validation/suppressions';

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
  for (const recipientId of sentIdForms(row.recipientId)) {
    const sent = await ledger.sentEntities({ recipientId, client: client.key });
    if (sent.length > 0) return feedbackEventsOf(kind, row, client, sent);
  }
  return [];
}

/**
 * The forms a reported recipient id may have been sent under, the id as reported first: the export
 * sends addresses normalised (domain lower-cased, the local part too unless a list says otherwise),
 * so `Anna@X.COM` reported back, or a variant of it, finds the entity `anna@x.com` was sent as.
 * Only a miss asks for the next form.
 */
export function sentIdForms(reported: string): string[] {
  const asIs = normaliseEmail(reported, { lowercaseLocalPart: false, idnDomains: 'punycode' });
  return [...new Set([reported, ...(asIs ? [asIs] : []), suppressionKey(reported)])];
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
