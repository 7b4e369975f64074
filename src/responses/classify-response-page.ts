import type { ClientConfig } from '../config/config-schema';
import { reportedEventKey } from '../feedback/applied-event-key';
import { bounceSeverity } from '../feedback/bounce-category';
import { parseListId } from '../feedback/feedback-row';
import { parseFeedbackTime } from '../feedback/feedback-time';
import type { Row } from '../optimizely/client/optimizely-port';
import type { SuppressionEvent } from '../store/suppression-types';
import { canonicalUtcIso } from '../validation/canonical-utc-time';
import { suppressionKey } from '../validation/suppressions';
import { EngagementKeySet } from './engagement-key-set';
import { EventKeySet } from './event-key-set';
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
  /** The row's list id as a number, 0 when it has none or it is no plain integer (only compared with our lists' ids). */
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

/** The event keys seen: a window's EventKeySet, or any Set<string>. */
export interface SeenKeys {
  add(key: string): unknown;
  readonly size: number;
}

/** What classification keeps for a window: the event keys seen in it (one activity execution). */
export interface ClassifyContext {
  client: ClientConfig;
  /** Now, for the plausibility bound on event times: Optimizely's clock (the window's end), not the worker's. */
  nowMs: number;
  /** Bounces', unsubscribes' and other responses' keys; opens' and clicks' too when there is no `seenEngagements`. */
  seen: SeenKeys;
  /** Opens and clicks by their own fast key (engagement-key-set.ts), apart from the opt-outs' keys. */
  seenEngagements?: EngagementKeySet;
}

/** Classifies a window's pages in the order given; one per window, since it remembers the event keys seen. */
export function pageClassifier(client: ClientConfig, nowMs: number): (getter: ResponseGetter, rows: readonly Row[]) => ClassifiedPage {
  const context: ClassifyContext = { client, nowMs, seen: new EventKeySet(), seenEngagements: new EngagementKeySet() };
  // Each row is read as it is classified: no array of row objects is built for the page.
  return (getter, rows) => classifyRows(rows.length, (slot) => readResponseRow(getter, rows[slot] as Row), context);
}

const KIND_INDEX = new Map(RESPONSE_KINDS.map((kind, i) => [kind, i]));
const OUTCOME_INDEX = new Map(OUTCOMES.map((outcome, i) => [outcome, i]));
const outcomeIndex = (outcome: Outcome) => OUTCOME_INDEX.get(outcome) as number;
const [READ, INVALID, DUPLICATE, IGNORED] = [
  outcomeIndex('read'),
  outcomeIndex('invalid'),
  outcomeIndex('duplicate'),
  outcomeIndex('ignored'),
];

/** Classifies one page's rows: every row gets its kind and, where no database is needed to tell, its outcome. */
export function classifyPage(rows: readonly ResponseRow[], context: ClassifyContext): ClassifiedPage {
  return classifyRows(rows.length, (slot) => rows[slot] as ResponseRow, context);
}

