import { suppressionKey } from '../validation/suppressions';
import { digest } from './event-digest';

// The exactly-once key of a bounce or unsubscribe (feedback import and response ingestion alike),
// recorded in the state store's feedback_event_keys once the CRM accepted the event. Hashed, so the
// store keeps no recipient id for it.

type KeyedKind = 'bounce' | 'unsubscribe';
type KeyedEvent = { recipientId: string; listId: number; occurredAt: string };

/**
 * The key of one event: kind, person, list and time. The person is the id the reported one resolved
 * to in the ledger (`sentId`: the id as we sent it, one of sentIdForms), so the same event reported
 * under two forms of one id (`Anna@X.COM `, its full-width form, `anna@x.com`) has one key, and two
 * people we sent under ids that only fold alike (`ABC1` and `ＡＢＣ１`: the export tells ids apart by
 * letter case only) have two. Its own layout (`sent` first): it can never equal a key of the former
 * layouts, which another person's event may have been recorded under. An id the ledger does not know
 * keeps the key of the id as reported (reportedEventKey); such an event is never recorded as applied.
 */
export function appliedEventKey(kind: KeyedKind, event: KeyedEvent, sentId: string | undefined): string {
  if (sentId === undefined) return reportedEventKey(kind, event);
  return digest('sha256', `sent\n${kind}\n${sentId}\n${event.listId}\n${event.occurredAt}`, 'hex');
}

/**
 * The key from the id as reported, folded (suppressionKey): the key of an id found under no form, and
 * the layout every applied event was recorded under before keys were taken from the sent id.
 */
export function reportedEventKey(kind: KeyedKind, event: KeyedEvent, folded: string = suppressionKey(event.recipientId)): string {
  return formerKey(kind, folded, event);
}

/**
 * What was derived from the event already, so appliedKeyForms need not fold or hash it again: the
 * reported id folded (`suppressionKey(event.recipientId)`), its key (`reportedEventKey`) and today's
 * key (`appliedEventKey` of the sent id). Response ingestion derives the first two while it classifies
 * a page and the third when it resolves the id; each must be exactly what its function gives.
 */
export interface DerivedKeys {
  folded: string;
  reportedKey: string;
  appliedKey: string;
}

/**
 * Every key the event may have been recorded under as applied: today's, and the former layouts of
 * earlier versions (the id folded, and before that as reported) for the reported id and the sent id.
 * Looking them all up keeps an event applied before an upgrade from being applied again; only
 * today's key is recorded. A former key cannot tell apart two people whose ids fold alike: it holds
 * for both (never applied twice, on the side of caution), until it is pruned with the keys older
 * than `retention.runDays`, after which the former forms can go.
 */
export function appliedKeyForms(kind: KeyedKind, event: KeyedEvent, sentId: string | undefined, derived?: DerivedKeys): string[] {
  // Each distinct id folded and hashed once: the reported id is most often the sent id, and an
  // address as sent is most often its own folded form, so one digest instead of four (response
  // ingestion asks this for every bounce and unsubscribe; the folding and digests were most of it).
  // With the derived keys, the common case (the reported id sent as reported, its own folded form)
  // folds and hashes nothing.
  const reported = event.recipientId;
  const foldedReported = derived?.folded ?? suppressionKey(reported);
  const fold = (id: string) => (id === reported ? foldedReported : suppressionKey(id));
  const keyOf = (id: string) => (derived && id === foldedReported ? derived.reportedKey : formerKey(kind, id, event));
  const ids = sentId === undefined || sentId === reported ? [reported] : [reported, sentId];
  const recipients = new Set(ids.flatMap((id) => [fold(id), id]));
  return [...new Set([derived?.appliedKey ?? appliedEventKey(kind, event, sentId), ...[...recipients].map(keyOf)])];
}

function formerKey(kind: KeyedKind, recipient: string, event: Omit<KeyedEvent, 'recipientId'>): string {
  return digest('sha256', `${kind}\n${recipient}\n${event.listId}\n${event.occurredAt}`, 'hex');
}
