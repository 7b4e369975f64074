import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ClientConfig } from '../config/config-schema';
import type { CrmPort } from '../crm/crm-port';
import { CLOSED_LOOP_RETENTION_MS, type ClosedLoopGetter } from '../optimizely/api/closed-loop-columns';
import type { OptimizelyPort } from '../optimizely/client/optimizely-port';
import type { StateStore } from '../store/state-store';
import { applyFeedbackFile, emptyTally, type ApplyFeedbackPorts, type FeedbackTally } from './apply-feedback-file';
import { closedLoopPages, concatPages } from './closed-loop-pages';
import type { FeedbackKind } from './feedback-events';
import { inspectFeedbackFile, writeFeedbackFile } from './feedback-file';
import { droppedFileDoubt } from './feedback-file-doubts';
import { droppedIdLookups, droppedIdsDoubt } from './feedback-file-ids';
import { droppedCopyName } from './fitting-name';
import { emptyDroppedReport, importDroppedFiles, type DroppedFilesReport } from './import-dropped-files';
import { suppressionRecorder } from './record-suppressions';
import { suppressSentRows } from './suppress-sent-rows';
import { watermarkAhead } from './watermark-ahead';
import { FEEDBACK_IMPORTED_AT, FEEDBACK_OVERLAP_MS, FEEDBACK_WATERMARK, SUPPRESSIONS_WATERMARK } from './watermark-kinds';

export interface ImportFeedbackPorts {
  client: ClientConfig;
  optimizely: OptimizelyPort;
  store: StateStore;
  crm: CrmPort;
  /** The run's folder; bounces.csv and unsubscribes.csv are kept there as the audit artefact. */
  runDir: string;
  /** The run the dropped files and applied events are recorded under. */
  runId: string;
  now: () => Date;
  /** `retention.runDays`: the ledger forgets runs started longer ago (feedback-file-ids.ts). */
  retentionRunDays?: number;
  heartbeat?: (details: { stage: string; rows: number }) => void;
  /**
   * The same for every attempt of one import and different for every other import (the activity's
   * workflow run and activity id): a retry reuses what its first attempt fetched (fetchOnce). Without
   * it every attempt fetches again.
   */
  invocation?: string;
  /**
   * The activity's cancellation (Temporal's cancel, or its timeout learned from a heartbeat's answer):
   * the import stops before its next ClosedLoop page, file or batch of rows, with what it applied
   * recorded; its retry takes up the rest (a file it was in is applied again whole, its rows repeated).
   */
  signal?: AbortSignal;
  /** Rows one getter is read for over the window, at most (CLOSED_LOOP_MAX_ROWS_PER_WINDOW but in tests). */
  maxRowsPerGetter?: number;
}

const DAY_MS = 24 * 60 * 60 * 1000;

const STRAY_NUL_REVIEW =
  'Its rows were applied as usual (an opt-out is never lost; a row holding the NUL reads as its id without it ' +
  'or is rejected): check the file and the export job (a crash can leave zeros in a file), then delete this file';

export interface ImportFeedbackResult {
  bounces: FeedbackTally;
  unsubscribes: FeedbackTally;
  watermark: string;
  files: string[];
  dropped: DroppedFilesReport;
}

/**
 * Bounces and unsubscribes since the watermark (less an overlap; the whole retention on a first
 * run) are written as CSV files, parsed back and applied to the CRM; files dropped into the client's
 * feedback folder go the same way, each once. The watermark moves only after the CRM accepted everything.
 */
