import type { ClientConfig } from '../../src/config/config-schema';
import type { ResponseEvent } from '../../src/crm/crm-port';
import { appliedEventKey, appliedKeyForms, reportedEventKey } from '../../src/feedback/applied-event-key';
import { bounceSeverity } from '../../src/feedback/bounce-category';
import { feedbackMappingOf, resolveSentIds } from '../../src/feedback/feedback-events';
import { parseListId } from '../../src/feedback/feedback-row';
import { parseFeedbackTime } from '../../src/feedback/feedback-time';
import type { SuppressionRecorder } from '../../src/feedback/record-suppressions';
import type { PreparedPage } from '../../src/responses/prepare-response-page';
import type { Outcome, ResponseCounts } from '../../src/responses/response-counts';
import type { ResponseLookups } from '../../src/responses/response-mapping';
import { eventKey, type ResponseRow } from '../../src/responses/response-rows';
import type { FeedbackIntakeStore } from '../../src/store/state-store';
import type { SentEntity } from '../../src/store/types';

// The reference model for classification on the reading thread: response ingestion's page work as it
// was when the whole page was prepared on one thread from its rows (before classify-response-page.ts
// took the checks, event keys and de-duplication to the reading thread). Kept as it was, only the
// look-ups' open/click mapping inlined and the mapping of bounce and unsubscribe ids brought up to
// today's rule (the id under the forms it may have been sent as, the event keyed by the id it was
// sent as: one key per person however the id is written, once per page; an opt-out of a list since removed from
// the configuration mapped through the run that sent it, or counted unresolvedOptOut); a property compares today's two halves with it.

export interface FormerPagePorts {
  client: ClientConfig;
  lookups: Pick<ResponseLookups, 'campaignFor' | 'sentFor'>;
  seen: Set<string>;
  nowMs: number;
  intake?: Pick<FeedbackIntakeStore, 'appliedKeys'>;
  pendingKeys: Set<string>;
  suppressions?: SuppressionRecorder;
}

function checkResponseFeedback(row: ResponseRow, nowMs: number) {
  const time = parseFeedbackTime(row.timestamp, nowMs);
  const listId = parseListId(row.recipientListId);
  if (!time.ok || listId === undefined) return undefined;
  return { recipientId: row.recipientId, listId, occurredAt: time.iso, category: row.category };
}

interface FeedbackCandidate {
  slot: number;
  kind: 'bounce' | 'unsubscribe';
  checked: NonNullable<ReturnType<typeof checkResponseFeedback>>;
  key: string;
}

export async function formerPreparePage(
  rows: readonly ResponseRow[],
  ports: FormerPagePorts,
  counts: ResponseCounts,
): Promise<PreparedPage> {
  const outcome: Array<Outcome | undefined> = [];
  const candidates: FeedbackCandidate[] = [];
  const opens: number[] = [];
  const campaigns = await campaignsOf(rows, ports.lookups);
  for (const [slot, row] of rows.entries()) {
    counts[row.kind].read += 1;
    outcome[slot] = classify(row, ports.seen, campaigns, ports.nowMs);
    if (outcome[slot] !== undefined) continue;
    if (row.kind === 'bounce' || row.kind === 'unsubscribe') {
      const checked = checkResponseFeedback(row, ports.nowMs);
      if (!checked) {
        outcome[slot] = 'invalid';
        continue;
      }
      if (row.kind === 'unsubscribe' || bounceSeverity(row.category) === 'hard') {
        await ports.suppressions?.ledgerSuppression(row.kind, {
          recipientId: checked.recipientId,
          timestamp: checked.occurredAt,
          recipientListId: String(checked.listId),
        });
      }
      candidates.push({ slot, kind: row.kind, checked, key: reportedEventKey(row.kind, checked) });
    } else opens.push(slot);
  }
  const sent = await ports.lookups.sentFor([
    ...candidates.map((c) => c.checked.recipientId),
    ...opens.map((slot) => (rows[slot] as ResponseRow).recipientId),
  ]);
  const resolved = await resolveSentIds(
    candidates.map((c) => c.checked.recipientId),
    (ids) => ports.lookups.sentFor(ids),
  );
  const sentIdOf = (c: FeedbackCandidate) => resolved.get(c.checked.recipientId)?.sentId;
  for (const c of candidates) c.key = sentIdOf(c) === undefined ? c.key : appliedEventKey(c.kind, c.checked, sentIdOf(c));
  const keyForms = candidates.map((c) => appliedKeyForms(c.kind, c.checked, sentIdOf(c)));
  const appliedBefore = ports.intake ? await ports.intake.appliedKeys(ports.client.key, [...new Set(keyForms.flat())]) : new Set<string>();
  const inPage = new Set<string>();
  const fresh = candidates.filter((c, i) => {
    const before = keyForms[i]!.some((k) => appliedBefore.has(k)) || ports.pendingKeys.has(c.key) || inPage.has(c.key);
    inPage.add(c.key);
    if (before) outcome[c.slot] = 'duplicate';
    return !before;
  });
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
    const { events, unresolved } = feedbackMappingOf(c.kind, c.checked, ports.client, resolved.get(c.checked.recipientId)?.sent ?? []);
    page.feedbackSlot.push(...events.map(() => c.slot));
    page.feedback.push(...events);
    if (unresolved) outcome[c.slot] = 'unresolvedOptOut';
    else if (events.length === 0) outcome[c.slot] = 'unknownRecipient';
    else ports.pendingKeys.add(c.key);
  }
  for (const slot of opens) {
    const row = rows[slot] as ResponseRow;
    const events = responseEvents(ports.client, row, sent.get(row.recipientId) ?? [], ports.nowMs);
    page.responseSlot.push(...events.map(() => slot));
    page.responses.push(...events);
    if (events.length === 0) outcome[slot] = 'unknownRecipient';
  }
  return page;
}

