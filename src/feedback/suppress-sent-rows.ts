import type { LedgerStore } from '../store/state-store';
import type { FeedbackColumnMapping } from './feedback-columns';
import { resolveSentIds, type FeedbackKind } from './feedback-events';
import { readFeedbackFile } from './feedback-file';
import type { ValidFeedbackRow } from './feedback-row';
import type { SuppressionRecorder } from './record-suppressions';

export interface SuppressSentPorts {
  client: string;
  ledger: LedgerStore;
  suppressions: SuppressionRecorder;
  mapping?: FeedbackColumnMapping;
  nowMs: number;
}

const CHUNK = 500;

/**
 * Records in the suppression ledger the valid rows of a dropped file whose recipient id a run of the
 * client sent (under any form the import resolves, as applyValidRows does), and nothing else: no CRM
 * write, no applied key, no row of an id we never sent. For an unsubscribe file set aside because
 * most of its ids were never sent (feedback-file-ids.ts): its column may hold other ids, so the CRM
 * must not withdraw the consent of whoever they happen to match, but if it is right its opt-outs
 * must not wait for an operator while those people can be mailed; so everyone it names that we mail
 * is left out of our lists from the next export on. Returns how many rows were recorded.
 */
export async function suppressSentRows(path: string, kind: FeedbackKind, ports: SuppressSentPorts): Promise<number> {
  let recorded = 0;
  let chunk: ValidFeedbackRow[] = [];
  const ledgerSent = async () => {
    const resolved = await resolveSentIds(
      chunk.map((row) => row.recipientId),
      (recipientIds) => ports.ledger.sentEntitiesOf({ recipientIds, client: ports.client }),
    );
    for (const row of chunk) {
      if (resolved.get(row.recipientId) === undefined) continue;
      await ports.suppressions.ledgerSuppression(kind, {
        recipientId: row.recipientId,
        timestamp: row.occurredAt,
        recipientListId: String(row.listId),
      });
      recorded += 1;
    }
    chunk = [];
  };
  for await (const line of readFeedbackFile(path, { mapping: ports.mapping, nowMs: ports.nowMs, kind })) {
    if (line.ok) chunk.push(line.row);
    if (chunk.length >= CHUNK) await ledgerSent();
  }
  if (chunk.length > 0) await ledgerSent();
  return recorded;
}
