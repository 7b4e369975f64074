import { mkdirSync, readdirSync, renameSync, copyFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ClientConfig } from '../config/config-schema';
import type { CrmPort } from '../crm/crm-port';
import { CLOSED_LOOP_RETENTION_MS } from '../optimizely/api/closed-loop-columns';
import type { OptimizelyPort } from '../optimizely/client/optimizely-port';
import type { StateStore } from '../store/state-store';
import { applyFeedbackFile, emptyTally, type FeedbackTally } from './apply-feedback-file';
import { closedLoopPages, concatPages } from './closed-loop-pages';
import type { FeedbackKind } from './feedback-events';
import { writeFeedbackFile } from './feedback-file';
import { suppressionRecorder } from './record-suppressions';
import { FEEDBACK_IMPORTED_AT, FEEDBACK_OVERLAP_MS, FEEDBACK_WATERMARK, SUPPRESSIONS_WATERMARK } from './watermark-kinds';

export interface ImportFeedbackPorts {
  client: ClientConfig;
  optimizely: OptimizelyPort;
  store: StateStore;
  crm: CrmPort;
  /** The run's folder; bounces.csv and unsubscribes.csv are kept there as the audit artefact. */
  runDir: string;
  now: () => Date;
  heartbeat?: (details: { stage: string; rows: number }) => void;
}

export interface ImportFeedbackResult {
  bounces: FeedbackTally;
  unsubscribes: FeedbackTally;
  watermark: string;
  files: string[];
}

/**
 * Bounces and unsubscribes since the watermark (less an overlap; the whole retention on a first
 * run) are written as CSV files, parsed back and applied to the CRM; files dropped into the client's
 * feedback folder go the same way. The watermark moves only after the CRM accepted everything.
 */
export async function importFeedback(ports: ImportFeedbackPorts): Promise<ImportFeedbackResult> {
  const { client, optimizely, store } = ports;
  mkdirSync(ports.runDir, { recursive: true });
  const serverNow = await optimizely.closedLoop.getCurrentTime();
  const since = await feedbackWindowStart(store, client.key, serverNow);
  const window = { since, until: serverNow };
  const progress = (stage: string) => (rows: number) => ports.heartbeat?.({ stage, rows });
  const bouncesFile = join(ports.runDir, 'bounces.csv');
  const unsubscribesFile = join(ports.runDir, 'unsubscribes.csv');
  await writeFeedbackFile(bouncesFile, closedLoopPages(optimizely, 'getOutBounces', window, progress('fetch bounces')));
  await writeFeedbackFile(
    unsubscribesFile,
    concatPages(
      closedLoopPages(optimizely, 'getUnsubscribes', window, progress('fetch unsubscribes')),
      closedLoopPages(optimizely, 'getMailingUnsubscribes', window, progress('fetch mailing unsubscribes')),
    ),
  );
  const files: Array<[string, FeedbackKind]> = [[bouncesFile, 'bounce'], [unsubscribesFile, 'unsubscribe'], ...dropFolderFiles(ports)];
  const result = { bounces: emptyTally(), unsubscribes: emptyTally() };
  for (const [file, kind] of files) {
    const tally = kind === 'bounce' ? result.bounces : result.unsubscribes;
    const suppressions = suppressionRecorder(store.suppressions, client.key, file.includes('dropped-') ? 'dropped_file' : 'closed_loop');
    try {
      await applyFeedbackFile(file, kind, { client, ledger: store.ledger, crm: ports.crm, suppressions }, tally, progress(`apply ${kind}s`));
    } finally {
      // Recorded whether or not the CRM accepted the rows: the ledger must not depend on it.
      await suppressions.flush();
    }
  }
  const at = new Date(serverNow).toISOString();
  await store.watermarks.advance({ client: client.key, kind: FEEDBACK_WATERMARK, at });
  await store.watermarks.advance({ client: client.key, kind: SUPPRESSIONS_WATERMARK, at });
  await store.watermarks.advance({ client: client.key, kind: FEEDBACK_IMPORTED_AT, at: ports.now().toISOString() });
  return { ...result, watermark: at, files: files.map(([file]) => file) };
}

/**
 * Since the watermark less an overlap; the whole ClosedLoop retention when there is none. The
 * suppression ledger has its own mark, so a store that predates it reads the whole retention once
 * too (the CRM sees those rows again, as on any overlap: they are `already` applied).
 */
async function feedbackWindowStart(store: StateStore, client: string, serverNow: number): Promise<number> {
  const marks = await Promise.all([store.watermarks.get(client, FEEDBACK_WATERMARK), store.watermarks.get(client, SUPPRESSIONS_WATERMARK)]);
  const retentionStart = serverNow - CLOSED_LOOP_RETENTION_MS;
  return Math.min(...marks.map((mark) => (mark ? Math.max(0, Date.parse(mark) - FEEDBACK_OVERLAP_MS) : retentionStart)));
}

/**
 * CSV files an Optimizely export job delivered to the client's folder: copied into the run folder
 * (the audit copy is what gets parsed) and moved to `processed/` so they are read once. Copies a
 * crashed attempt already took are picked up again from the run folder, so none is lost.
 */
function dropFolderFiles(ports: ImportFeedbackPorts): Array<[string, FeedbackKind]> {
  const folder = ports.client.feedbackFolder;
  if (folder) {
    const processed = join(folder, 'processed');
    mkdirSync(processed, { recursive: true });
    for (const name of readdirSync(folder).sort()) {
      if (!feedbackKindOf(name)) continue;
      copyFileSync(join(folder, name), join(ports.runDir, `dropped-${name}`));
      renameSync(join(folder, name), join(processed, name));
    }
  }
  return readdirSync(ports.runDir)
    .filter((name) => name.startsWith('dropped-'))
    .sort()
    .flatMap((name) => {
      const kind = feedbackKindOf(name.slice('dropped-'.length));
      return kind ? [[join(ports.runDir, name), kind] as [string, FeedbackKind]] : [];
    });
}

function feedbackKindOf(name: string): FeedbackKind | undefined {
  if (/^bounces.*\.csv$/i.test(name)) return 'bounce';
  if (/^unsubscribes.*\.csv$/i.test(name)) return 'unsubscribe';
  return undefined;
}
