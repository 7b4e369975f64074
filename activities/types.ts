import type { CheckReadyByInput, CheckReadyByOutput } from '../src/alerts/ready-by-check';
import type { IncidentNotice } from '../src/alerts/incident';
import type { NotifyResult } from '../src/alerts/notify-incident';
import type { ResponseCounts } from '../src/responses/response-counts';
import type { ListDrift } from '../src/sync/drift';
import type { PrepareRestoreResult } from '../src/sync/restore/prepare-restore';

// Inputs and outputs of every activity: JSON-plain, references and counts only. No e-mail
// address, name or credential ever appears here, because all of it lands in workflow histories.

/** Counts keyed by a reason code or a result code ("0".."7"). */
export type Counts = Record<string, number>;

export interface ListRef {
  client: string;
  listKey: string;
}

export interface RunRef extends ListRef {
  /** The state store's run id: the Temporal run id of the list sync. */
  runId: string;
}

export interface PlanDailyRunInput {
  client: string;
}

export interface PlannedList {
  listKey: string;
  paused: boolean;
  pausedBy?: string;
  pauseReason?: string;
}

export interface PlanDailyRunOutput {
  lists: PlannedList[];
  /** How many list syncs may run at once for this client. */
  listParallelism: number;
}

export interface ImportFeedbackInput {
  client: string;
  runId: string;
}

export interface ImportFeedbackOutput {
  /**
   * Consent latency of the unsubscribes and out-bounces this import recorded first: minutes from
   * Optimizely's event time to the suppression ledger -> how many (the metric's source; counts only).
   */
  consentLatencyMinutes?: Record<string, number>;
  bounces: number;
  unsubscribes: number;
  /** Rows that changed the CRM (SQL adapters). */
  applied: number;
  /** Rows written to the CSV exchange's outbox: the CRM imports them on its own. Absent before this count existed. */
  handed?: number;
  alreadyApplied: number;
  /** Rows whose event was applied before (the ClosedLoop overlap, a re-dropped row). */
  repeated?: number;
  unknownRecipient: number;
  unknownEntity: number;
  /** Rows rejected by a check (all reasons); their line numbers are in the worker log and the run folder. */
  invalidRows: number;
  /** Rejected rows by reason (column_count, missing_recipient_id, invalid_list_id, invalid_timestamp). */
  rejected?: Record<string, number>;
  /** What happened to the files in the feedback folder (names and reasons only). */
  dropped?: { processed: string[]; duplicates: string[]; quarantined: Array<{ name: string; reason: string }> };
  /** Optimizely server time up to which feedback has been applied (ISO). */
  watermark: string;
  /** Where the run's bounces.csv and unsubscribes.csv were kept (paths, not content). */
  files: string[];
}

export interface FeedbackFreshnessInput {
  client: string;
  maxAgeMinutes: number;
}

export interface FeedbackFreshnessOutput {
  fresh: boolean;
  lastImportAt?: string;
}

export interface ExportListOutput {
  snapshotRef: string;
  count: number;
  checksum: string;
  rowsRead: number;
  excluded: Counts;
  /** Exported recipients with a sanitized attribute value (absent in runs recorded before sendability). */
  sanitizedRows?: number;
  /** Sanitized attribute values per CRM column; only columns with any. */
  sanitized?: Counts;
  /** The part of `excluded` the suppression ledger decided ("suppressed at export"), by reason. */
  suppressed?: Counts;
}

export interface EvaluateGuardInput extends RunRef {
  exported: ExportListOutput;
}

export interface GuardVerdict {
  hold: boolean;
  reasons: string[];
  lastGoodCount?: number;
  /** How long to wait for an operator before rejecting, in milliseconds. */
  approvalTimeoutMs: number;
}

/** The list exists at Optimizely, has every field the refill sends and, if set, the opt-in process exists. */
export interface PreflightListOutput {
  fieldsChecked: number;
}

export interface ClearListOutput {
  clearedAt: string;
  /**
   * When the first attempt that could have reached Optimizely started its clear call: the start of the
   * clear-to-ready window. Absent from results recorded before it was added (the window then starts at
   * `clearedAt`).
   */
  firstAttemptAt?: string;
}

export interface RefillListInput extends RunRef {
  snapshotRef: string;
  count: number;
  /** First batch of this chunk (inclusive) and the end (exclusive); batches hold 1000 rows. */
  firstBatch: number;
  endBatch: number;
  /** Record result codes per batch only; `recordSentLedger` writes the per-recipient entries after the verify. */
  deferLedger?: boolean;
}

export interface RefillListOutput {
  batchesDone: number;
  /** Recipients addAll3 answered for (rejected ones not included). */
  sent: number;
  resultCodes: Counts;
  /** Recipients refused on their own and ledgered rejected; the rest of their batch went in. */
  rejected?: number;
  /** Left out before addAll3: Optimizely holds them as unsubscribed (opt-in lists; ledgered excluded). */
  unsubscribed?: number;
}

/** What `pruneStateStore` deleted, and the cut-off times it used (ISO). */
export interface PruneStateStoreOutput {
  snapshotsBefore: string;
  runsBefore: string;
  snapshots: number;
  runs: number;
  ledgerEntries: number;
  /** Keys of applied feedback events forgotten (older than the run retention). Absent before this count existed. */
  feedbackEventKeys?: number;
  /** Run artefact folders deleted (older than the run retention). Absent before this count existed. */
  runFolders?: number;
}

