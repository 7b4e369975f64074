import type { ListControl, OperatorAction, OperatorActionFilter } from './control-types';
import type { FeedbackFileRecord } from './feedback-intake-types';
import type { LedgerCounts, LedgerEntry, LedgerHit, LedgerLookup, SentBatch, SentEntity } from './ledger-types';
import type { RunFilter, RunRecord, RunRetentionResult, StepRecord } from './run-types';
import type { SnapshotBatch, SnapshotInfo, SnapshotMeta, SnapshotRow, SnapshotSummary } from './snapshot-types';
import type { Watermark } from './watermark-types';
import type { IncidentStore } from './incident-types';
import type { SlotLeaseStore } from './slot-lease-types';
import type { RefusalStore } from './refusal-types';
import type { ActiveSuppression, CrmWithdrawal, CrmWithdrawalScope, SuppressionEvent, SuppressionKind } from './suppression-types';

/** Run and step records; every write is an upsert on the business key, so retried activities are safe. */
export interface RunStore {
  /** Inserts or updates by `runId`; the first `startedAt` is kept. */
  upsert(run: RunRecord): Promise<void>;
  get(runId: string): Promise<RunRecord | undefined>;
  /** Newest first by `startedAt`. */
  list(filter?: RunFilter): Promise<RunRecord[]>;
  /** The newest completed list run with a snapshot: the guard's reference size. */
  lastGood(client: string, listKey: string): Promise<RunRecord | undefined>;
  /** Inserts or updates by (`runId`, `name`); the first `startedAt` is kept. */
  upsertStep(step: StepRecord): Promise<void>;
  /** In order of `startedAt`. */
  steps(runId: string): Promise<StepRecord[]>;
  /**
   * Retention: deletes runs started before `before` with their ledger entries, sent batches and
   * steps, keeping each list's `lastGood` run. `onProgress` is called between chunks of deletes.
   */
  deleteStartedBefore(before: string, onProgress?: () => void): Promise<RunRetentionResult>;
  /**
   * Where the ledger of what the client sent is complete: per list, the first run started at or after
   * `since` (the retention's cut; any run when not given), and of those the latest; undefined when
   * the client has no such run. An event after it concerns a recipient sent by a run still kept,
   * whichever list it came through (the dropped-file id check, feedback-file-ids.ts).
   */
  ledgerCompleteSince(client: string, since?: string): Promise<string | undefined>;
}

/** The per-recipient record of each run. */
export interface LedgerStore {
  /** Inserts in one transaction; entries already recorded are skipped. Returns how many were new. */
  record(entries: readonly LedgerEntry[]): Promise<number>;
  /**
   * Forgets a list's exclusions (and sanitized entries) of a run made by the export, for an export that
   * restarts from its first row; the refill's own exclusions (negative row numbers) are kept.
   */
  clearExclusions(runId: string, listKey: string): Promise<number>;
  count(runId: string, listKey?: string): Promise<LedgerCounts>;
  /** Every entry of a run in recording order, read page by page (constant memory). */
  stream(runId: string, options?: { listKey?: string; pageSize?: number }): AsyncIterable<LedgerEntry>;
  /** Entries for one recipient id or one entity, newest first (default 20): what `why` shows. */
  find(lookup: LedgerLookup): Promise<LedgerHit[]>;
  /** Per list, the entity the recipient id was last sent as: maps feedback to CRM entities. */
  sentEntities(query: { recipientId: string; client?: string; listKey?: string }): Promise<SentEntity[]>;
  /** `sentEntities` of many recipient ids at once (one query per page of response data); every id is a key, [] when never sent. */
  sentEntitiesOf(query: { recipientIds: readonly string[]; client?: string }): Promise<Map<string, SentEntity[]>>;
  /** Records a refill batch's result codes; a batch recorded before keeps its first codes. Returns whether it was new. */
  recordBatch(batch: SentBatch): Promise<boolean>;
  /**
   * Records several batches' codes at once, all or none (one statement per 100 batches, in one
   * transaction when more); a batch recorded before keeps its first codes. Returns how many were new.
   */
  recordBatches(batches: readonly SentBatch[]): Promise<number>;
  /** A list's recorded batches of a run from `fromBatch` on, in batch order, `limit` at a time (default 100). */
  batches(runId: string, listKey: string, options?: { fromBatch?: number; limit?: number }): Promise<SentBatch[]>;
  /**
   * Forgets a run's `sent` and `rejected` entries of these recipients on one list: a retried refill
   * left them out as opted out after an attempt that died had sent them (their exclusion is recorded
   * on its own). A `kept` entry is not touched. Returns how many entries were forgotten.
   */
  withdrawSent(runId: string, listKey: string, recipientIds: readonly string[]): Promise<number>;
  /**
   * Marks positions of a recorded batch left out as opted out (`unsubscribedPositions`), over the
   * codes it was first recorded with: a retried refill left them out after an attempt that died had
   * recorded the batch as sent. No row yet: nothing to do (the retry records its own). Returns
   * whether the row changed.
   */
  leaveOutOfBatch(batch: { runId: string; listKey: string; batchNo: number; positions: readonly number[] }): Promise<boolean>;
}

