import type { IncidentNotice } from '../src/alerts/incident';
import type { CheckReadyByInput, CheckReadyByOutput } from '../src/alerts/ready-by-check';
import type { NotifyResult } from '../src/alerts/notify-incident';
import type { ListDrift } from '../src/sync/drift';
import type {
  FeedbackFreshnessInput,
  FeedbackFreshnessOutput,
  FinishRunInput,
  FinishRunOutput,
  OperatorActionInput,
  PlanDailyRunInput,
  PlanDailyRunOutput,
  PlannedList,
  RecordStepInput,
  StartRunInput,
} from './bookkeeping-types';
import type {
  ClearListOutput,
  RecordSentLedgerOutput,
  RefillListInput,
  RefillListOutput,
  VerifyListInput,
  VerifyListOutput,
} from './campaign-list-types';
import type { EvaluateGuardInput, ExportListOutput, GuardVerdict } from './export-types';
import type { ImportFeedbackInput, ImportFeedbackOutput } from './feedback-types';
import type { PreflightListOutput } from './preflight-types';
import type {
  ApplyReconcileInput,
  ApplyReconcileOutput,
  DiffLiveListInput,
  ExportAndDiffOutput,
  ReconcileDiffOutput,
  VerifyReconcileInput,
  VerifyReconcileOutput,
} from './reconcile-types';
import type { ListRef, RunRef } from './refs';
import type {
  FinishResponseIngestInput,
  IngestResponseWindowInput,
  IngestResponseWindowOutput,
  PlanResponseIngestInput,
  PlanResponseIngestOutput,
} from './responses-types';
import type { PrepareRestoreInput, PrepareRestoreOutput } from './restore-types';
import type { PruneStateStoreOutput } from './retention-types';

// What the workflows call: each method's input and output are defined beside its group
// (`<group>-types.ts`). `createActivities` must satisfy both interfaces.

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
  diffLiveList(input: DiffLiveListInput): Promise<ReconcileDiffOutput>;
  exportAndDiffLiveList(input: RunRef): Promise<ExportAndDiffOutput>;
  removeLeavers(input: ApplyReconcileInput): Promise<ApplyReconcileOutput>;
  updateChanged(input: ApplyReconcileInput): Promise<ApplyReconcileOutput>;
  verifyReconcile(input: VerifyReconcileInput): Promise<VerifyReconcileOutput>;
  prepareRestore(input: PrepareRestoreInput): Promise<PrepareRestoreOutput>;
  pruneStateStore(): Promise<PruneStateStoreOutput>;
  /** Best effort: one notice per incident, one recovery notice (src/alerts). */
  notifyIncident(notice: IncidentNotice): Promise<NotifyResult>;
  startRun(input: StartRunInput): Promise<void>;
  finishRun(input: FinishRunInput): Promise<FinishRunOutput>;
  recordStep(input: RecordStepInput): Promise<void>;
  recordOperatorAction(input: OperatorActionInput): Promise<void>;
}

/** The activities of responseIngestWorkflow; `createActivities` must satisfy this. */
export interface ResponseActivities {
  planResponseIngest(input: PlanResponseIngestInput): Promise<PlanResponseIngestOutput>;
  ingestResponseWindow(input: IngestResponseWindowInput): Promise<IngestResponseWindowOutput>;
  finishResponseIngest(input: FinishResponseIngestInput): Promise<void>;
}

/** The activity of readyByWorkflow; `createActivities` must satisfy this. */
export interface ReadyByActivities {
  /** Was each list with this readyBy ready by its latest deadline (src/alerts/ready-by-check.ts). */
  checkReadyBy(input: CheckReadyByInput): Promise<CheckReadyByOutput>;
}