/** How many sent ledger entries `recordSentLedger` wrote from the run's sent batches. */
export interface RecordSentLedgerOutput {
  batches: number;
  entries: number;
  newEntries: number;
}

export interface VerifyListInput extends RunRef {
  expected: number;
}

export interface VerifyListOutput {
  count: number;
  matches: boolean;
  verifiedAt: string;
}

export type RunKind = 'daily' | 'list' | 'responses';
export type RunStatus = 'running' | 'ready' | 'held' | 'rejected' | 'failed' | 'skipped' | 'completed' | 'restored';

export interface StartRunInput {
  runId: string;
  kind: RunKind;
  client: string;
  listKey?: string;
  workflowId: string;
}

export interface FinishRunInput {
  runId: string;
  status: RunStatus;
  summary: Record<string, unknown>;
}

export interface RecordStepInput {
  runId: string;
  step: string;
  status: 'started' | 'completed' | 'failed' | 'skipped';
  details?: Record<string, unknown>;
}

export interface OperatorActionInput {
  client: string;
  listKey?: string;
  runId?: string;
  action: string;
  by: string;
  reason?: string;
}

export interface PrepareRestoreInput extends RunRef {
  /** The restore's own run id (`<runId>:restore`): its snapshot, exclusions and sent ledger. */
  restoreRunId: string;
}

/** A restore plan (snapshot reference and counts) or why the list is left incomplete: what src/sync/restore builds. */
export type PrepareRestoreOutput = PrepareRestoreResult;

/** The activities the sync workflows call; `createActivities` must satisfy this. */
export interface SyncActivities {
  planDailyRun(input: PlanDailyRunInput): Promise<PlanDailyRunOutput>;
  checkFeedbackFreshness(input: FeedbackFreshnessInput): Promise<FeedbackFreshnessOutput>;
  importFeedback(input: ImportFeedbackInput): Promise<ImportFeedbackOutput>;
  readListControl(input: ListRef): Promise<PlannedList>;
  exportList(input: RunRef): Promise<ExportListOutput>;
  evaluateGuard(input: EvaluateGuardInput): Promise<GuardVerdict>;
  preflightList(input: RunRef): Promise<PreflightListOutput>;
  measureDrift(input: RunRef): Promise<ListDrift>;
  clearList(input: RunRef): Promise<ClearListOutput>;
  refillList(input: RefillListInput): Promise<RefillListOutput>;
  verifyList(input: VerifyListInput): Promise<VerifyListOutput>;
  recordSentLedger(input: RunRef): Promise<RecordSentLedgerOutput>;
  prepareRestore(input: PrepareRestoreInput): Promise<PrepareRestoreOutput>;
  pruneStateStore(): Promise<PruneStateStoreOutput>;
  /** Best effort: one notice per incident, one recovery notice (src/alerts). */
  notifyIncident(notice: IncidentNotice): Promise<NotifyResult>;
  startRun(input: StartRunInput): Promise<void>;
  finishRun(input: FinishRunInput): Promise<void>;
  recordStep(input: RecordStepInput): Promise<void>;
  recordOperatorAction(input: OperatorActionInput): Promise<void>;
}

// --- Response ingestion ---
export type { ResponseCounts };

export interface PlanResponseIngestInput {
  client: string;
  /** The state store's run id: the Temporal run id of the ingestion. */
  runId: string;
  workflowId: string;
  /** Window length (ms); defaults to a day. */
  windowMs?: number;
}

/** Windows on Optimizely server time (ms), and what the lag guard found. */
export interface PlanResponseIngestOutput {
  since: number;
  until: number;
  windows: Array<{ since: number; until: number }>;
  /** The watermark is so far behind that data is expiring (or has expired) before it is read. */
  lagging: boolean;
  /** Length (ms) of the span that expired unread, between the last watermark and the oldest data held. */
  lostBeforeMs: number;
  /** Start of that span (ms), when lostBeforeMs > 0. */
  lostSince?: number;
  /** The watermark before this run (ISO); absent on a client's first run. */
  previousWatermark?: string;
}

export interface IngestResponseWindowInput {
  client: string;
  runId: string;
  since: number;
  until: number;
}

export interface IngestResponseWindowOutput {
  counts: ResponseCounts;
  /** The watermark after the window (ISO). */
  watermark: string;
}

export interface FinishResponseIngestInput {
  client: string;
  runId: string;
  status: 'completed' | 'failed';
  counts: ResponseCounts;
  windows: number;
  lagging: boolean;
  lostBeforeMs: number;
}

/** The activities of responseIngestWorkflow; `createActivities` must satisfy this. */
export interface ResponseActivities {
  planResponseIngest(input: PlanResponseIngestInput): Promise<PlanResponseIngestOutput>;
  ingestResponseWindow(input: IngestResponseWindowInput): Promise<IngestResponseWindowOutput>;
  finishResponseIngest(input: FinishResponseIngestInput): Promise<void>;
}

// --- readyBy deadlines ---
/** The activity of readyByWorkflow; `createActivities` must satisfy this. */
export interface ReadyByActivities {
  /** Was each list with this readyBy ready by its latest deadline (src/alerts/ready-by-check.ts). */
  checkReadyBy(input: CheckReadyByInput): Promise<CheckReadyByOutput>;
}
