import type { ClientConfig } from '../config/config-schema';
import type { CrmPort, FeedbackEvent } from '../crm/crm-port';
import type { LedgerStore } from '../store/state-store';
import { feedbackEvents, type FeedbackKind } from './feedback-events';
import { readFeedbackFile } from './feedback-file';
import type { SuppressionRecorder } from './record-suppressions';

export interface FeedbackTally {
  rows: number;
  applied: number;
  alreadyApplied: number;
  unknownRecipient: number;
  unknownEntity: number;
  /** Rows without a recipient id or with an unreadable timestamp; their line numbers are logged. */
  invalidRows: number;
  invalidLines: number[];
}

export const emptyTally = (): FeedbackTally => ({
  rows: 0, applied: 0, alreadyApplied: 0, unknownRecipient: 0, unknownEntity: 0, invalidRows: 0, invalidLines: [],
});

const CHUNK = 500;

/** Parses one feedback CSV and applies its rows to the CRM in chunks; every row is counted once. */
export async function applyFeedbackFile(
  path: string,
  kind: FeedbackKind,
  ports: { client: ClientConfig; ledger: LedgerStore; crm: CrmPort; suppressions?: SuppressionRecorder },
  tally: FeedbackTally,
  onProgress?: (rows: number) => void,
): Promise<void> {
  let pending: FeedbackEvent[] = [];
  const flush = async () => {
    if (pending.length === 0) return;
    for (const result of await ports.crm.applyFeedback(pending)) {
      if (result.outcome === 'applied') tally.applied += 1;
      else if (result.outcome === 'already') tally.alreadyApplied += 1;
      else tally.unknownEntity += 1;
    }
    pending = [];
  };
  for await (const row of readFeedbackFile(path)) {
    tally.rows += 1;
    if (!row.recipientId || Number.isNaN(Date.parse(row.timestamp))) {
      tally.invalidRows += 1;
      if (tally.invalidLines.length < 100) tally.invalidLines.push(row.line);
      continue;
    }
    await ports.suppressions?.ledgerSuppression(kind, row);
    const events = await feedbackEvents(kind, row, ports.client, ports.ledger);
    if (events.length === 0) tally.unknownRecipient += 1;
    pending.push(...events);
    if (pending.length >= CHUNK) await flush();
    if (tally.rows % 1000 === 0) onProgress?.(tally.rows);
  }
  await flush();
}