/** Appends rows to a snapshot being written; nothing is readable until `finish`. */
export interface SnapshotWriter {
  readonly snapshotRef: string;
  append(rows: readonly SnapshotRow[]): Promise<void>;
  finish(): Promise<SnapshotSummary>;
  /** Drops the rows written so far. */
  abort(): Promise<void>;
}

/** Claim-check storage for the validated recipients of one list in one run. */
export interface SnapshotStore {
  open(meta: SnapshotMeta): Promise<SnapshotWriter>;
  /** Streams `rows` into a new snapshot in batches. */
  write(meta: SnapshotMeta, rows: AsyncIterable<SnapshotRow> | Iterable<SnapshotRow>): Promise<SnapshotSummary>;
  /** A finished snapshot, or undefined (unknown, unfinished or deleted). */
  get(snapshotRef: string): Promise<SnapshotInfo | undefined>;
  /**
   * The finished snapshots of one run of one list (a run that exported more than once has several), by
   * start time; snapshots started within one millisecond come in no set order.
   */
  ofRun(meta: SnapshotMeta): Promise<SnapshotInfo[]>;
  /** Rows `offset` .. `offset + limit - 1` (0-based); throws SnapshotNotFoundError for an unfinished ref. */
  readBatch(snapshotRef: string, offset: number, limit: number): Promise<SnapshotRow[]>;
  /** Batches of at most `batchSize` (default and maximum 1000) from `fromOffset`, up to `endOffset` (exclusive) when given. */
  batches(snapshotRef: string, options?: { fromOffset?: number; endOffset?: number; batchSize?: number }): AsyncIterable<SnapshotBatch>;
  /** Re-reads every row; throws SnapshotChecksumError when count or checksum differ from the recorded or `expected` ones. */
  verify(snapshotRef: string, expected?: { count: number; checksum: string }): Promise<SnapshotSummary>;
  delete(snapshotRef: string): Promise<boolean>;
  /** Deletes snapshots (finished or abandoned) created before `before`, except `keep`; returns how many. */
  deleteOlderThan(before: string, options?: { keep?: readonly string[] }): Promise<number>;
}

/** How far feedback or response data has been read, per client and kind. */
export interface WatermarkStore {
  get(client: string, kind: string): Promise<string | undefined>;
  /** Moves forward only (an older value is ignored, so retries are safe); returns the value now stored. */
  advance(watermark: Watermark): Promise<string>;
  /** Sets the value even backwards: an operator's deliberate re-read. */
  reset(watermark: Watermark): Promise<void>;
}

/** List controls (pause state per list) and the operator action audit trail. */
export interface ControlStore {
  setList(control: ListControl): Promise<void>;
  getList(client: string, listKey: string): Promise<ListControl | undefined>;
  lists(client?: string): Promise<ListControl[]>;
  /** Appends an action; an `actionId` recorded before is not recorded twice. */
  recordAction(action: OperatorAction): Promise<void>;
  /** Newest first (default 100). */
  actions(filter?: OperatorActionFilter): Promise<OperatorAction[]>;
}

/**
 * The suppression ledger: Optimizely's unsubscribes and bounces per client, whether or not we ever
 * sent the recipient and whatever the CRM applied, and the withdrawals the CRM itself stated (so a
 * CRM that clears its flag without a newer consent does not reverse them). Never pruned (docs/state-store.md).
 */
