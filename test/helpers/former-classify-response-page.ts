import type { ClientConfig } from '../../src/config/config-schema';
import { reportedEventKey } from '../../src/feedback/applied-event-key';
import { parseListId } from '../../src/feedback/feedback-row';
import { formerParseFeedbackTime as parseFeedbackTime } from './former-feedback-time';
import { suppressionEventOf } from '../../src/feedback/record-suppressions';
import type { Row } from '../../src/optimizely/client/optimizely-port';
import type { SuppressionEvent } from '../../src/store/suppression-types';
import { suppressionKey } from '../../src/validation/suppressions';
import { formerReadResponseRow as readResponseRow } from './former-response-rows';
import { OUTCOMES, RESPONSE_KINDS, type Outcome } from '../../src/responses/response-counts';
import { formerBounceSeverity as bounceSeverity } from './former-bounce-category';
import {
  UNSETTLED,
  type ClassifiedPage,
  type EngagementColumns,
  type FeedbackCandidate,
  type FeedbackColumns,
  type SuppressionColumns,
} from '../../src/responses/classify-response-page';
import { eventKey, hasOversizedCell, type ResponseGetter, type ResponseRow } from '../../src/responses/response-rows';

// Test-only reference: the reading thread's page classification as it was before the rewrite for
// CPU (classify-response-page.ts at main 7674134, and the functions it called then: former-*.ts).
// Kept so properties can check the new code gives exactly the same classified page for any rows.

interface FormerContext {
  client: ClientConfig;
  nowMs: number;
  seen: Set<string>;
}

/** Classifies a window's pages in the order given; one per window, since it remembers the event keys seen. */
export function formerPageClassifier(
  client: ClientConfig,
  nowMs: number,
): (getter: ResponseGetter, rows: readonly Row[]) => ClassifiedPage {
  const context: FormerContext = { client, nowMs, seen: new Set() };
  // Each row is read as it is classified: no array of row objects is built for the page.
  return (getter, rows) => classifyRows(rows.length, (slot) => readResponseRow(getter, rows[slot] as Row), context);
}

const KIND_INDEX = new Map(RESPONSE_KINDS.map((kind, i) => [kind, i]));
const OUTCOME_INDEX = new Map(OUTCOMES.map((outcome, i) => [outcome, i]));

function classifyRows(count: number, rowAt: (slot: number) => ResponseRow, context: FormerContext): ClassifiedPage {
  const kinds = new Uint8Array(count);
  const settled = new Uint8Array(count);
  const mailings = new Map<string, number>();
  const mailingOf = (id: string) => {
    let index = mailings.get(id);
    if (index === undefined) mailings.set(id, (index = mailings.size));
    return index;
  };
  const engagements = engagementBuilder();
  const feedback = feedbackBuilder();
  const suppressions = suppressionBuilder();
  for (let slot = 0; slot < count; slot += 1) {
    const row = rowAt(slot);
    kinds[slot] = KIND_INDEX.get(row.kind) as number;
    if (hasOversizedCell(row)) {
      settled[slot] = OUTCOME_INDEX.get('invalid') as number;
      continue;
    }
    const engagement = row.kind === 'open' || row.kind === 'click';
    // Every mailing a mailing, open or click row names, valid or not: the campaigns are looked up per page.
    const mailing = engagement || row.kind === 'mailing' ? mailingOf(row.mailingId) : 0;
    // Since opens and clicks are dated strictly (response-engagement-times.test.ts): their time as the
    // feedback import reads one, or none.
    const ms = engagement ? strictMs(row.timestamp, context.nowMs) : Date.parse(row.timestamp);
    let outcome = settledOutcome(row, ms, context.seen);
    if (outcome === undefined && (row.kind === 'bounce' || row.kind === 'unsubscribe')) {
      const candidate = feedbackCandidate(slot, row, context.nowMs);
      if (candidate) {
        // Into the suppression ledger even when the CRM had the event before; soft bounces from
        // getResponses are not out-bounces (Optimizely still mails them).
        if (row.kind === 'unsubscribe' || bounceSeverity(row.category) === 'hard') {
          const { recipientId, occurredAt, listId } = candidate.checked;
          const event = suppressionEventOf(
            row.kind,
            { recipientId, timestamp: occurredAt, recipientListId: String(listId) },
            context.client.key,
            'responses',
            candidate.folded,
          );
          if (event) suppressions.add(event);
        }
        feedback.add(candidate);
      } else outcome = 'invalid';
    } else if (outcome === undefined && engagement) engagements.add(slot, row, mailing, ms);
    settled[slot] = outcome === undefined ? UNSETTLED : (OUTCOME_INDEX.get(outcome) as number);
  }
  return {
    kinds,
    settled,
    mailingIds: [...mailings.keys()],
    engagements: engagements.columns(),
    feedback: feedback.columns(),
    suppressions: suppressions.columns(),
  };
}

