import { mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { FeedbackFileUnreadableError } from '../errors/feedback-file-unreadable-error';
import type { FeedbackIntakeStore } from '../store/state-store';
import type { FeedbackFileRecord } from '../store/types';
import { changedTooLong, changingReason, countChanging, forgetChanging } from './changing-files';
import { markDroppedProcessed, quarantineDropped, takeDroppedFile, unchangedSince } from './dropped-file';
import type { FeedbackKind } from './feedback-events';
import type { DroppedDoubt } from './feedback-file-ids';
import { droppedCopyName } from './fitting-name';
import { mayTakeOver } from './review-lease';
import { isUnreadIntent, setAsideUnread, unreadIntentsOf } from './set-aside-unread';

/** What the run did with the names in the feedback folder (names and reasons only, no content). */
export interface DroppedFilesReport {
  processed: string[];
  /** Files whose bytes were processed before (same SHA-256): moved to processed/ without reading. */
  duplicates: string[];
  /**
   * Files set aside in quarantine/ with their reason: unread or not applied, or (an unsubscribe file
   * none of whose recipients we sent, feedback-file-ids.ts) applied and set aside for review.
   */
  quarantined: Array<{ name: string; reason: string }>;
  /**
   * Files that changed while they were read (an export job still writing): a copy that stayed whole
   * applied, left in the folder for the next run; quarantined once they changed on too many polls (changing-files.ts).
   */
  changing: string[];
}

export interface DroppedFilesPorts {
  client: string;
  folder: string;
  runDir: string;
  runId: string;
  intake: FeedbackIntakeStore;
  now: () => Date;
  /**
   * Reads the copy through once; throws FeedbackFileUnreadableError when it cannot be read, answers
   * why it must not be applied (every row rejected, columns swapped: feedback-file-doubts.ts,
   * feedback-file-ids.ts) or why it is to be applied and then set aside for review, or undefined.
   */
  inspect(copy: string, kind: FeedbackKind): Promise<DroppedDoubt | undefined>;
  /** Applies every row of the copy (applied, already, repeated, unknown or rejected). */
  apply(copy: string, kind: FeedbackKind): Promise<void>;
  /** Records the copy's rows whose ids we sent in the suppression ledger only (suppress-sent-rows.ts); how many. */
  suppressSent(copy: string, kind: FeedbackKind): Promise<number>;
  /**
   * The activity's cancellation: no file is begun after it fires. Each file before is done (recorded
   * and moved); the one being applied stops between its batches of rows and stays in the folder for
   * the retry, which applies it whole (the rows applied before count as repeated).
   */
  signal?: AbortSignal;
}

export const emptyDroppedReport = (): DroppedFilesReport => ({ processed: [], duplicates: [], quarantined: [], changing: [] });

/**
 * Each `bounces*.csv` / `unsubscribes*.csv` in the folder, in name order: refused unless a regular
 * file; skipped when its bytes were processed before; quarantined when unreadable or when it must not
 * be applied as it stands (every row rejected, columns swapped, ids we never sent); else applied, then
 * recorded and moved to processed/ (or, for review, quarantine/) unless it changed since it was copied
 * (left for the next run, and quarantined once it changed on too many polls). The move comes last, so
 * a crash leaves the file to the next attempt, whose rows then count as repeated; a file to be set
 * aside for review is recorded so first (`review`), and the next attempt sets it aside unread; so is
 * a file set aside unread by its name, type or changing (set-aside-unread.ts). The report also names
 * the files an earlier attempt of this run set aside (its report was lost with it).
 */
export async function importDroppedFiles(ports: DroppedFilesPorts): Promise<DroppedFilesReport> {
  const report = emptyDroppedReport();
  const met = new Set<string>();
  const setAside = async (name: string, reason: string) => {
    const { key, moved } = await setAsideUnread(ports, name, reason);
    met.add(key);
    // Gone before the move: another import of the client moved it and names it.
    if (moved) report.quarantined.push({ name, reason });
  };
  // A folder the export job has not created yet holds nothing to read.
  await mkdir(ports.folder, { recursive: true });
  // Another run's `review` records only once their lease ran out: that import may be alive (review-lease.ts).
  const before = (await ports.intake.setAsideFiles(ports.client, ports.runId)).filter((file) =>
    mayTakeOver(file, ports.runId, ports.now()),
  );
  const intents = unreadIntentsOf(before);
  for (const name of (await readdir(ports.folder)).sort()) {
    ports.signal?.throwIfAborted();
    const intent = intents.get(name);
    const doubt = doubtfulFeedbackName(name);
    const kind = feedbackKindOf(name);
    // An earlier attempt decided to set it aside and died before it was done: done now, as decided.
    if (intent !== undefined) await setAside(name, intent.reason);
    else if (doubt !== undefined) await setAside(name, doubt);
    else if (kind) await importDroppedFile({ ...ports, setAside }, name, kind, report, met);
  }
  ports.signal?.throwIfAborted();
  await reportSetAsideBefore(ports, before, report, met);
  return report;
}

/**
 * Names the files set aside by an earlier attempt of this run (it died before its report reached the
 * workflow, so the summary, the incident and the metric would never hear of them), and finishes the
 * files applied for review by any run, and those to be set aside unread by this one, that died before
 * recording the move done: they are no longer in the folder, which was read whole (`met`: the
 * checksums and keys this attempt met there).
 */
async function reportSetAsideBefore(
  ports: DroppedFilesPorts,
  before: readonly FeedbackFileRecord[],
  report: DroppedFilesReport,
  met: ReadonlySet<string>,
): Promise<void> {
  for (const file of before) {
    if (met.has(file.checksum)) continue;
    report.quarantined.push({ name: file.name, reason: file.reason });
    if (file.status === 'review' || isUnreadIntent(file))
      await ports.intake.recordFile({ ...file, status: 'processed', runId: ports.runId, recordedAt: ports.now().toISOString() });
  }
}

async function importDroppedFile(
  ports: DroppedFilesPorts & { setAside: (name: string, reason: string) => Promise<void> },
  name: string,
  kind: FeedbackKind,
  report: DroppedFilesReport,
  met: Set<string>,
): Promise<void> {
  const copy = join(ports.runDir, droppedCopyName(name));
  const taken = await takeOrGone(join(ports.folder, name), copy);
  if (taken === undefined) return;
  const quarantine = async (reason: string) => {
    const moved = await quarantineDropped(ports.folder, name, reason, ports.now());
    await forgetChanging(ports.folder, name);
    // Gone before the move: another import of the client (a list sync refreshing feedback) moved it and names it.
    if (moved !== undefined) report.quarantined.push({ name, reason });
  };
  if (!taken.ok) return ports.setAside(name, taken.reason);
  // Still being written: asked before anything is read (a cut last line could read as another
  // recipient or list) and again before the move (bytes appended since would be moved unread). The
  // copy of an applied file stays in the run folder: it is what was applied.
  // Changing on too many polls, it is set aside (changing-files.ts); the copy of an applied one stays.
  const stillWritten = async (applied: boolean) => {
    if (await unchangedSince(join(ports.folder, name), taken.version)) return false;
    if (!applied) await rm(copy, { force: true });
    const note = await countChanging(ports.folder, name, ports.now());
    if (changedTooLong(note)) await ports.setAside(name, changingReason(note));
    else report.changing.push(name);
    return true;
  };
  if (await stillWritten(false)) return;
  const record = (status: FeedbackFileRecord['status'], reason = '') =>
    ports.intake.recordFile({
      client: ports.client,
      checksum: taken.checksum,
      name,
      size: taken.size,
      runId: ports.runId,
      status,
      reason,
      recordedAt: ports.now().toISOString(),
    });
  const before = await ports.intake.file(ports.client, taken.checksum);
  met.add(taken.checksum);
  // Applied (recorded `review`, then `processed` once it is in quarantine/ with its reason file), or
  // applied by an attempt that died before it was set aside: the file is set aside now, unread.
  const setAsideForReview = async (reason: string) => {
    await quarantine(reason);
    await record('processed', reason);
  };
  if (before?.status === 'review') {
    // Another import, alive, is setting it aside now: it is that import's to move and name.
    if (!mayTakeOver(before, ports.runId, ports.now())) return rm(copy, { force: true });
    // The copy of the run that applied it stays in that run's folder: it is what was applied.
    if (before.runId !== ports.runId) await rm(copy, { force: true });
    return setAsideForReview(before.reason);
  }
  if (before?.status === 'processed') {
    await rm(copy, { force: true });
    await markDroppedProcessed(ports.folder, name);
    await forgetChanging(ports.folder, name);
    report.duplicates.push(name);
    return;
  }
  let doubt: DroppedDoubt | undefined;
  try {
    doubt = await ports.inspect(copy, kind);
  } catch (error) {
    if (!(error instanceof FeedbackFileUnreadableError)) throw error;
    // Unreadable because it is still being written (empty, a quote not yet closed): left for the next run, which reads it whole.
    if (await stillWritten(false)) return;
    // Recorded under the run's own key, not the file's checksum: a concurrent import of the client
    // meeting the same bytes would overwrite a checksum record, and one of the two runs then named it twice or never.
    return ports.setAside(name, error.reason);
  }
  if (doubt !== undefined && !doubt.review) {
    // Its only row cut by a job still writing is no reason to set the file aside: the next run reads it whole.
    if (await stillWritten(false)) return;
    // Nothing of it applied to the CRM (at most its rows of ids we sent ledgered); the file stays in
    // quarantine/ for the operator, the copy in the run folder. Set aside under the run's own key (as
    // above): dropped again, it is judged again.
    const reason = doubt.suppressSent ? suppressedSentReason(doubt.reason, await ports.suppressSent(copy, kind)) : doubt.reason;
    return ports.setAside(name, reason);
  }
  await ports.apply(copy, kind);
  if (await stillWritten(true)) return;
  // Applied: recorded processed (the same bytes dropped again are skipped), and moved to processed/;
  // or, to be reviewed, recorded `review` with the reason before it is moved to quarantine/, so an
  // import that dies in between sets it aside on its next attempt instead of skipping it as seen before.
  if (doubt !== undefined) {
    await record('review', doubt.reason);
    return setAsideForReview(doubt.reason);
  }
  await record('processed');
  await markDroppedProcessed(ports.folder, name);
  await forgetChanging(ports.folder, name);
  report.processed.push(name);
}

/** The reason of a file whose rows of ids we sent were ledgered and nothing else applied. */
function suppressedSentReason(reason: string, rows: number): string {
  return (
    `${reason}; its ${rows} row(s) of ids a run of ours sent were recorded in the suppression ledger (an opt-out is never ` +
    `lost: nobody it names that we mail is mailed again). If the file is right, drop it again with the header fixed (or ` +
    `without the rows of ids we never sent) to apply it to the CRM; if it is not, the people it matched stay suppressed (their consent in the CRM was not changed)`
  );
}

/** Takes the file, or undefined when it vanished since the folder was listed. */
async function takeOrGone(path: string, copy: string) {
  try {
    return await takeDroppedFile(path, copy);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

// Invisible characters (Unicode Cc and Cf) carry nothing a reader of the name sees.
const INVISIBLE = /[\p{Cc}\p{Cf}]/gu;

/**
 * Why a finished CSV file whose name speaks of bounces or unsubscribes cannot be read by its name, or
 * undefined. The name alone gives a file its kind (an unsubscribe's scope is its list, a bounce's the
 * whole client), so a near miss (`Unsubscribe.csv`, ` unsubscribes.csv`, `2026-12-01-bounces.csv`,
 * full-width letters) was left in the folder unread and unreported every day, and a name speaking of
 * both (`bounces-and-unsubscribes.csv`) was read as bounces. Either is quarantined with this reason:
 * never guessed, never silently left. Names that do not end in `.csv` (a `.part` still being
 * written, other files) are not looked at.
 */
export function doubtfulFeedbackName(name: string): string | undefined {
  const folded = name.normalize('NFKC').replace(INVISIBLE, '').trim().toLowerCase();
  if (!folded.endsWith('.csv')) return undefined;
  const [bounce, unsubscribe] = [folded.includes('bounce'), folded.includes('unsub')];
  if (bounce && unsubscribe) return 'the name speaks of both bounces and unsubscribes: which kind its rows are would be a guess';
  if ((!bounce && !unsubscribe) || feedbackKindOf(name) !== undefined) return undefined;
  const expected = bounce ? 'bounces' : 'unsubscribes';
  return `the name reads as ${expected === 'bounces' ? 'a' : 'an'} ${expected} file but does not start with "${expected}" and end in ".csv" exactly; rename it ${expected}<anything>.csv to import it`;
}

export function feedbackKindOf(name: string): FeedbackKind | undefined {
  if (/^bounces.*\.csv$/i.test(name)) return 'bounce';
  if (/^unsubscribes.*\.csv$/i.test(name)) return 'unsubscribe';
  return undefined;
}
