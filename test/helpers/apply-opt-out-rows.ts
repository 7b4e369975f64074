import type { ClientConfig } from '../../src/config/config-schema';
import { applyValidRows, emptyTally } from '../../src/feedback/apply-feedback-file';
import { suppressionRecorder } from '../../src/feedback/record-suppressions';
import { applyResponsePage } from '../../src/responses/apply-response-page';
import { pageClassifier } from '../../src/responses/classify-response-page';
import { emptyCounts } from '../../src/responses/response-counts';
import { ResponseLookups } from '../../src/responses/response-mapping';
import type { StateStore } from '../../src/store';
import { memoryIntake, recordingCrm } from './feedback-harness';

/** One ClosedLoop bounce or unsubscribe row, already in its checked form. */
export interface OptOutRow {
  kind: 'bounce' | 'unsubscribe';
  recipientId: string;
  listId: number;
  /** ISO 8601. */
  at: string;
}

export type OptOutPath = 'feedback import' | 'response ingestion';

/**
 * Applies bounce and unsubscribe rows on a real store through one of the two paths that read
 * ClosedLoop rows (the feedback import's applyValidRows, or a response page), with a recording CRM:
 * what the CRM got, and how many rows ended unresolvedOptOut and unknownRecipient.
 */
export async function applyOptOutRows(store: StateStore, client: ClientConfig, rows: readonly OptOutRow[], via: OptOutPath, nowMs: number) {
  const crm = recordingCrm();
  let unresolved = 0;
  let unknownRecipient = 0;
  for (const kind of ['bounce', 'unsubscribe'] as const) {
    const ofKind = rows.filter((r) => r.kind === kind);
    if (via === 'feedback import') {
      const suppressions = suppressionRecorder(store.suppressions, client.key, 'closed_loop');
      const ports = { client, ledger: store.ledger, intake: memoryIntake(), crm, runId: 'f', nowMs, seen: new Set<string>(), suppressions };
      const valid = ofKind.map((r, line) => ({
        recipientId: r.recipientId,
        listId: r.listId,
        occurredAt: r.at,
        category: '',
        mailingId: '1',
        line,
      }));
      const tally = emptyTally();
      await applyValidRows(kind, valid, ports, tally);
      await suppressions.flush();
      unresolved += tally.unresolvedOptOut;
      unknownRecipient += tally.unknownRecipient;
    } else {
      const page = ofKind.map((r) => [r.recipientId, '1', r.at, String(r.listId), ...(kind === 'bounce' ? ['hardbounce'] : [])]);
      const lookups = new ResponseLookups({ client, crm, ledger: store.ledger });
      const ports = {
        client,
        crm,
        lookups,
        intake: memoryIntake(),
        runId: 'r',
        pendingKeys: new Set<string>(),
        suppressions: store.suppressions,
      };
      const counts = emptyCounts();
      const getter = kind === 'bounce' ? 'getOutBounces' : 'getUnsubscribes';
      if (page.length > 0) await applyResponsePage(pageClassifier(client, nowMs)(getter, page as never), ports, counts);
      unresolved += counts[kind].unresolvedOptOut;
      unknownRecipient += counts[kind].unknownRecipient;
    }
  }
  return { crm, unresolved, unknownRecipient };
}
