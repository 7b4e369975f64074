import type { ClientConfig } from '../config/config-schema';
import { reportedEventKey } from '../feedback/applied-event-key';
import { bounceSeverity } from '../feedback/bounce-category';
import { parseListId } from '../feedback/feedback-row';
import { parseFeedbackTime } from '../feedback/feedback-time';
import { suppressionEventOf } from '../feedback/record-suppressions';
import type { Row } from '../optimizely/client/optimizely-port';
import type { SuppressionEvent } from '../store/suppression-types';
import { suppressionKey } from '../validation/suppressions';
import { OUTCOMES, RESPONSE_KINDS, type Outcome } from './response-counts';
import { eventKey, hasOversizedCell, readResponseRow, type ResponseGetter, type ResponseRow } from './response-rows';

// The part of a page's work that needs no database: reading the rows, the checks, the event keys and
// the window's de-duplication, the suppression ledger's events. It runs on the thread that reads the
// pages (idle while the response ingestion thread writes), and what it hands on is compact: columns
// and typed arrays instead of an object per row, so crossing threads and the garbage collector's
// work stay small. The look-ups (campaigns, applied keys, the ledger) and the writes stay with the
// ingestion thread (prepare-response-page.ts).

/** A bounce or unsubscribe row that passed its checks, waiting for the page's look-ups. */
export interface FeedbackCandidate {
  slot: number;
  kind: 'bounce' | 'unsubscribe';
  checked: { recipientId: string; listId: number; occurredAt: string; category: string };
  /** The key from the id as reported (reportedEventKey); the page's look-ups key the event by the id it was sent as. */
  key: string;
  /** The id as reported, folded (suppressionKey): derived once here, for the key forms looked up on the ingestion thread. */
  folded: string;
}

/** The bounces and unsubscribes of a page that passed their checks, as columns: entry i of each is one row. */
export interface FeedbackColumns {
  slot: Uint32Array;
  /** 1 for an unsubscribe, 0 for a bounce. */
  unsubscribe: Uint8Array;
  recipientId: string[];
  listId: Float64Array;
  /** UTC ISO 8601. */
  occurredAt: string[];
  category: string[];
  /** The event key from the id as reported (reportedEventKey): an id the ledger does not know keeps it. */
  key: string[];
  /** The id as reported, folded (suppressionKey). */
  folded: string[];
}

/** The events of a page for the suppression ledger, as columns; the client and the source are the window's. */
export interface SuppressionColumns {
  /** 1 for an unsubscribe, 0 for a bounce. */
  unsubscribe: Uint8Array;
  recipientKey: string[];
  listId: Float64Array;
  occurredAt: string[];
}

/** The opens and clicks of a page that passed every check needing no database: entry i of each column is one row. */
export interface EngagementColumns {
  /** The row's position in the page. */
  slot: Uint32Array;
  /** 1 for a click, 0 for an open. */
  click: Uint8Array;
  recipientId: string[];
  /** The row's mailing, as an index into the page's `mailingIds`. */
  mailing: Uint32Array;
  /** The event time as UTC ISO 8601. */
  occurredAt: string[];
  /** The row's list id as a number, 0 when it has none or it does not read as one (only compared with our lists' ids). */
  listId: Float64Array;
  /** A click's URL; '' for an open. */
  url: string[];
}

/** `settled` of a row that goes on to the look-ups. */
export const UNSETTLED = 255;

/** A page after classification: what the response ingestion thread is handed instead of its rows. */
export interface ClassifiedPage {
  /** Per row: its kind, as an index into RESPONSE_KINDS. */
  kinds: Uint8Array;
  /** Per row: the outcome it already has, as an index into OUTCOMES, or UNSETTLED. */
  settled: Uint8Array;
  /** The distinct mailing ids the page's mailing, open and click rows name: their campaigns are resolved once per page. */
  mailingIds: string[];
  engagements: EngagementColumns;
  feedback: FeedbackColumns;
  /** Into the suppression ledger before anything else of the page, whatever the CRM later does. */
  suppressions: SuppressionColumns;
}

/** What classification keeps for a window: the event keys seen in it (one activity execution). */
export interface ClassifyContext {
  client: ClientConfig;
  /** Now, for the plausibility bound on event times: Optimizely's clock (the window's end), not the worker's. */
  nowMs: number;
  seen: Set<string>;
}

/** Classifies a window's pages in the order given; one per window, since it remembers the event keys seen. */
export function pageClassifier(client: ClientConfig, nowMs: number): (getter: ResponseGetter, rows: readonly Row[]) => ClassifiedPage {
  const context: ClassifyContext = { client, nowMs, seen: new Set() };
  // Each row is read as it is classified: no array of row objects is built for the page.
  return (getter, rows) => classifyRows(rows.length, (slot) => readResponseRow(getter, rows[slot] as Row), context);
}

const KIND_INDEX = new Map(RESPONSE_KINDS.map((kind, i) => [kind, i]));
const OUTCOME_INDEX = new Map(OUTCOMES.map((outcome, i) => [outcome, i]));

/** Classifies one page's rows: every row gets its kind and, where no database is needed to tell, its outcome. */
export function classifyPage(rows: readonly ResponseRow[], context: ClassifyContext): ClassifiedPage {
  return classifyRows(rows.length, (slot) => rows[slot] as ResponseRow, context);
}

function classifyRows(count: number, rowAt: (slot: number) => ResponseRow, context: ClassifyContext): ClassifiedPage {
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
    const ms = Date.parse(row.timestamp);
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
      listId.push(Number(row.recipientListId) || 0);
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

/** The feedback candidates of a classified page, one object each (on the thread that looks them up). */
export function feedbackCandidatesOf(f: FeedbackColumns): FeedbackCandidate[] {
  return Array.from(f.slot, (slot, i) => ({
    slot,
    kind: f.unsubscribe[i] === 1 ? 'unsubscribe' : 'bounce',
    checked: {
      recipientId: f.recipientId[i] as string,
      listId: f.listId[i] as number,
      occurredAt: f.occurredAt[i] as string,
      category: f.category[i] as string,
    },
    key: f.key[i] as string,
    folded: f.folded[i] as string,
  }));
}

/** The suppression ledger's events of a classified page. */
export function suppressionEventsOf(s: SuppressionColumns, client: string): SuppressionEvent[] {
  return Array.from(s.unsubscribe, (unsubscribe, i) => ({
    client,
    kind: unsubscribe === 1 ? 'unsubscribe' : 'bounce',
    recipientKey: s.recipientKey[i] as string,
    listId: s.listId[i] as number,
    occurredAt: s.occurredAt[i] as string,
    source: 'responses',
  }));
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
