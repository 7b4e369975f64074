import type { ClientConfig } from '../config/config-schema';
import type { CrmPort, FeedbackEvent, FeedbackOutcome, ResponseEvent } from '../crm/crm-port';
import { feedbackEventsOf } from '../feedback/feedback-events';
import type { SuppressionRecorder } from '../feedback/record-suppressions';
import { parseListId } from '../feedback/feedback-row';
import { parseFeedbackTime } from '../feedback/feedback-time';
import { feedbackEventKey } from '../feedback/apply-feedback-file';
import type { FeedbackIntakeStore } from '../store/state-store';
import type { Outcome, ResponseCounts } from './response-counts';
import type { ResponseLookups } from './response-mapping';
import { eventKey, type ResponseRow } from './response-rows';

/** A bounce or unsubscribe row's list id and time, checked as strictly as a feedback file's; undefined when invalid. */
function checkResponseFeedback(row: ResponseRow, nowMs: number) {
  const time = parseFeedbackTime(row.timestamp, nowMs);
  const listId = parseListId(row.recipientListId);
  if (!time.ok || listId === undefined) return undefined;
  return { recipientId: row.recipientId, listId, occurredAt: time.iso, category: row.category };
}

export interface PagePorts {
  client: ClientConfig;
  crm: CrmPort;
  lookups: ResponseLookups;
  /** Event keys seen in this activity execution. */
  seen: Set<string>;
  /** Now, for the plausibility bound on event times. */
  nowMs: number;
  /** Feedback events applied before (by the feedback import or an earlier window) are not applied again. */
  intake?: FeedbackIntakeStore;
  runId?: string;
  /** The suppression ledger: every unsubscribe and hard bounce read here goes in (flushed per page by the caller). */
  suppressions?: SuppressionRecorder;
}

// A row may concern several entities; it counts once, by its best outcome.
const RANK: Record<Outcome, number> = {
  applied: 5,
  handed: 5,
  alreadyApplied: 4,
  duplicate: 3,
  noCampaign: 2,
  unknownEntity: 1,
  read: 0,
  unknownRecipient: 0,
  ignored: 0,
  invalid: 0,
};

const FEEDBACK_OUTCOME: Record<FeedbackOutcome, Outcome> = {
  applied: 'applied',
  handed: 'handed',
  already: 'alreadyApplied',
  unknown_entity: 'unknownEntity',
};

/** A bounce or unsubscribe row that passed its checks, waiting for the page's look-ups. */
interface FeedbackCandidate {
  slot: number;
  kind: 'bounce' | 'unsubscribe';
  checked: NonNullable<ReturnType<typeof checkResponseFeedback>>;
  key: string;
}

/**
 * Maps one page of rows to CRM events and applies them: bounces and unsubscribes always, opens and
 * clicks only of CRM campaigns. Returns once the CRM has accepted the page; every row is counted once.
 * The state store is asked once per page: which feedback keys were applied before, and what each
 * recipient was sent as.
 */
export async function applyResponsePage(rows: readonly ResponseRow[], ports: PagePorts, counts: ResponseCounts): Promise<void> {
  const outcome: Array<Outcome | undefined> = [];
  const candidates: FeedbackCandidate[] = [];
  const opens: number[] = [];
  for (const [slot, row] of rows.entries()) {
    counts[row.kind].read += 1;
    outcome[slot] = await classify(row, ports);
    if (outcome[slot] !== undefined) continue;
    if (row.kind === 'bounce' || row.kind === 'unsubscribe') {
      const checked = checkResponseFeedback(row, ports.nowMs);
      if (!checked) {
        outcome[slot] = 'invalid';
        continue;
      }
      // Into the suppression ledger even when the CRM had the event before; soft bounces from
      // getResponses are not out-bounces (Optimizely still mails them).
      if (row.kind === 'unsubscribe' || row.category !== 'softbounce') {
        await ports.suppressions?.ledgerSuppression(row.kind, {
          recipientId: checked.recipientId,
          timestamp: checked.occurredAt,
          recipientListId: String(checked.listId),
        });
      }
      candidates.push({ slot, kind: row.kind, checked, key: feedbackEventKey(row.kind, checked) });
    } else opens.push(slot);
  }
  const appliedBefore = ports.intake
    ? await ports.intake.appliedKeys(
        ports.client.key,
        candidates.map((c) => c.key),
      )
    : new Set<string>();
  const fresh = candidates.filter((c) => {
    if (appliedBefore.has(c.key)) outcome[c.slot] = 'duplicate';
    return !appliedBefore.has(c.key);
  });
  const sent = await ports.lookups.sentFor([
    ...fresh.map((c) => c.checked.recipientId),
    ...opens.map((slot) => (rows[slot] as ResponseRow).recipientId),
  ]);
  const feedback: FeedbackEvent[] = [];
  const feedbackSlot: number[] = [];
  for (const c of fresh) {
    const events = feedbackEventsOf(c.kind, c.checked, ports.client, sent.get(c.checked.recipientId) ?? []);
    feedbackSlot.push(...events.map(() => c.slot));
    feedback.push(...events);
    if (events.length === 0) outcome[c.slot] = 'unknownRecipient';
  }
  const responses: ResponseEvent[] = [];
  const responseSlot: number[] = [];
  for (const slot of opens) {
    const row = rows[slot] as ResponseRow;
    const events = ports.lookups.responseEvents(row, sent.get(row.recipientId) ?? []);
    responseSlot.push(...events.map(() => slot));
    responses.push(...events);
    if (events.length === 0) outcome[slot] = 'unknownRecipient';
  }

  const better = (slot: number, next: Outcome) => {
    const now = outcome[slot];
    if (now === undefined || RANK[next] > RANK[now]) outcome[slot] = next;
  };
  if (feedback.length > 0) {
    for (const r of await ports.crm.applyFeedback(feedback)) {
      better(feedbackSlot[r.index] as number, FEEDBACK_OUTCOME[r.outcome]);
    }
  }
  if (responses.length > 0) {
    for (const r of await ports.crm.applyResponses(responses)) {
      better(responseSlot[r.index] as number, r.outcome === 'applied' ? 'applied' : r.outcome === 'duplicate' ? 'duplicate' : 'noCampaign');
    }
  }
  const applied = fresh.filter((c) => ['applied', 'handed', 'alreadyApplied'].includes(outcome[c.slot] as string));
  await ports.intake?.recordAppliedKeys(
    ports.client.key,
    applied.map((c) => c.key),
    ports.runId ?? 'responses',
  );
  for (const [slot, row] of rows.entries()) {
    const final = outcome[slot];
    if (final !== undefined && final !== 'read') counts[row.kind][final] += 1;
  }
}

/** The outcome a row has before any CRM write, or undefined when it goes to the CRM. */
async function classify(row: ResponseRow, ports: PagePorts): Promise<Outcome | undefined> {
  if (row.kind === 'mailing') {
    // Resolving the campaign now spares each of the mailing's opens a CRM query.
    await ports.lookups.campaignFor(row.mailingId);
    return 'read';
  }
  if (!row.recipientId || Number.isNaN(Date.parse(row.timestamp))) return 'invalid';
  const key = eventKey(row);
  if (ports.seen.has(key)) return 'duplicate';
  ports.seen.add(key);
  if (row.kind === 'other') return 'ignored';
  if ((row.kind === 'open' || row.kind === 'click') && (await ports.lookups.campaignFor(row.mailingId)) === undefined) return 'noCampaign';
  return undefined;
}
