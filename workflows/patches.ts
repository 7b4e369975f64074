// Every patch id the workflows pass to `patched()` / `deprecatePatch()`, in one place, with when it
// was introduced and when it may move on. A patch's life (docs/operations.md, "Safe upgrades"):
//
//   1. `patched(ID)`: new runs take the new path and write a marker; histories without the marker
//      (runs started by older code) replay the old path. A history recorded before the change is kept
//      in test/fixtures/histories/ and replayed in CI.
//   2. `deprecatePatch(ID)`: once no run that started WITHOUT the marker can still be replayed, drop the
//      old branch. The marker is still written, so runs started by step-1 code keep replaying. Delete the
//      pre-patch histories from test/fixtures/histories/ in the same change.
//   3. Remove the call: once no run that started with step-1 code can still be replayed.
//
// "Can still be replayed" means: open (a worker replays it after a restart or cache eviction), or
// closed but within the namespace retention (a query or `temporal workflow reset` replays it). The
// check is a visibility query before each step (shown per patch below): it must return nothing.
// test/replay/patches.test.ts fails when a workflow uses an id not listed here.

/** One entry of the patch register. */
export interface PatchRecord {
  /** The marker id written into histories; never reused for another change. */
  readonly id: string;
  /** Workflow type whose code carries the patch. */
  readonly workflowType: 'dailySyncWorkflow' | 'listSyncWorkflow' | 'responseIngestWorkflow';
  /** Date and commit subject of the change that introduced it. */
  readonly introduced: string;
  /** What the new branch does that the old one did not. */
  readonly change: string;
  /** Where the patch stands: `patched` (both branches live), `deprecated`, or due for removal. */
  readonly stage: 'patched' | 'deprecated';
  /** Condition for replacing `patched()` with `deprecatePatch()`. */
  readonly deprecateWhen: string;
  /** Condition for deleting the `deprecatePatch()` call. */
  readonly removeWhen: string;
  /** The committed history (test/fixtures/histories/) that replays the old branch while it exists. */
  readonly oldSideHistory: string;
}

/** The response ingestion child joins the daily order after the lists. */
export const RESPONSE_INGESTION_PATCH = 'response-ingestion-in-daily-run';
/** The daily run ends with state store retention (`pruneStateStore`). */
export const PRUNE_STATE_STORE_PATCH = 'prune-state-store-in-daily-run';
/** Per-batch result rows during the refill; per-recipient sent ledger after the verify. */
export const LEDGER_AFTER_VERIFY_PATCH = 'sent-ledger-after-verify';
/** The daily run's lanes stay open until its last phase: a late re-run or resume still runs. */
export const LANES_OPEN_UNTIL_DONE_PATCH = 'lanes-open-until-done';
/** The daily run files its feedback artefacts under its own run id, not the shared `daily:<client>`. */
export const DAILY_RUN_OWN_ARTEFACTS_PATCH = 'daily-run-own-artefacts';
/** A list sync checks at Optimizely (list, fields, opt-in process) before its export and clear. */
export const PREFLIGHT_PATCH = 'preflight-before-clear';

/** Child list syncs are started with parent close policy REQUEST_CANCEL (the default terminated them). */
export const CHILDREN_CANCELLED_NOT_TERMINATED_PATCH = 'children-cancelled-not-terminated';
/** A list sync shields clear, refill, verify and the ledger from cancellation: past the clear it finishes. */
export const FINISH_AFTER_CLEAR_PATCH = 'finish-after-clear';
/** A list sync that fails after its clear refills the last good list minus the suppressed, and ends restored. */
export const RESTORE_PATCH = 'restore-last-good-after-clear';
/** A list sync sends incident notices: guard hold (and its decision), failed or restored (and the next ready). */
export const ALERTS_LIST_SYNC_PATCH = 'alerts-list-sync';
/** The daily run sends incident notices: quarantined feedback files, lagging responses (and their recovery). */
export const ALERTS_DAILY_SYNC_PATCH = 'alerts-daily-sync';
/** A list sync counts the live list before its clear and reports the drift from what the last run left. */
export const DRIFT_PATCH = 'drift-before-clear';

