import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { WorkflowBundle } from '@temporalio/worker';
import { createWorker } from '../../src/worker';
import { dailySyncWorkflow, pauseListSignal, resumeListSignal, statusQuery, type DailySyncStatus } from '../../workflows/daily-sync';
import { fakeSyncActivities } from './fake-sync-activities';
import { waitFor } from './wait-for';

/** What the daily run came to: its status, its failure, or neither within the time given. */
export type DailyOutcome = { status: DailySyncStatus } | { error: unknown } | { stuck: true };

/**
 * A daily run (fake activities, lists newsletter and offers, one at a time) whose newsletter sync ends
 * while no worker polls, and which is sent `signal` for the newsletter in that time: the next workflow
 * task holds both the list sync's end and the signal, and the signal handler runs first.
 */
export async function signalToEndedList(
  { env, bundle }: { env: TestWorkflowEnvironment; bundle: WorkflowBundle },
  taskQueue: string,
  signal: 'pauseList' | 'resumeList',
): Promise<{ workflowId: string; outcome: DailyOutcome; calls: readonly string[] }> {
  const fake = fakeSyncActivities({
    lists: ['newsletter', 'offers'].map((listKey) => ({ listKey, paused: false })),
    listParallelism: 1,
    refillDelayMs: 1500,
  });
  const runWorker = async () => {
    const worker = await createWorker({
      connection: env.nativeConnection,
      namespace: 'default',
      taskQueue,
      activities: fake.activities,
      workflowBundle: bundle,
    });
    return { worker, running: worker.run() };
  };
  const workflowId = `daily-sync:${taskQueue}`;
  const first = await runWorker();
  const handle = await env.client.workflow.start(dailySyncWorkflow, { taskQueue, workflowId, args: [{ client: taskQueue }] });
  await waitFor(async () => (await handle.query(statusQuery)).lists.newsletter?.state === 'running');
  const child = (await handle.query(statusQuery)).lists.newsletter?.workflowId as string;
  first.worker.shutdown();
  await first.running;

  await env.client.workflow.getHandle(child).terminate('ended while the daily run had no worker');
  await handle.signal(signal === 'pauseList' ? pauseListSignal : resumeListSignal, {
    listKey: 'newsletter',
    by: 'ops',
    reason: 'just then',
  });

  const second = await runWorker();
  try {
    const outcome = await Promise.race<DailyOutcome>([
      handle.result().then(
        (status) => ({ status }),
        (error: unknown) => ({ error }),
      ),
      new Promise((resolve) => setTimeout(() => resolve({ stuck: true }), 60_000)),
    ]);
    return { workflowId, outcome, calls: fake.calls };
  } finally {
    second.worker.shutdown();
    await second.running;
  }
}