/** The instant of a time the feedback import reads, NaN for any other. */
function strictMs(text: string, nowMs: number): number {
  const time = parseFeedbackTime(text, nowMs);
  return time.ok ? Date.parse(time.iso) : Number.NaN;
}

/** The outcome a row has before any look-up, or undefined when it goes on to them. */
function settledOutcome(row: ResponseRow, ms: number, seen: Set<string>): Outcome | undefined {
  // A mailing row only names a mailing whose campaign is resolved, sparing each of its opens a CRM query.
  if (row.kind === 'mailing') return 'read';
  if (!row.recipientId || Number.isNaN(ms)) return 'invalid';
  const key = eventKey(row);
  if (seen.has(key)) return 'duplicate';
  seen.add(key);
  if (row.kind === 'other') return 'ignored';
  return undefined;
}

/** A bounce or unsubscribe row with its list id and time checked as strictly as a feedback file's; undefined when invalid. */
function feedbackCandidate(slot: number, row: ResponseRow, nowMs: number): FeedbackCandidate | undefined {
  const time = parseFeedbackTime(row.timestamp, nowMs);
  const listId = parseListId(row.recipientListId);
  if (!time.ok || listId === undefined) return undefined;
  const checked = { recipientId: row.recipientId, listId, occurredAt: time.iso, category: row.category };
  // Folded once: the suppression event, the key and the key forms on the ingestion thread all need it.
  const folded = suppressionKey(row.recipientId);
  return {
    slot,
    kind: row.kind as FeedbackCandidate['kind'],
    checked,
    key: reportedEventKey(row.kind as FeedbackCandidate['kind'], checked, folded),
    folded,
  };
}

function engagementBuilder() {
  const slot: number[] = [];
  const click: number[] = [];
  const mailing: number[] = [];
  const listId: number[] = [];
  const recipientId: string[] = [];
  const occurredAt: string[] = [];
  const url: string[] = [];
  return {
    add(at: number, row: ResponseRow, mailingIndex: number, ms: number) {
      slot.push(at);
      click.push(row.kind === 'click' ? 1 : 0);
      mailing.push(mailingIndex);
      // Since engagement list ids are read as plain integers (response-engagement-list-ids.test.ts).
      listId.push(parseListId(row.recipientListId) ?? 0);
      recipientId.push(row.recipientId);
      occurredAt.push(new Date(ms).toISOString());
      url.push(row.kind === 'click' ? row.linkUrl : '');
    },
    columns(): EngagementColumns {
      return {
        slot: Uint32Array.from(slot),
        click: Uint8Array.from(click),
        recipientId,
        mailing: Uint32Array.from(mailing),
        occurredAt,
        listId: Float64Array.from(listId),
        url,
      };
    },
  };
}

function feedbackBuilder() {
  const slot: number[] = [];
  const unsubscribe: number[] = [];
  const listId: number[] = [];
  const recipientId: string[] = [];
  const occurredAt: string[] = [];
  const category: string[] = [];
  const key: string[] = [];
  const folded: string[] = [];
  return {
    add(candidate: FeedbackCandidate) {
      slot.push(candidate.slot);
      unsubscribe.push(candidate.kind === 'unsubscribe' ? 1 : 0);
      listId.push(candidate.checked.listId);
      recipientId.push(candidate.checked.recipientId);
      occurredAt.push(candidate.checked.occurredAt);
      category.push(candidate.checked.category);
      key.push(candidate.key);
      folded.push(candidate.folded);
    },
    columns(): FeedbackColumns {
      const [slots, kinds, lists] = [Uint32Array.from(slot), Uint8Array.from(unsubscribe), Float64Array.from(listId)];
      return { slot: slots, unsubscribe: kinds, recipientId, listId: lists, occurredAt, category, key, folded };
    },
  };
}

function suppressionBuilder() {
  const unsubscribe: number[] = [];
  const listId: number[] = [];
  const recipientKey: string[] = [];
  const occurredAt: string[] = [];
  return {
    add(event: SuppressionEvent) {
      unsubscribe.push(event.kind === 'unsubscribe' ? 1 : 0);
      listId.push(event.listId);
      recipientKey.push(event.recipientKey);
      occurredAt.push(event.occurredAt);
    },
    columns(): SuppressionColumns {
      return { unsubscribe: Uint8Array.from(unsubscribe), recipientKey, listId: Float64Array.from(listId), occurredAt };
    },
  };
}
