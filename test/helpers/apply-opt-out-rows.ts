import type { ClientConfig } from '../../src/config/config-schema';
import { applyValidRows, emptyTally } from '../../src/feedback/apply-feedback-file';
import { suppressionRecorder } from '../../src/feedback/record-suppressions';
import { applyResponsePage } from '../../src/responses/apply-response-page';
import { pageClassifier } from '../../src/responses/classify-response-page';
import { emptyCounts } from '../../src/responses/response-counts';
import { ResponseLookups } from '../../src/responses/response-mapping';
import type { StateStore } from '../../src/store';
import type { RunConsent } from '../../src/store/types';
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

/** One past run of a list that sent some people, each a CRM contact, as the opt-out properties draw it. */
export interface SendingRun {
  runId: string;
  kind: 'list' | 'restore';
  listKey: string;
  startedAt: string;
  /** Absent: a run recorded before migration 14, its consent unknown. */
  consent?: RunConsent;
  /** Absent: a run recorded before migration 15, its Optimizely list id unknown. */
  listId?: number;
  sent: readonly { recipientId: string; entityId: string }[];
}

/** Records a finished run (completed, or restored for a restore) and its sent ledger entries, result code 0. */
export async function recordSendingRun(store: StateStore, client: string, run: SendingRun): Promise<void> {
  await store.runs.upsert({
    runId: run.runId,
    kind: run.kind,
    client,
    listKey: run.listKey,
    status: run.kind === 'list' ? 'completed' : 'restored',
    startedAt: run.startedAt,
    endedAt: null,
    counts: {},
    snapshot: null,
    ...(run.consent === undefined ? {} : { consent: run.consent }),
    ...(run.listId === undefined ? {} : { listId: run.listId }),
  });
  const entries = run.sent.map(({ recipientId, entityId }) => ({
    runId: run.runId,
    listKey: run.listKey,
    recipientId,
    entityType: 'contact',
    entityId,
    outcome: 'sent' as const,
    resultCode: 0 as const,
  }));
  await store.ledger.record(entries);
}
