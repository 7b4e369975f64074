import type { SuppressionStore } from '../store/state-store';
import type { SuppressionEvent, SuppressionSource } from '../store/suppression-types';
import { suppressionKey } from '../validation/suppressions';
import type { FeedbackKind } from './feedback-events';

/** What the suppression ledger needs of a validated feedback row. */
export interface SuppressionRow {
  recipientId: string;
  timestamp: string;
  recipientListId: string;
}

/**
 * Buffers the suppressions of feedback rows and records them in the ledger, 500 at a time; `flush`
 * records the rest. Every unsubscribe and out-bounce goes in, whether or not we ever sent the
 * recipient and whatever the CRM does with it.
 */
export interface SuppressionRecorder {
  /** Buffers one row's suppression; a row the ledger cannot scope or date is left out (never widened). */
  ledgerSuppression(kind: FeedbackKind, row: SuppressionRow): Promise<void>;
  flush(): Promise<number>;
}

const FLUSH_AT = 500;

export function suppressionRecorder(store: SuppressionStore, client: string, source: SuppressionSource): SuppressionRecorder {
  let pending: SuppressionEvent[] = [];
  let recorded = 0;
  const flush = async () => {
    if (pending.length > 0) recorded += await store.record(pending);
    pending = [];
    return recorded;
  };
  return {
    async ledgerSuppression(kind, row) {
      const event = suppressionEventOf(kind, row, client, source);
      if (event) pending.push(event);
      if (pending.length >= FLUSH_AT) await flush();
    },
    flush,
  };
}

/**
 * The ledger event of a row, or undefined when its recipient id is blank, its time does not parse or
 * its list id is not a non-negative integer (such rows are refused by the feedback import; a
 * garbled list id must never become client-wide). Bounces concern the address on every list.
 */
export function suppressionEventOf(
  kind: FeedbackKind,
  row: SuppressionRow,
  client: string,
  source: SuppressionSource,
  // The caller's suppressionKey(row.recipientId) when it has one already (response classification).
  recipientKey: string = suppressionKey(row.recipientId),
): SuppressionEvent | undefined {
  const ms = Date.parse(row.timestamp);
  const list = row.recipientListId.trim();
  if (recipientKey === '' || Number.isNaN(ms) || !/^\d{1,15}$/.test(list)) return undefined;
  return {
    client,
    kind,
    recipientKey,
    listId: kind === 'bounce' ? 0 : Number(list),
    occurredAt: new Date(ms).toISOString(),
    source,
  };
}
