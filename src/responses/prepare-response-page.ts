import type { ClientConfig } from '../config/config-schema';
import type { CrmPort, FeedbackEvent, ResponseEvent } from '../crm/crm-port';
import { feedbackEventKey } from '../feedback/apply-feedback-file';
import { feedbackEventsOf } from '../feedback/feedback-events';
import { parseListId } from '../feedback/feedback-row';
import { parseFeedbackTime } from '../feedback/feedback-time';
import type { SuppressionRecorder } from '../feedback/record-suppressions';
import type { FeedbackIntakeStore } from '../store/state-store';
import type { Outcome, ResponseCounts } from './response-counts';
import type { ResponseLookups } from './response-mapping';
import { eventKey, type ResponseKind, type ResponseRow } from './response-rows';

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
  /** Feedback keys of pages prepared but not yet committed: a later page's repeat of one is a duplicate. */
  pendingKeys: Set<string>;
  runId?: string;
  /** The suppression ledger: every unsubscribe and hard bounce read here goes in (flushed per page by the caller). */
  suppressions?: SuppressionRecorder;
}

/** A page mapped to CRM events, waiting to be committed (see commitPages); holds no rows. */
export interface PreparedPage {
  kinds: ResponseKind[];
  /** Per row: its outcome so far, undefined while it waits for the CRM. */
  outcome: Array<Outcome | undefined>;
  feedback: FeedbackEvent[];
  /** The row of each feedback event. */
  feedbackSlot: number[];
  responses: ResponseEvent[];
  responseSlot: number[];
  /** Feedback rows going to the CRM and their keys, recorded as applied once the CRM accepted them. */
  feedbackKeys: Array<{ slot: number; key: string }>;
}

/** A bounce or unsubscribe row's list id and time, checked as strictly as a feedback file's; undefined when invalid. */
function checkResponseFeedback(row: ResponseRow, nowMs: number) {
  const time = parseFeedbackTime(row.timestamp, nowMs);
  const listId = parseListId(row.recipientListId);
  if (!time.ok || listId === undefined) return undefined;
  return { recipientId: row.recipientId, listId, occurredAt: time.iso, category: row.category };
}

/** A bounce or unsubscribe row that passed its checks, waiting for the page's look-ups. */
interface FeedbackCandidate {
  slot: number;
  kind: 'bounce' | 'unsubscribe';
  checked: NonNullable<ReturnType<typeof checkResponseFeedback>>;
  key: string;
}

/**
 * Maps one page of rows to CRM events: bounces and unsubscribes always, opens and clicks only of CRM
 * campaigns. Counts every row read and puts unsubscribes and out-bounces into the suppression ledger;
 * writes nothing to the CRM. The state store is asked once per page: which feedback keys were applied
 * before, and what each recipient was sent as.
 */
export async function preparePage(rows: readonly ResponseRow[], ports: PagePorts, counts: ResponseCounts): Promise<PreparedPage> {
  const outcome: Array<Outcome | undefined> = [];
  const candidates: FeedbackCandidate[] = [];
  const opens: number[] = [];
  // The page's mailings are resolved once up front (each a cached promise): the rows below are then
  // classified without waiting per row.
  const campaigns = await campaignsOf(rows, ports.lookups);
  for (const [slot, row] of rows.entries()) {
    counts[row.kind].read += 1;
    outcome[slot] = classify(row, ports.seen, campaigns);
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
    const before = appliedBefore.has(c.key) || ports.pendingKeys.has(c.key);
    if (before) outcome[c.slot] = 'duplicate';
    return !before;
  });
  const sent = await ports.lookups.sentFor([
    ...fresh.map((c) => c.checked.recipientId),
    ...opens.map((slot) => (rows[slot] as ResponseRow).recipientId),
  ]);

  const page: PreparedPage = {
    kinds: rows.map((row) => row.kind),
    outcome,
    feedback: [],
    feedbackSlot: [],
    responses: [],
    responseSlot: [],
    feedbackKeys: fresh.map((c) => ({ slot: c.slot, key: c.key })),
  };
  for (const c of fresh) {
    const events = feedbackEventsOf(c.kind, c.checked, ports.client, sent.get(c.checked.recipientId) ?? []);
    page.feedbackSlot.push(...events.map(() => c.slot));
    page.feedback.push(...events);
    // Never sent: a repeat on a later page finds no entity either, whatever is committed in between.
    if (events.length === 0) outcome[c.slot] = 'unknownRecipient';
    else ports.pendingKeys.add(c.key);
  }
  for (const slot of opens) {
    const row = rows[slot] as ResponseRow;
    const events = ports.lookups.responseEvents(row, sent.get(row.recipientId) ?? []);
    page.responseSlot.push(...events.map(() => slot));
    page.responses.push(...events);
    if (events.length === 0) outcome[slot] = 'unknownRecipient';
  }
  return page;
}

/** The CRM campaign of every mailing a mailing, open or click row of the page names. */
async function campaignsOf(rows: readonly ResponseRow[], lookups: ResponseLookups): Promise<Map<string, string | undefined>> {
  const mailings = new Set<string>();
  for (const row of rows) if (row.kind === 'mailing' || row.kind === 'open' || row.kind === 'click') mailings.add(row.mailingId);
  const ids = [...mailings];
  const resolved = await Promise.all(ids.map((id) => lookups.campaignFor(id)));
  return new Map(ids.map((id, i) => [id, resolved[i]]));
}

/** The outcome a row has before any CRM write, or undefined when it goes to the CRM. */
function classify(row: ResponseRow, seen: Set<string>, campaigns: ReadonlyMap<string, string | undefined>): Outcome | undefined {
  // A mailing row only resolved its campaign (campaignsOf), sparing each of its opens a CRM query.
  if (row.kind === 'mailing') return 'read';
  if (!row.recipientId || Number.isNaN(Date.parse(row.timestamp))) return 'invalid';
  const key = eventKey(row);
  if (seen.has(key)) return 'duplicate';
  seen.add(key);
  if (row.kind === 'other') return 'ignored';
  if ((row.kind === 'open' || row.kind === 'click') && campaigns.get(row.mailingId) === undefined) return 'noCampaign';
  return undefined;
}
