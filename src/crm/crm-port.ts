// The CRM as campaign-sync sees it. Adapters (SQL, CSV exchange) implement this port; activities
// depend only on it. Every event and result is JSON-plain so activities can log counts of them and
// tests can compare them directly.
import { ownValue } from '../own-value';

/** One raw row of a list's selection: CRM column name → value, before validation. */
export type CrmRow = Readonly<Record<string, unknown>>;

/**
 * A row's cell by its own column only: a mapped column named like an inherited member
 * (`constructor`, `toString`) that the selection does not return is absent, never Object's function.
 * Every look-up of a CRM row by column name goes through here (and `hasCrmColumn`).
 */
export function crmCell(row: CrmRow, column: string): unknown {
  return ownValue(row, column);
}

/** Whether the selection returned `column` (an own column, whatever its value). */
export function hasCrmColumn(row: CrmRow, column: string): boolean {
  return Object.hasOwn(row, column);
}

/** Where a row the adapter could not read was (a malformed CSV line); never what it held. */
export interface MalformedRow {
  /** 1-based line of the file. */
  line: number;
  /** What is wrong, e.g. `unclosed_quote`. */
  problem: string;
  /**
   * The line could be read, but it ends the file without a line break and may have been cut in it:
   * excluded as `cut_last_line` rather than `malformed_row`.
   */
  cut?: true;
  /** The field the problem was found at, when it names the problem (`too_many_fields`: the first beyond the header). */
  field?: number;
  /**
   * The line read leniently by the header's positions: what it may say about consent (an opt-out it
   * states wins for the person). One reading when the line is no wider than the header; a wider one
   * has one reading per shift of its cells (which of them is which column is unknown), and an
   * opt-out any reading states counts. Never sent, stored or quoted.
   */
  salvage?: readonly CrmRow[];
}

/**
 * The cell of a column an adapter knows the selection has but could not read for this row (a CSV line
 * narrower than its header does not reach it). It has no text form: validation reads it as
 * unreadable, so an opt-out column holding it counts as set, never as "not set".
 */
export const UNREAD_CELL: unknown = Object.freeze({ unreadCell: true });

const MALFORMED = Symbol('malformedRow');

/** A selection row standing for an unreadable line: the export excludes it as `malformed_row` (or `cut_last_line`). */
export function malformedRow(where: MalformedRow): CrmRow {
  return { [MALFORMED]: where } as unknown as CrmRow;
}

/** The malformed row's location, or undefined for an ordinary row. */
export function malformedRowOf(row: CrmRow): MalformedRow | undefined {
  return (row as unknown as Record<symbol, MalformedRow | undefined>)[MALFORMED];
}

/** A bounce or an unsubscribe that Optimizely reported for a recipient we sent. */
export interface FeedbackEvent {
  kind: 'bounce' | 'unsubscribe';
  recipientId: string;
  /** Technical fields sent with the recipient; they find the CRM entity again. */
  entityType: string;
  entityId: string;
  /** The advertising consent (opt-in id) of the list the recipient left; used for unsubscribes. */
  optInId: string;
  mediaType: string;
  /** ISO 8601 timestamp in Optimizely server time. */
  occurredAt: string;
  /** Bounces only: a hard bounce sets the bounce status; soft bounces are recorded as soft. */
  hard?: boolean;
}

/**
 * `applied`: the CRM changed (SQL adapters); `handed`: written to the CRM's outbox, which the CRM
 * imports on its own schedule (CSV exchange: we cannot see whether it changed anything);
 * `already`: it was already so (or handed before); `unknown_entity`: no such entity.
 */
export type FeedbackOutcome = 'applied' | 'handed' | 'already' | 'unknown_entity';

export interface FeedbackResult {
  /** Index of the event in the input array. */
  index: number;
  outcome: FeedbackOutcome;
}

/** An open or a click of a mailing, from Optimizely's response data. */
export interface ResponseEvent {
  kind: 'open' | 'click';
  mailingId: string;
  recipientId: string;
  entityType: string;
  entityId: string;
  occurredAt: string;
  /** Clicks only: the clicked link. */
  url?: string;
}

/** `applied`: recorded; `no_campaign`: the mailing is not a CRM campaign (skipped); `duplicate`: recorded before. */
export type ResponseOutcome = 'applied' | 'no_campaign' | 'duplicate';

export interface ResponseResult {
  index: number;
  outcome: ResponseOutcome;
}

/** Feedback and response events applied together (see CrmPort.applyEvents). */
export interface CrmEventBatch {
  feedback: readonly FeedbackEvent[];
  responses: readonly ResponseEvent[];
}

export interface CrmEventResults {
  feedback: FeedbackResult[];
  responses: ResponseResult[];
}

/** The CRM port. One instance per CRM connection; `close()` releases it. */
export interface CrmPort {
  /**
   * Streams the raw rows of the selection configured under `selectionKey` (a key of `lists`: a list
   * key or `<client>/<list>`, chosen by selectionKeyOf), in constant memory.
   */
  exportSelection(selectionKey: string): AsyncIterable<CrmRow>;
  /** Sets bounce status / withdraws the list's consent; idempotent; one result per event, in order. */
  applyFeedback(events: readonly FeedbackEvent[]): Promise<FeedbackResult[]>;
  /** Records opens and clicks of mailings the CRM knows as campaigns; idempotent. */
  applyResponses(events: readonly ResponseEvent[]): Promise<ResponseResult[]>;
  /**
   * Optional: `applyFeedback` then `applyResponses` in one transaction, so one durable commit (a sync
   * to disk) instead of two; the results as those two would give them. Adapters without
   * transactions leave it out and callers make the two calls.
   */
  applyEvents?(batch: CrmEventBatch): Promise<CrmEventResults>;
  /** The CRM campaign id of an Optimizely mailing, or undefined when the CRM does not know it. */
  campaignForMailing(mailingId: string): Promise<string | undefined>;
  close(): Promise<void>;
}