export async function importFeedback(ports: ImportFeedbackPorts): Promise<ImportFeedbackResult> {
  const { client, store } = ports;
  mkdirSync(ports.runDir, { recursive: true });
  const progress = (stage: string) => (rows: number) => ports.heartbeat?.({ stage, rows });
  const stopIfCancelled = () => ports.signal?.throwIfAborted();
  const bouncesFile = join(ports.runDir, 'bounces.csv');
  const unsubscribesFile = join(ports.runDir, 'unsubscribes.csv');
  const serverNow = await fetchOnce(ports, { bouncesFile, unsubscribesFile }, progress);
  const result = { bounces: emptyTally(), unsubscribes: emptyTally(), dropped: emptyDroppedReport() };
  // Event times are judged against Optimizely's clock or ours, whichever is later.
  const nowMs = Math.max(serverNow, ports.now().getTime());
  const own: Omit<ApplyFeedbackPorts, 'mapping'> = {
    client,
    ledger: store.ledger,
    intake: store.feedbackIntake,
    crm: ports.crm,
    runId: ports.runId,
    nowMs,
    seen: new Set(),
    signal: ports.signal,
  };
  const apply = async (file: string, kind: FeedbackKind, dropped: boolean) => {
    const suppressions = suppressionRecorder(store.suppressions, client.key, dropped ? 'dropped_file' : 'closed_loop');
    // Our own files carry the formula escape; a dropped file is read exactly as it came.
    const filePorts = { ...own, suppressions, ...(dropped ? { mapping: client.feedbackColumns } : { formulaEscaped: true }) };
    stopIfCancelled();
    try {
      await applyFeedbackFile(file, kind, filePorts, kind === 'bounce' ? result.bounces : result.unsubscribes, progress(`apply ${kind}s`));
    } finally {
      // Recorded whether or not the CRM accepted the rows: the ledger must not depend on it.
      await suppressions.flush();
    }
  };
  await apply(bouncesFile, 'bounce', false);
  await apply(unsubscribesFile, 'unsubscribe', false);
  if (client.feedbackFolder) {
    const idLookups = droppedIdLookups(store.ledger, ports.crm, client.key);
    // Where the ledger of what was sent is complete: rows before it are not judged by it (feedback-file-ids.ts).
    const cut = ports.retentionRunDays === undefined ? undefined : new Date(ports.now().getTime() - ports.retentionRunDays * DAY_MS);
    const ledgerSince = await store.runs.ledgerCompleteSince(client.key, cut?.toISOString());
    result.dropped = await importDroppedFiles({
      client: client.key,
      folder: client.feedbackFolder,
      runDir: ports.runDir,
      runId: ports.runId,
      intake: store.feedbackIntake,
      now: ports.now,
      signal: ports.signal,
      inspect: async (copy, kind) => {
        // 0 is Optimizely's "every list of the client".
        const listIds = new Set([0, ...client.lists.map((list) => list.listId)]);
        const sampleSince = ledgerSince === undefined ? undefined : Date.parse(ledgerSince);
        const profile = await inspectFeedbackFile(copy, { mapping: client.feedbackColumns, nowMs, kind, listIds, sampleSince });
        const doubt = droppedFileDoubt(profile, client.feedbackColumns);
        if (doubt !== undefined) return { reason: doubt };
        const idsDoubt = await droppedIdsDoubt(profile, idLookups, { kind, mapping: client.feedbackColumns, ledgerSince });
        // A NUL byte (damage) refuses no row but its own: the others apply (an unsubscribe file's opt-outs
        // are never held back for it), and the file is set aside so the operator sees what was damaged.
        if (idsDoubt !== undefined || profile.strayNul === undefined) return idsDoubt;
        return { reason: `applied, then set aside for review: ${profile.strayNul}. ${STRAY_NUL_REVIEW}`, review: true };
      },
      apply: (copy, kind) => apply(copy, kind, true),
      suppressSent: async (copy, kind) => {
        const suppressions = suppressionRecorder(store.suppressions, client.key, 'dropped_file');
        try {
          return await suppressSentRows(copy, kind, {
            client: client.key,
            ledger: store.ledger,
            suppressions,
            mapping: client.feedbackColumns,
            nowMs,
          });
        } finally {
          await suppressions.flush();
        }
      },
    });
  }
  // Not past a cancellation: a retry may be importing already, and the marks are its to move.
  stopIfCancelled();
  const at = new Date(serverNow).toISOString();
  await moveMark(store, { client: client.key, kind: FEEDBACK_WATERMARK, at });
  await moveMark(store, { client: client.key, kind: SUPPRESSIONS_WATERMARK, at });
  await store.watermarks.advance({ client: client.key, kind: FEEDBACK_IMPORTED_AT, at: ports.now().toISOString() });
  const files = [bouncesFile, unsubscribesFile, ...result.dropped.processed.map((name) => join(ports.runDir, droppedCopyName(name)))];
  return { ...result, watermark: at, files };
}

/** Written once both ClosedLoop files of a run are complete: the server time they were fetched up to. */
export const FETCHED_MARKER = 'closed-loop-fetched.json';

