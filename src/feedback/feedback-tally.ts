import type { FeedbackOutcome } from '../crm/crm-port';
import { ROW_REJECTIONS, type RowRejection } from './feedback-row';

/**
 * What became of the rows of one kind; every row counts exactly once. `applied`: the CRM changed
 * (SQL adapters); `handed`: written to the CSV exchange's outbox for the CRM to import;
 * `alreadyApplied`: the CRM already said so (or changed the consent after the event); `repeated`:
 * the same event was applied before (the ClosedLoop overlap, a re-dropped row); `unknownRecipient`:
 * never sent by us; `unknownEntity`: sent, but the CRM no longer has the entity;
 * `unresolvedOptOut`: sent on a list since removed from the configuration whose run recorded neither
 * the Optimizely list id nor the consent it matched, so (that part of) the opt-out was not applied
 * (feedbackMappingOf); `rejected`: the row failed a check, counted by reason.
 */
export interface FeedbackTally {
  rows: number;
  applied: number;
  handed: number;
  alreadyApplied: number;
  repeated: number;
  unknownRecipient: number;
  unknownEntity: number;
  unresolvedOptOut: number;
  rejected: Record<RowRejection, number>;
  /** The first rejected lines (file name, line, reason) for the log; the run folder keeps them all. */
  rejectedLines: Array<{ file: string; line: number; reason: RowRejection }>;
}

/** A row's outcome once its events went to the CRM (or did not need to). */
export type RowOutcome = 'applied' | 'handed' | 'alreadyApplied' | 'repeated' | 'unknownRecipient' | 'unknownEntity' | 'unresolvedOptOut';

export const emptyTally = (): FeedbackTally => ({
  rows: 0,
  applied: 0,
  handed: 0,
  alreadyApplied: 0,
  repeated: 0,
  unknownRecipient: 0,
  unknownEntity: 0,
  unresolvedOptOut: 0,
  rejected: Object.fromEntries(ROW_REJECTIONS.map((r) => [r, 0])) as Record<RowRejection, number>,
  rejectedLines: [],
});

/** A row with several events (a client-wide unsubscribe) counts once, by its best CRM outcome. */
// An unresolved part outranks what the CRM made of the rest: the row must be reported, not counted as done.
const RANK: Record<RowOutcome, number> = {
  unresolvedOptOut: 6,
  applied: 5,
  handed: 5,
  alreadyApplied: 4,
  unknownEntity: 3,
  repeated: 2,
  unknownRecipient: 1,
};
export const ROW_OUTCOME: Record<FeedbackOutcome, RowOutcome> = {
  applied: 'applied',
  handed: 'handed',
  already: 'alreadyApplied',
  unknown_entity: 'unknownEntity',
};

export function betterOutcome(now: RowOutcome | undefined, next: RowOutcome): RowOutcome {
  return now === undefined || RANK[next] > RANK[now] ? next : now;
}

/** Rows rejected, over all reasons. */
export const rejectedRows = (tally: FeedbackTally): number => Object.values(tally.rejected).reduce((a, b) => a + b, 0);

/** The log line of rows counted `unresolvedOptOut`, the same for the feedback import and response ingestion. */
export const UNRESOLVED_OPT_OUTS =
  'Opt-outs not applied: sent on a list no longer configured whose run recorded neither list id nor consent';
