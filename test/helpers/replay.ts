import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { bundleWorkflowCode, DefaultLogger, Runtime, Worker, type WorkflowBundle } from '@temporalio/worker';

// Replay workers log every state change at INFO; keep test output to what matters.
Runtime.install({ logger: new DefaultLogger('WARN') });

export const HISTORIES_DIR = join(__dirname, '..', 'fixtures', 'histories');

/**
 * Replays a committed history (`temporal workflow show -w <id> -o json`) against today's workflow
 * code; throws DeterminismViolationError when a change would break runs in flight.
 */
export async function replayHistory(file: string): Promise<void> {
  await replayLoadedHistory(loadHistory(file), file);
}

/** Replays a history already in memory (e.g. one a test altered) against today's workflow code. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- history JSON is protobuf-shaped
export async function replayLoadedHistory(history: any, replayName: string): Promise<void> {
  await Worker.runReplayHistory({ workflowBundle: await workflowBundle(), replayName }, history);
}

// Bundling workflows/ costs seconds; a test file replaying many histories bundles once (jest gives every
// file its own module registry, so each file still replays against the code as it is on disk).
let bundle: Promise<WorkflowBundle> | undefined;
function workflowBundle(): Promise<WorkflowBundle> {
  bundle ??= bundleWorkflowCode({ workflowsPath: require.resolve('../../workflows'), logger: new DefaultLogger('WARN') }).then(
    ({ code }) => ({ code }),
  );
  return bundle;
}

/** A committed history as plain JSON, for tests that alter it. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- history JSON is protobuf-shaped
export function loadHistory(file: string): any {
  return JSON.parse(readFileSync(join(HISTORIES_DIR, file), 'utf8'));
}

/** The patch ids whose markers a committed history carries (`core_patch` markers). */
export function patchMarkers(file: string): string[] {
  return loadHistory(file).events.flatMap(
    (e: { markerRecordedEventAttributes?: { markerName: string; details: Record<string, { payloads: Array<{ data: string }> }> } }) => {
      const marker = e.markerRecordedEventAttributes;
      if (marker?.markerName !== 'core_patch') return [];
      const data = marker.details['patch-data']?.payloads[0]?.data ?? '';
      return [(JSON.parse(Buffer.from(data, 'base64').toString('utf8')) as { id: string }).id];
    },
  );
}
