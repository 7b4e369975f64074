import { proxyActivities } from '@temporalio/workflow';
import type { createActivities } from '../activities';

const { describeStack } = proxyActivities<ReturnType<typeof createActivities>>({
  // A local call that answers in milliseconds; anything slower means the worker is unhealthy.
  startToCloseTimeout: '10 seconds',
  retry: { maximumAttempts: 3, maximumInterval: '5 seconds' },
});

/** Input of {@link smokeWorkflow}: who asked, so the run is recognisable in the Web UI. */
export interface SmokeWorkflowInput {
  requestedBy: string;
}

export interface SmokeWorkflowOutput {
  greeting: string;
  taskQueue: string;
}

/** Proves the embedded stack end to end: server, worker, workflow sandbox and one activity. */
export async function smokeWorkflow(input: SmokeWorkflowInput): Promise<SmokeWorkflowOutput> {
  const stack = await describeStack({ requestedBy: input.requestedBy });
  return { greeting: `campaign-sync is up (asked by ${input.requestedBy})`, taskQueue: stack.taskQueue };
}