export interface SuppressionStore {
  /** Inserts in one transaction; events recorded before are skipped. Returns how many were new. */
  record(events: readonly SuppressionEvent[]): Promise<number>;
  /**
   * Per recipient key, the latest unsubscribe concerning an Optimizely list (from that list or
   * client-wide) and the latest bounce (any list): what the list's export must exclude.
   */
  forList(client: string, listId: number): Promise<ActiveSuppression[]>;
  /** Every recorded event of a recipient key, newest first: what an operator looks up. */
  events(client: string, recipientKey: string): Promise<SuppressionEvent[]>;
  /**
   * A page of the client's distinct recipient keys of one kind of event, in the store's order after
   * `after`: the scan that finds keys stored in a former form (see storedKeyForms), page by page
   * along the primary key.
   */
  recipientKeys(client: string, page: { kind: SuppressionKind; after?: string; limit: number }): Promise<string[]>;
  /**
   * Consent latency of the events first recorded at or after `recordedFrom` (ISO), and at or before
   * `recordedTo` when given: how many took each whole number of minutes from Optimizely's event time
   * to their recording (negative clamped to 0).
   */
  latencyMinutes(client: string, recordedFrom: string, recordedTo?: string): Promise<Record<string, number>>;
  /**
   * Per recipient key, the earliest event time (ISO, UTC) of the events concerning a list (its own
   * unsubscribes, client-wide ones, bounces) first recorded at or after `recordedFrom`: the opt-outs
   * the list's next refill must carry out (consent latency, stage list).
   */
  recordedSince(client: string, listId: number, recordedFrom: string): Promise<Array<{ recipientKey: string; occurredAt: string }>>;
  /**
   * Records that an export at `at` (ISO) read the CRM withdrawing the scope's consent under these
   * recipient keys (`suppressionKeyForms`): one row per key, holding the latest such time (a retried
   * or repeated export never moves it back). In one transaction.
   */
  recordCrmWithdrawals(scope: CrmWithdrawalScope, recipientKeys: readonly string[], at: string): Promise<void>;
  /** Every CRM withdrawal of the scope's consent, one per recipient key: what the export must check. */
  crmWithdrawals(scope: CrmWithdrawalScope): Promise<CrmWithdrawal[]>;
  /** The client's CRM withdrawals stored under any of these keys, every consent: an operator's look-up (`why`). */
  crmWithdrawalsOf(client: string, recipientKeys: readonly string[]): Promise<Array<CrmWithdrawal & CrmWithdrawalScope>>;
}

/** Feedback intake: each dropped file once, each applied feedback event once (by its key). */
export interface FeedbackIntakeStore {
  /** The record of a file with these bytes, if one was seen before. */
  file(client: string, checksum: string): Promise<FeedbackFileRecord | undefined>;
  /** Upserts by (client, checksum); a file recorded `processed` stays processed. */
  recordFile(record: FeedbackFileRecord): Promise<void>;
  /**
   * The files whose setting aside a report must name: those recorded with a reason under `runId`
   * (quarantined, set aside unread by name, type or changing, or applied and set aside for review, by
   * any attempt of that run), and those of any
   * run still `review` (applied, the move to quarantine/ not known to be done). By name, byte by byte
   * (UTF-8) in both engines, whatever the database's collation.
   */
  setAsideFiles(client: string, runId: string): Promise<FeedbackFileRecord[]>;
  /** Of `keys`, those recorded as applied for the client. */
  appliedKeys(client: string, keys: readonly string[]): Promise<Set<string>>;
  /** Records event keys as applied; keys recorded before keep their first run. Returns how many were new. */
  recordAppliedKeys(client: string, keys: readonly string[], runId: string): Promise<number>;
  /** Retention: forgets event keys recorded before `before` (far beyond any re-read window). */
  deleteKeysBefore(before: string): Promise<number>;
}

/** What the workflows must not carry: runs, ledger, snapshots, watermarks and controls. */
export interface StateStore {
  readonly dialect: 'sqlite' | 'postgres';
  readonly runs: RunStore;
  readonly ledger: LedgerStore;
  readonly snapshots: SnapshotStore;
  readonly watermarks: WatermarkStore;
  readonly controls: ControlStore;
  readonly suppressions: SuppressionStore;
  readonly feedbackIntake: FeedbackIntakeStore;
  /** Alert incidents: one notice per incident and one recovery notice (src/alerts). */
  readonly incidents: IncidentStore;
  /** Leases on the Optimizely call budgets shared by every worker (src/optimizely/budget). */
  readonly slotLeases: SlotLeaseStore;
  /** The values each list's refills were refused, so the export leaves them out (docs/crm.md, "Refused before"). */
  readonly refusals: RefusalStore;
  close(): Promise<void>;
}