/** The daily run is a run of kind `daily` in the state store, its phases (feedback, lists, responses, retention) its steps. */
export const DAILY_RUN_IN_STORE_PATCH = 'daily-run-in-store';

/** A list with strategy reconcile is diffed against the live list and patched (remove, add, update), never cleared. */
export const RECONCILE_PATCH = 'reconcile-strategy';

/** Strategy reconcile reads the live list while the export runs (one activity), instead of after it. */
export const RECONCILE_READ_BESIDE_EXPORT_PATCH = 'reconcile-read-beside-export';

/** The daily run ignores a pauseList/resumeList/rerunList signal whose message an Update's validator would refuse. */
export const DAILY_SIGNALS_CHECKED_PATCH = 'daily-operator-signals-checked';

/** A list sync ignores a pause/resume/approve/reject signal whose message an Update's validator would refuse. */
export const LIST_SIGNALS_CHECKED_PATCH = 'list-operator-signals-checked';

/**
 * A held list sync approved longer than `guard.reexportAfter` after its export exports again and guards
 * the re-export against the approved one before the clear (a CRM withdrawal during the hold is not sent).
 */
export const FRESH_EXPORT_AFTER_LATE_APPROVAL_PATCH = 'fresh-export-after-late-approval';

/**
 * An approve or reject signal decides only when the Update of the same message would be accepted: the
 * run is held, undecided, and the message names no other run.
 */
export const LIST_DECISION_SIGNALS_CHECKED_PATCH = 'list-decision-signals-checked';

/**
 * Strategy reconcile's late approval: a held reconcile approved longer than `guard.reexportAfter` after
 * its export exports, reads the live list and diffs again, and guards that against the approved export
 * before any change (a CRM withdrawal during the hold is neither added nor left on the list).
 */
export const RECONCILE_FRESH_EXPORT_AFTER_LATE_APPROVAL_PATCH = 'reconcile-fresh-export-after-late-approval';

/**
 * A list sync resumed after a pause, its export then older than `guard.reexportAfter`, exports again
 * and guards it before anything more is sent: before the clear (refresh) or any change (reconcile,
 * with the live list read and diffed again) it goes on with the re-export; between chunks the rest of
 * the chunks leave out whoever the re-export no longer holds (a CRM withdrawal during the pause is not sent).
 */
export const REEXPORT_AFTER_LONG_PAUSE_PATCH = 'reexport-after-long-pause';

/**
 * The safe point before the clear (a reconcile's before any change) is taken again after a re-export
 * that followed a long pause: a pause asked while the re-export ran (or was held) stops there, the list
 * untouched, instead of after the clear with the list empty; resumed late again, it exports again.
 */
export const SAFE_POINT_AFTER_REEXPORT_PATCH = 'safe-point-after-reexport';

/**
 * The daily run's signal checks include the visible-text rules (operator-messages.ts): a by or reason
 * holding an invisible letter (a Hangul filler, U+034F), a by with no visible character, a reason
 * with an address written with a look-alike at sign or dot.
 */
export const DAILY_SIGNAL_TEXT_VISIBLE_PATCH = 'daily-operator-signal-text-visible';

/** A list sync's signal checks include the same visible-text rules (an approve by a Hangul filler decided for nobody visible). */
export const LIST_SIGNAL_TEXT_VISIBLE_PATCH = 'list-operator-signal-text-visible';

/** The daily run ignores a pauseList, resumeList or rerunList signal whose payload cannot be decoded (it failed every workflow task). */
export const DAILY_SIGNAL_UNDECODABLE_PATCH = 'daily-operator-signal-undecodable';

/** A list sync ignores a pause, resume, approve or reject signal whose payload cannot be decoded (it failed every workflow task). */
export const LIST_SIGNAL_UNDECODABLE_PATCH = 'list-operator-signal-undecodable';

/** The daily run answers a pauseList or resumeList whose list sync has just ended instead of failing (the forward is not found). */
export const DAILY_SIGNAL_TO_ENDED_LIST_PATCH = 'daily-signal-to-ended-list';

/** The visibility check before a step: it lists every run that could still replay the older code. */
const noRunSince = (type: string, deploy: string) =>
  `\`temporal workflow list --query 'WorkflowType = "${type}" AND StartTime < "<time of ${deploy}>"'\` returns nothing ` +
  '(closed runs stay listed for the namespace retention, so an empty answer means none is open and none can be queried or reset)';

