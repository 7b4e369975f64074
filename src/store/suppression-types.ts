/** An unsubscribe (client-wide or from one list) or a bounce Optimizely reported. */
export type SuppressionKind = 'unsubscribe' | 'bounce';

/**
 * Where a suppression was read: the ClosedLoop getters of the feedback import, a file an export job
 * dropped, response ingestion, or Optimizely's unsubscribe list asked before adding to an opt-in list.
 */
export const SUPPRESSION_SOURCES = ['closed_loop', 'dropped_file', 'responses', 'unsubscribe_check'] as const;
export type SuppressionSource = (typeof SUPPRESSION_SOURCES)[number];

/**
 * One event of the suppression ledger. Unique per (client, kind, recipient key, list id, time), so
 * reading the same event again (the ClosedLoop overlap, a file and the getters) records it once.
 */
export interface SuppressionEvent {
  /** The client key of the configuration. */
  client: string;
  kind: SuppressionKind;
  /** The recipient id as Optimizely reported it, normalised by `suppressionKey`. */
  recipientKey: string;
  /** The Optimizely list id an unsubscribe came from; 0 = client-wide. Bounces are recorded with 0. */
  listId: number;
  /** When it happened at Optimizely (ISO with zone). */
  occurredAt: string;
  source: SuppressionSource;
}

/** The latest suppression of one kind and recipient key that concerns a list. */
export interface ActiveSuppression {
  kind: SuppressionKind;
  recipientKey: string;
  /** The newest event's time (ISO, UTC). */
  latestAt: string;
}

/**
 * The consent a CRM withdrawal concerns: a list's advertising consent and medium (as the list is
 * configured; the medium lower-cased). Every list of the client sending under it honours the withdrawal.
 */
export interface CrmWithdrawalScope {
  client: string;
  optInId: string;
  mediaType: string;
}

/**
 * The latest night an export read a CRM row stating a withdrawal of the scope's consent for a
 * recipient key (docs/crm.md, "Suppression ledger", CRM withdrawals): a later row of that key is sent
 * only with a consent granted in a later second.
 */
export interface CrmWithdrawal {
  recipientKey: string;
  /** The export's time (ISO, UTC, milliseconds): the latest of all exports that read it. */
  withdrawnAt: string;
}