async function campaignsOf(rows: readonly ResponseRow[], lookups: FormerPagePorts['lookups']): Promise<Map<string, string | undefined>> {
  const mailings = new Set<string>();
  for (const row of rows) if (row.kind === 'mailing' || row.kind === 'open' || row.kind === 'click') mailings.add(row.mailingId);
  const ids = [...mailings];
  const resolved = await Promise.all(ids.map((id) => lookups.campaignFor(id)));
  return new Map(ids.map((id, i) => [id, resolved[i]]));
}

function classify(
  row: ResponseRow,
  seen: Set<string>,
  campaigns: ReadonlyMap<string, string | undefined>,
  nowMs: number,
): Outcome | undefined {
  if (row.kind === 'mailing') return 'read';
  // Since opens and clicks are dated strictly (response-engagement-times.test.ts): as the feedback import reads a time.
  const engagement = row.kind === 'open' || row.kind === 'click';
  const readable = engagement ? parseFeedbackTime(row.timestamp, nowMs).ok : !Number.isNaN(Date.parse(row.timestamp));
  if (!row.recipientId || !readable) return 'invalid';
  const key = eventKey(row);
  if (seen.has(key)) return 'duplicate';
  seen.add(key);
  if (row.kind === 'other') return 'ignored';
  if ((row.kind === 'open' || row.kind === 'click') && campaigns.get(row.mailingId) === undefined) return 'noCampaign';
  return undefined;
}

function responseEvents(client: ClientConfig, row: ResponseRow, sent: readonly SentEntity[], nowMs: number): ResponseEvent[] {
  // Since engagement list ids are read as plain integers (response-engagement-list-ids.test.ts).
  const listId = parseListId(row.recipientListId) ?? 0;
  const listKeys = new Set(client.lists.filter((l) => l.listId === listId).map((l) => l.key));
  const onList = sent.filter((s) => listKeys.has(s.listKey));
  const unique = new Map<string, SentEntity>();
  for (const entity of onList.length > 0 ? onList : sent) unique.set(`${entity.entityType}:${entity.entityId}`, entity);
  const time = parseFeedbackTime(row.timestamp, nowMs);
  const occurredAt = time.ok ? time.iso : '';
  return [...unique.values()].map((entity) => ({
    kind: row.kind === 'click' ? 'click' : 'open',
    mailingId: row.mailingId,
    recipientId: row.recipientId,
    entityType: entity.entityType,
    entityId: entity.entityId,
    occurredAt,
    ...(row.kind === 'click' ? { url: row.linkUrl } : {}),
  }));
}