// Written for the reading thread's CPU (one pass per row, no object per candidate or event, typed
// columns filled in place); test/unit/responses/classify-rows-former.test.ts checks it classifies any
// rows exactly as the former spelling (test/helpers/former-classify-response-page.ts) did.
function classifyRows(count: number, rowAt: (slot: number) => ResponseRow, context: ClassifyContext): ClassifiedPage {
  const kinds = new Uint8Array(count);
  const settled = new Uint8Array(count);
  const mailings = new Map<string, number>();
  const engagements = engagementBuilder(count);
  const feedback = feedbackBuilder(count);
  const suppressions = suppressionBuilder(count);
  for (let slot = 0; slot < count; slot += 1) {
    const row = rowAt(slot);
    kinds[slot] = KIND_INDEX.get(row.kind) as number;
    if (hasOversizedCell(row)) {
      settled[slot] = INVALID;
      continue;
    }
    const engagement = row.kind === 'open' || row.kind === 'click';
    // Every mailing a mailing, open or click row names, valid or not: the campaigns are looked up per page.
    if (row.kind === 'mailing') {
      mailingIndex(mailings, row.mailingId);
      // A mailing row only names a mailing whose campaign is resolved, sparing each of its opens a CRM query.
      settled[slot] = READ;
      continue;
    }
    const mailing = engagement ? mailingIndex(mailings, row.mailingId) : 0;
    // An open or click is dated as strictly as a bounce or an unsubscribe (feedback-time.ts: ISO 8601
    // with a zone, from 2000 to a day after the window's end; ClosedLoop's own form read by its
    // characters). Read by Date.parse, a time without a zone took the worker's time zone, loose text
    // became some day of 2001, and a year such as -1 or 275760 reached the CRM as `-000001-…`, which a
    // CRM storing timestamps refuses: the window then failed on every retry.
    const engagementTime = engagement ? parseFeedbackTime(row.timestamp, context.nowMs) : undefined;
    let outcome = settledOutcome(row, engagementTime ? engagementTime.ok : isReadableTime(row.timestamp), context);
    if (outcome === UNSETTLED && (row.kind === 'bounce' || row.kind === 'unsubscribe')) {
      if (!addFeedback(slot, row, context, feedback, suppressions)) outcome = INVALID;
    } else if (outcome === UNSETTLED && engagementTime?.ok) engagements.add(slot, row, mailing, engagementTime.iso);
    settled[slot] = outcome;
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

/**
 * Whether a bounce's, unsubscribe's or other response's time reads at all (its key is taken then; a
 * bounce or unsubscribe is then checked strictly by addFeedback): ClosedLoop's own ISO form
 * (canonical-utc-time.ts), or any other text Date.parse reads, as every row's time was.
 */
function isReadableTime(text: string): boolean {
  return canonicalUtcIso(text) !== undefined || !Number.isNaN(Date.parse(text));
}

function mailingIndex(mailings: Map<string, number>, id: string): number {
  let index = mailings.get(id);
  if (index === undefined) mailings.set(id, (index = mailings.size));
  return index;
}

/** The outcome (its index) a row other than a mailing has before any look-up, or UNSETTLED when it goes on to them. */
function settledOutcome(row: ResponseRow, readableTime: boolean, context: ClassifyContext): number {
  if (!row.recipientId || !readableTime) return INVALID;
  if (!isNewEvent(row, context)) return DUPLICATE;
  if (row.kind === 'other') return IGNORED;
  return UNSETTLED;
}

/** Whether the row's event is new to the window: one look-up of its key set, which then holds it. */
function isNewEvent(row: ResponseRow, context: ClassifyContext): boolean {
  const { seen, seenEngagements } = context;
  if (seenEngagements && (row.kind === 'open' || row.kind === 'click')) return seenEngagements.add(row);
  // The key is new when adding it grew the set.
  const size = seen.size;
  seen.add(eventKey(row));
  return seen.size !== size;
}

/**
 * Adds a bounce or unsubscribe row whose list id and time pass the checks of a feedback file's row
 * to the page's candidates and, unless a soft bounce, to its suppression events; false when it is
 * invalid.
 */
function addFeedback(
  slot: number,
  row: ResponseRow,
  context: ClassifyContext,
  feedback: ReturnType<typeof feedbackBuilder>,
  suppressions: ReturnType<typeof suppressionBuilder>,
): boolean {
  const time = parseFeedbackTime(row.timestamp, context.nowMs);
  const listId = parseListId(row.recipientListId);
  if (!time.ok || listId === undefined) return false;
  const kind = row.kind as FeedbackCandidate['kind'];
  // Folded once: the suppression event, the key and the key forms on the ingestion thread all need it.
  const folded = suppressionKey(row.recipientId);
  const key = reportedEventKey(kind, { recipientId: row.recipientId, listId, occurredAt: time.iso }, folded);
  feedback.add(slot, kind, row.recipientId, listId, time.iso, row.category, key, folded);
  // Into the suppression ledger even when the CRM had the event before; soft bounces from
  // getResponses are not out-bounces (Optimizely still mails them). The event suppressionEventOf
  // made of the checked row: what it checks again holds here already (an ISO time, a list id of at
  // most 15 digits), except an id that folds to no key, which has no event.
  if (folded !== '' && (kind === 'unsubscribe' || bounceSeverity(row.category) === 'hard'))
    suppressions.add(kind, folded, kind === 'bounce' ? 0 : listId, time.iso);
  return true;
}

/** Typed columns of at most `capacity` entries, filled in place and cut to the entries added. */
function engagementBuilder(capacity: number) {
  const slot = new Uint32Array(capacity);
  const click = new Uint8Array(capacity);
  const mailing = new Uint32Array(capacity);
  const listId = new Float64Array(capacity);
  const recipientId: string[] = [];
  const occurredAt: string[] = [];
  const url: string[] = [];
  return {
    add(at: number, row: ResponseRow, mailingIndex: number, iso: string) {
      const n = recipientId.length;
      slot[n] = at;
      click[n] = row.kind === 'click' ? 1 : 0;
      mailing[n] = mailingIndex;
      // A plain integer as a bounce's list id (parseListId), else no list: `0x64` or `1e2` names none.
      listId[n] = parseListId(row.recipientListId) ?? 0;
      recipientId.push(row.recipientId);
      occurredAt.push(iso);
      url.push(row.kind === 'click' ? row.linkUrl : '');
    },
    columns(): EngagementColumns {
      const n = recipientId.length;
      return {
        slot: slot.slice(0, n),
        click: click.slice(0, n),
        recipientId,
        mailing: mailing.slice(0, n),
        occurredAt,
        listId: listId.slice(0, n),
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

function feedbackBuilder(capacity: number) {
  const slot = new Uint32Array(capacity);
  const unsubscribe = new Uint8Array(capacity);
  const listId = new Float64Array(capacity);
  const recipientId: string[] = [];
  const occurredAt: string[] = [];
  const category: string[] = [];
  const key: string[] = [];
  const folded: string[] = [];
  return {
    add(at: number, kind: FeedbackCandidate['kind'], id: string, list: number, iso: string, cat: string, eventKey: string, fold: string) {
      const n = recipientId.length;
      slot[n] = at;
      unsubscribe[n] = kind === 'unsubscribe' ? 1 : 0;
      listId[n] = list;
      recipientId.push(id);
      occurredAt.push(iso);
      category.push(cat);
      key.push(eventKey);
      folded.push(fold);
    },
    columns(): FeedbackColumns {
      const n = recipientId.length;
      return {
        slot: slot.slice(0, n),
        unsubscribe: unsubscribe.slice(0, n),
        recipientId,
        listId: listId.slice(0, n),
        occurredAt,
        category,
        key,
        folded,
      };
    },
  };
}

function suppressionBuilder(capacity: number) {
  const unsubscribe = new Uint8Array(capacity);
  const listId = new Float64Array(capacity);
  const recipientKey: string[] = [];
  const occurredAt: string[] = [];
  return {
    add(kind: FeedbackCandidate['kind'], key: string, list: number, iso: string) {
      const n = recipientKey.length;
      unsubscribe[n] = kind === 'unsubscribe' ? 1 : 0;
      listId[n] = list;
      recipientKey.push(key);
      occurredAt.push(iso);
    },
    columns(): SuppressionColumns {
      const n = recipientKey.length;
      return { unsubscribe: unsubscribe.slice(0, n), recipientKey, listId: listId.slice(0, n), occurredAt };
    },
  };
}
