import type { SuppressionStore } from '../../store/state-store';
import type { SuppressionEvent, SuppressionKind } from '../../store/suppression-types';
import { storedKeyForms, suppressionKey } from '../../validation/suppressions';

const KINDS: readonly SuppressionKind[] = ['unsubscribe', 'bounce'];
const KEYS_PER_PAGE = 5_000;

/**
 * Every recorded suppression event that suppresses `subject` at export: stored under its key today or
 * under a former key form that today's `suppressionKey` folds onto it (`storedKeyForms`, the same
 * matching as the export's suppressionLookup and a restore's suppressedSince). Looking up today's key
 * only left an opt-out recorded before a change of the key unlisted although it still suppresses.
 * The former forms are found by a scan of the client's keys, page by page (an operator's look-up,
 * not a run's). Newest first.
 */
export async function suppressionEventsFor(
  store: Pick<SuppressionStore, 'events' | 'recipientKeys'>,
  client: string,
  subject: string,
  keysPerPage = KEYS_PER_PAGE,
): Promise<SuppressionEvent[]> {
  const key = suppressionKey(subject);
  const keys = new Set([key]);
  for (const kind of KINDS) for (const stored of await keysFoldingOnto(store, { client, kind, key, keysPerPage })) keys.add(stored);
  const events = (await Promise.all([...keys].map((k) => store.events(client, k)))).flat();
  return events.sort(newestFirst);
}

/** The client's stored keys of one kind, other than `key`, that fold onto it. */
async function keysFoldingOnto(
  store: Pick<SuppressionStore, 'recipientKeys'>,
  scan: { client: string; kind: SuppressionKind; key: string; keysPerPage: number },
): Promise<string[]> {
  const { client, kind, key, keysPerPage } = scan;
  const found: string[] = [];
  let after: string | undefined;
  for (;;) {
    const page = await store.recipientKeys(client, { kind, after, limit: keysPerPage });
    for (const stored of page) if (stored !== key && storedKeyForms(stored).includes(key)) found.push(stored);
    if (page.length < keysPerPage) return found;
    after = page[page.length - 1];
  }
}

/** The order `SuppressionStore.events` answers in: newest first, then kind and list. */
function newestFirst(a: SuppressionEvent, b: SuppressionEvent): number {
  const byTime = Date.parse(b.occurredAt) - Date.parse(a.occurredAt);
  if (byTime !== 0) return byTime;
  return a.kind !== b.kind
    ? a.kind < b.kind
      ? -1
      : 1
    : a.listId - b.listId || (a.recipientKey < b.recipientKey ? -1 : a.recipientKey > b.recipientKey ? 1 : 0);
}