/**
 * Fetches the ClosedLoop events into the run's two files, once per import: a retry of the activity
 * (same invocation, same run folder) reads the files its first attempt completed instead of asking
 * ClosedLoop again.
 * Events reported meanwhile would change the rows of a chunk the dead attempt had already handed to
 * the CRM, and a CSV-exchange CRM, whose outbox file is named by its content, would get those events
 * again in a second file. They are fetched by the next run (its window starts at the watermark, the
 * time fetched up to here, less the overlap). Returns that time.
 */
async function fetchOnce(
  ports: ImportFeedbackPorts,
  files: { bouncesFile: string; unsubscribesFile: string },
  progress: (stage: string) => (rows: number) => void,
): Promise<number> {
  const marker = join(ports.runDir, FETCHED_MARKER);
  const fetched = ports.invocation === undefined ? undefined : fetchedUntil(marker, ports.invocation);
  if (fetched !== undefined) return fetched;
  const { optimizely, store, client } = ports;
  const serverNow = await optimizely.closedLoop.getCurrentTime({ signal: ports.signal });
  const window = { since: await feedbackWindowStart(store, client.key, serverNow), until: serverNow };
  const pages = (getter: ClosedLoopGetter, stage: string) =>
    closedLoopPages(optimizely, getter, window, { onPage: progress(stage), signal: ports.signal, maxRows: ports.maxRowsPerGetter });
  await writeFeedbackFile(files.bouncesFile, pages('getOutBounces', 'fetch bounces'));
  await writeFeedbackFile(
    files.unsubscribesFile,
    concatPages(pages('getUnsubscribes', 'fetch unsubscribes'), pages('getMailingUnsubscribes', 'fetch mailing unsubscribes')),
  );
  writeFileSync(`${marker}.part`, JSON.stringify({ invocation: ports.invocation ?? null, until: serverNow }));
  renameSync(`${marker}.part`, marker);
  return serverNow;
}

/**
 * The time a completed fetch of this import went up to; undefined when there is none, it belongs to
 * another import (a run folder shared by several nights, as before daily-run-own-artefacts) or it is
 * unreadable: then it is fetched again.
 */
function fetchedUntil(marker: string, invocation: string): number | undefined {
  let text: string;
  try {
    text = readFileSync(marker, 'utf8');
  } catch {
    return undefined;
  }
  try {
    const fetched = JSON.parse(text) as { invocation?: unknown; until?: unknown };
    const until = fetched.until;
    if (fetched.invocation !== invocation) return undefined;
    return typeof until === 'number' && Number.isSafeInteger(until) && until >= 0 ? until : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Since the watermark less an overlap; the whole ClosedLoop retention when there is none. The
 * suppression ledger has its own mark, so a store that predates it reads the whole retention once
 * too (rows applied before count as `repeated`).
 */
async function feedbackWindowStart(store: StateStore, client: string, serverNow: number): Promise<number> {
  const marks = await Promise.all([store.watermarks.get(client, FEEDBACK_WATERMARK), store.watermarks.get(client, SUPPRESSIONS_WATERMARK)]);
  const retentionStart = serverNow - CLOSED_LOOP_RETENTION_MS;
  // A mark ahead of the server's time now came from a wrong answer of it: read back as on a first run (watermark-ahead.ts).
  const startOf = (mark: string | undefined) =>
    mark && !watermarkAhead(mark, serverNow, FEEDBACK_OVERLAP_MS) ? Math.max(0, Date.parse(mark) - FEEDBACK_OVERLAP_MS) : retentionStart;
  return Math.min(...marks.map(startOf));
}

/**
 * Moves a mark to `at` (the server time read up to): forward only, as retries need, except a mark
 * ahead of `at` by more than the overlap, which this run read back from (watermark-ahead.ts): that
 * one is set back, or every later run would read from it again.
 */
async function moveMark(store: StateStore, mark: { client: string; kind: string; at: string }): Promise<void> {
  const stored = await store.watermarks.get(mark.client, mark.kind);
  if (watermarkAhead(stored, Date.parse(mark.at), FEEDBACK_OVERLAP_MS)) await store.watermarks.reset(mark);
  else await store.watermarks.advance(mark);
}