/** The register: one record per id, in the order they were introduced. */
export const PATCHES: readonly PatchRecord[] = [
  {
    id: RESPONSE_INGESTION_PATCH,
    workflowType: 'dailySyncWorkflow',
    introduced: '2026-11-27, "Response ingestion: responseIngestWorkflow pages the ClosedLoop getters ..." (d22ed25)',
    change: 'after the lists, the daily run starts responseIngestWorkflow and reports its result',
    stage: 'patched',
    deprecateWhen: noRunSince('dailySyncWorkflow', 'the deploy of d22ed25'),
    removeWhen: noRunSince('dailySyncWorkflow', 'the deploy that turned it into deprecatePatch'),
    oldSideHistory: 'daily-sync-normal.json',
  },
  {
    id: PRUNE_STATE_STORE_PATCH,
    workflowType: 'dailySyncWorkflow',
    introduced: '2026-11-27, "Retention: every daily run ends by pruning snapshots ..." (eadbc77)',
    change: 'the daily run ends with pruneStateStore (snapshots after 7 days, runs after 90)',
    stage: 'patched',
    deprecateWhen: noRunSince('dailySyncWorkflow', 'the deploy of eadbc77'),
    removeWhen: noRunSince('dailySyncWorkflow', 'the deploy that turned it into deprecatePatch'),
    oldSideHistory: 'daily-sync-before-prune-patch.json',
  },
  {
    id: LEDGER_AFTER_VERIFY_PATCH,
    workflowType: 'listSyncWorkflow',
    introduced: '2026-11-27, "Refill records one row of result codes per batch ..." (40544c4)',
    change: 'refill chunks defer the per-recipient ledger (deferLedger); recordSentLedger runs after the verify',
    stage: 'patched',
    // A held list sync can stay open up to guard.approvalTimeout (12 h by default) beyond its daily run.
    deprecateWhen: noRunSince('listSyncWorkflow', 'the deploy of 40544c4'),
    removeWhen: noRunSince('listSyncWorkflow', 'the deploy that turned it into deprecatePatch'),
    oldSideHistory: 'list-sync-before-ledger-patch.json',
  },
  {
    id: DAILY_RUN_OWN_ARTEFACTS_PATCH,
    workflowType: 'dailySyncWorkflow',
    introduced: '2026-11-30, "Daily run files its feedback artefacts under its own run id ..." (bfcfb2e)',
    change: 'importFeedback gets runId daily:<client>:<runId> (its own artefact folder) instead of daily:<client>',
    stage: 'patched',
    deprecateWhen: noRunSince('dailySyncWorkflow', 'the deploy of bfcfb2e'),
    removeWhen: noRunSince('dailySyncWorkflow', 'the deploy that turned it into deprecatePatch'),
    oldSideHistory: 'daily-sync-with-responses.json',
  },
  {
    id: PREFLIGHT_PATCH,
    workflowType: 'listSyncWorkflow',
    introduced: '2026-11-30, "Pre-flight before the clear: a list sync checks at Optimizely ..."',
    change:
      'preflightList (list exists, has every field the refill sends, opt-in process exists) runs before the export; a problem fails the run before the clear',
    stage: 'patched',
    deprecateWhen: noRunSince('listSyncWorkflow', 'the deploy of the pre-flight change'),
    removeWhen: noRunSince('listSyncWorkflow', 'the deploy that turned it into deprecatePatch'),
    oldSideHistory: 'list-sync-normal.json',
  },
  {
    id: LANES_OPEN_UNTIL_DONE_PATCH,
    workflowType: 'dailySyncWorkflow',
    introduced: '2026-11-30, "Operator actions as Updates ..." (operator-updates)',
    change: 'the list lanes stay open through the responses phase and retention and close before done, so a late re-run or resume runs',
    stage: 'patched',
    deprecateWhen: noRunSince('dailySyncWorkflow', 'the deploy of lanes-open-until-done'),
    removeWhen: noRunSince('dailySyncWorkflow', 'the deploy that turned it into deprecatePatch'),
    oldSideHistory: 'daily-sync-own-artefacts.json',
  },
  {
    id: CHILDREN_CANCELLED_NOT_TERMINATED_PATCH,
    workflowType: 'dailySyncWorkflow',
    introduced: '2026-11-30, "Lifecycle: child list syncs are cancelled, not terminated, with their parent ..." (operator-updates)',
    change: 'startChild(listSyncWorkflow) with parentClosePolicy REQUEST_CANCEL instead of the default TERMINATE',
    stage: 'patched',
    deprecateWhen: noRunSince('dailySyncWorkflow', 'the deploy of children-cancelled-not-terminated'),
    removeWhen: noRunSince('dailySyncWorkflow', 'the deploy that turned it into deprecatePatch'),
    oldSideHistory: 'daily-sync-late-rerun.json',
  },
  {
    id: FINISH_AFTER_CLEAR_PATCH,
    workflowType: 'listSyncWorkflow',
    introduced: '2026-11-30, "Lifecycle: child list syncs are cancelled, not terminated, with their parent ..." (operator-updates)',
    change:
      'clear, refill, verify and recordSentLedger run in CancellationScope.nonCancellable: a cancelled list sync past its clear finishes',
    stage: 'patched',
    deprecateWhen: noRunSince('listSyncWorkflow', 'the deploy of finish-after-clear'),
    removeWhen: noRunSince('listSyncWorkflow', 'the deploy that turned it into deprecatePatch'),
    oldSideHistory: 'list-sync-guarded-update.json',
  },
  {
    id: RESTORE_PATCH,
    workflowType: 'listSyncWorkflow',
    introduced: '2026-11-30, "Restore the last good list when a list sync fails after its clear ..."',
    change:
      'a failure after the clear runs prepareRestore, clearList, refillList (restore run) and verifyList, and ends ListRestoredError or ListIncompleteError',
    stage: 'patched',
    deprecateWhen: noRunSince('listSyncWorkflow', 'the deploy of the restore change'),
    removeWhen: noRunSince('listSyncWorkflow', 'the deploy that turned it into deprecatePatch'),
    oldSideHistory: 'list-sync-failed-before-restore-patch.json',
  },
  {
    id: ALERTS_LIST_SYNC_PATCH,
    workflowType: 'listSyncWorkflow',
    introduced: '2026-11-30, "Incident notices from the workflows ..." (alerts)',
    change:
      'notifyIncident (best effort) when the guard holds and when the hold is decided, when the run fails or restores, and after a ready run',
    stage: 'patched',
    deprecateWhen: noRunSince('listSyncWorkflow', 'the deploy of alerts-list-sync'),
    removeWhen: noRunSince('listSyncWorkflow', 'the deploy that turned it into deprecatePatch'),
    oldSideHistory: 'list-sync-guarded.json',
  },
  {
    id: ALERTS_DAILY_SYNC_PATCH,
    workflowType: 'dailySyncWorkflow',
    introduced: '2026-11-30, "Incident notices from the workflows ..." (alerts)',
    change: 'notifyIncident (best effort) after the feedback import (quarantined files) and after response ingestion (lagging)',
    stage: 'patched',
    deprecateWhen: noRunSince('dailySyncWorkflow', 'the deploy of alerts-daily-sync'),
    removeWhen: noRunSince('dailySyncWorkflow', 'the deploy that turned it into deprecatePatch'),
    oldSideHistory: 'daily-sync-children-cancelled.json',
  },
  {
    id: DRIFT_PATCH,
    workflowType: 'listSyncWorkflow',
    introduced: '2026-11-30, "Drift in the nightly run: the live list counted before the clear ..."',
    change:
      'after the guard and before the clear, measureDrift (Recipient.getCount against the verified count the last run left); the drift goes into the progress, the run summary and the daily status',
    stage: 'patched',
    deprecateWhen: noRunSince('listSyncWorkflow', 'the deploy of the drift change'),
    removeWhen: noRunSince('listSyncWorkflow', 'the deploy that turned it into deprecatePatch'),
    oldSideHistory: 'list-sync-restored.json',
  },
  {
    id: DAILY_RUN_IN_STORE_PATCH,
    workflowType: 'dailySyncWorkflow',
    introduced: '2026-11-30, "The daily run in the state store: a run of kind daily with its phases as steps ..." (operator-updates)',
    change:
      'startRun (kind daily, the Temporal run id) before the plan, recordStep started/outcome around feedback, lists, responses and retention, finishRun with the outcome (completed, failed or restored)',
    stage: 'patched',
    deprecateWhen: noRunSince('dailySyncWorkflow', 'the deploy of daily-run-in-store'),
    removeWhen: noRunSince('dailySyncWorkflow', 'the deploy that turned it into deprecatePatch'),
    oldSideHistory: 'daily-sync-alerts.json',
  },
  {
    id: RECONCILE_PATCH,
    workflowType: 'listSyncWorkflow',
    introduced: '2026-11-30, "Strategy reconcile: the diff against the live list applied, never a clear ..."',
    change:
      'for a list with strategy reconcile (readListControl answers it), after the export: diffLiveList, the guard with the removal share, measureDrift, removeLeavers, refillList over the joiners, updateChanged, verifyReconcile, recordSentLedger; no clear',
    stage: 'patched',
    deprecateWhen: noRunSince('listSyncWorkflow', 'the deploy of reconcile-strategy'),
    removeWhen: noRunSince('listSyncWorkflow', 'the deploy that turned it into deprecatePatch'),
    oldSideHistory: 'list-sync-drift.json',
  },
  {
    id: RECONCILE_READ_BESIDE_EXPORT_PATCH,
    workflowType: 'listSyncWorkflow',
    introduced: '2026-11-30, "Strategy reconcile reads the live list while the export runs ..."',
    change:
      'for a list with strategy reconcile, exportAndDiffLiveList (the export and the live list read at the same time, then the diff) replaces exportList followed by diffLiveList',
    stage: 'patched',
    deprecateWhen: noRunSince('listSyncWorkflow', 'the deploy of reconcile-read-beside-export'),
    removeWhen: noRunSince('listSyncWorkflow', 'the deploy that turned it into deprecatePatch'),
    oldSideHistory: 'list-sync-reconcile.json',
  },
  {
    id: DAILY_SIGNALS_CHECKED_PATCH,
    workflowType: 'dailySyncWorkflow',
    introduced: '2026-11-30, "Operator signals get the checks of the Updates ..."',
    change:
      'a pauseList, resumeList or rerunList signal whose message is not an object with a printable by (and reason) and a text listKey is logged and ignored instead of acted upon; the marker is written only when such a signal comes',
    stage: 'patched',
    deprecateWhen: noRunSince('dailySyncWorkflow', 'the deploy of daily-operator-signals-checked'),
    removeWhen: noRunSince('dailySyncWorkflow', 'the deploy that turned it into deprecatePatch'),
    oldSideHistory: 'daily-sync-late-rerun.json',
  },
  {
    id: LIST_SIGNALS_CHECKED_PATCH,
    workflowType: 'listSyncWorkflow',
    introduced: '2026-11-30, "Operator signals get the checks of the Updates ..."',
    change:
      'a pause, resume, approve or reject signal whose message is not an object with a printable by (and reason) is logged and ignored instead of acted upon (an approve without by released a held list); the marker is written only when such a signal comes',
    stage: 'patched',
    deprecateWhen: noRunSince('listSyncWorkflow', 'the deploy of list-operator-signals-checked'),
    removeWhen: noRunSince('listSyncWorkflow', 'the deploy that turned it into deprecatePatch'),
    oldSideHistory: 'list-sync-guarded.json',
  },
  {
    id: FRESH_EXPORT_AFTER_LATE_APPROVAL_PATCH,
    workflowType: 'listSyncWorkflow',
    introduced: '2026-12-01, "A long hold: an approval later than guard.reexportAfter exports and guards again before the clear ..."',
    change:
      'a held refresh run approved more than guard.reexportAfter (default 15m) after its export runs exportList again and evaluateGuard against the approved export (held again for a new decision when it shrank or its exclusions grew beyond the limits), then clears and refills the fresh snapshot; the marker is written only on such a late approval',
    stage: 'patched',
    // A held list sync can stay open up to guard.approvalTimeout (12 h by default) beyond its daily run.
    deprecateWhen: noRunSince('listSyncWorkflow', 'the deploy of fresh-export-after-late-approval'),
    removeWhen: noRunSince('listSyncWorkflow', 'the deploy that turned it into deprecatePatch'),
    // Approved within seconds of the hold: the branch is not reached, and a late approval in a history
    // without the marker (none is committed) replays the old path, the refill of the approved snapshot.
    oldSideHistory: 'list-sync-guarded.json',
  },
  {
    id: LIST_DECISION_SIGNALS_CHECKED_PATCH,
    workflowType: 'listSyncWorkflow',
    introduced: '2026-12-01, "Decision signals decide only what an Update would ..."',
    change:
      'an approve or reject signal is logged and ignored when the run is not held, its decision is already made (a reject followed by an approve turned it around while the hold notice was sent) or the message names another run (runId); the marker is written only when such a signal comes',
    stage: 'patched',
    deprecateWhen: noRunSince('listSyncWorkflow', 'the deploy of list-decision-signals-checked'),
    removeWhen: noRunSince('listSyncWorkflow', 'the deploy that turned it into deprecatePatch'),
    oldSideHistory: 'list-sync-guarded.json',
  },
  {
    id: RECONCILE_FRESH_EXPORT_AFTER_LATE_APPROVAL_PATCH,
    workflowType: 'listSyncWorkflow',
    introduced: '2026-12-02, "Strategy reconcile: a late approval exports, reads and diffs again ..."',
    change:
      'a held reconcile run approved more than guard.reexportAfter after its export runs exportAndDiffLiveList again and evaluateGuard against the approved export (held again for a new decision when it says so), then applies the fresh diff; the marker is written only on such a late approval',
    stage: 'patched',
    deprecateWhen: noRunSince('listSyncWorkflow', 'the deploy of reconcile-fresh-export-after-late-approval'),
    removeWhen: noRunSince('listSyncWorkflow', 'the deploy that turned it into deprecatePatch'),
    // Not held: the branch is not reached.
    oldSideHistory: 'list-sync-reconcile-beside-export.json',
  },
  {
    id: REEXPORT_AFTER_LONG_PAUSE_PATCH,
    workflowType: 'listSyncWorkflow',
    introduced: '2026-12-02, "A long pause: a list sync resumed after guard.reexportAfter exports and guards again ..."',
    change:
      'at a safe point after the guard (before the clear or the diff applied, and between refill or reconcile chunks), a pause after which the export is older than guard.reexportAfter runs exportList (reconcile: exportAndDiffLiveList) and evaluateGuard against the export being sent (held again for a decision when it says so); before any change the run goes on with the re-export (reconcile: the fresh diff), between chunks the next refillList chunks carry freshRef and leave out whoever it no longer holds; a rejected re-export between chunks fails the run (ReexportRejectedError); the marker is written only after such a pause',
    stage: 'patched',
    // A paused list sync stays open as long as the pause lasts (no limit) beyond its daily run.
    deprecateWhen: noRunSince('listSyncWorkflow', 'the deploy of reexport-after-long-pause'),
    removeWhen: noRunSince('listSyncWorkflow', 'the deploy that turned it into deprecatePatch'),
    // Paused and resumed within reexportAfter (1 s here) is not enough: a pause of several seconds
    // between refill chunks, recorded before this change, replays the old path (the stale snapshot sent).
    oldSideHistory: 'list-sync-paused-long-before-pause-patch.json',
  },
  {
    id: SAFE_POINT_AFTER_REEXPORT_PATCH,
    workflowType: 'listSyncWorkflow',
    introduced: '2026-12-02, "A pause during a re-export after a long pause stops before the clear ..."',
    change:
      'after the re-export (and its guard, and a decision if held) that follows a long pause at the safe point before the clear (reconcile: before any change), the run takes that safe point again: paused meanwhile, it stops there (no command until resumed), and resumed later than guard.reexportAfter after the re-export, it runs exportList (reconcile: exportAndDiffLiveList) and evaluateGuard again; the marker is written only when such a re-export starts',
    stage: 'patched',
    deprecateWhen: noRunSince('listSyncWorkflow', 'the deploy of safe-point-after-reexport'),
    removeWhen: noRunSince('listSyncWorkflow', 'the deploy that turned it into deprecatePatch'),
    // A reconcile paused long before its diff was applied, recorded before this change: re-exported, then
    // straight on to the removals.
    oldSideHistory: 'list-sync-reconcile-paused-long.json',
  },
  {
    id: DAILY_SIGNAL_TEXT_VISIBLE_PATCH,
    workflowType: 'dailySyncWorkflow',
    introduced: '2026-12-02, "Operator text: nobody invisible, no hidden letters, no look-alike addresses ..."',
    change:
      'a pauseList, resumeList or rerunList signal that only the visible-text rules refuse (an invisible letter in by or reason, a by with no visible character, an address with a look-alike at sign or dot in the reason) is logged and ignored; the marker is written only when such a signal comes',
    stage: 'patched',
    deprecateWhen: noRunSince('dailySyncWorkflow', 'the deploy of daily-operator-signal-text-visible'),
    removeWhen: noRunSince('dailySyncWorkflow', 'the deploy that turned it into deprecatePatch'),
    oldSideHistory: 'daily-sync-hostile-signals.json',
  },
  {
    id: LIST_SIGNAL_TEXT_VISIBLE_PATCH,
    workflowType: 'listSyncWorkflow',
    introduced: '2026-12-02, "Operator text: nobody invisible, no hidden letters, no look-alike addresses ..."',
    change:
      'a pause, resume, approve or reject signal that only the visible-text rules refuse (an approve by a Hangul filler released a held list for nobody visible) is logged and ignored; the marker is written only when such a signal comes',
    stage: 'patched',
    deprecateWhen: noRunSince('listSyncWorkflow', 'the deploy of list-operator-signal-text-visible'),
    removeWhen: noRunSince('listSyncWorkflow', 'the deploy that turned it into deprecatePatch'),
    oldSideHistory: 'list-sync-hostile-signals.json',
  },
  {
    id: DAILY_SIGNAL_UNDECODABLE_PATCH,
    workflowType: 'dailySyncWorkflow',
    introduced: '2026-12-03, "Operator signals whose payload cannot be decoded are ignored ..."',
    change:
      'the operator signals are received undecoded (RawValue) and decoded by their handler; a pauseList, resumeList or rerunList signal whose payload cannot be decoded is logged and ignored instead of failing every workflow task; the marker is written only when such a signal comes',
    stage: 'patched',
    deprecateWhen: noRunSince('dailySyncWorkflow', 'the deploy of daily-operator-signal-undecodable'),
    removeWhen: noRunSince('dailySyncWorkflow', 'the deploy that turned it into deprecatePatch'),
    oldSideHistory: 'daily-sync-hostile-signals.json',
  },
  {
    id: LIST_SIGNAL_UNDECODABLE_PATCH,
    workflowType: 'listSyncWorkflow',
    introduced: '2026-12-03, "Operator signals whose payload cannot be decoded are ignored ..."',
    change:
      'the operator signals are received undecoded (RawValue) and decoded by their handler; a pause, resume, approve or reject signal whose payload cannot be decoded (a held run no approve could reach, a refill stopped mid-way) is logged and ignored instead of failing every workflow task; the marker is written only when such a signal comes',
    stage: 'patched',
    deprecateWhen: noRunSince('listSyncWorkflow', 'the deploy of list-operator-signal-undecodable'),
    removeWhen: noRunSince('listSyncWorkflow', 'the deploy that turned it into deprecatePatch'),
    oldSideHistory: 'list-sync-hostile-signals.json',
  },
  {
    id: DAILY_SIGNAL_TO_ENDED_LIST_PATCH,
    workflowType: 'dailySyncWorkflow',
    introduced: '2026-12-03, "A pauseList or resumeList to a list whose sync has just ended no longer fails the daily run ..."',
    change:
      'a pause or resume forwarded to a list sync that ended in the same workflow task (the status still said running) is answered "nothing: ... has just ended" instead of failing the daily run with the forward\'s "not found"; the marker is written only when such a forward fails',
    stage: 'patched',
    deprecateWhen: noRunSince('dailySyncWorkflow', 'the deploy of daily-signal-to-ended-list'),
    removeWhen: noRunSince('dailySyncWorkflow', 'the deploy that turned it into deprecatePatch'),
    oldSideHistory: 'daily-sync-hostile-signals.json',
  },
];
