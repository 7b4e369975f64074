import type { Client, WorkflowHandle } from '@temporalio/client';
import { defineQuery } from '@temporalio/workflow';
import { askOptions } from '../../../src/cli/commands/status';
import { CliUsageError } from '../../../src/errors/cli-usage-error';
import { DEFAULT_ASK, inspectWorkflow } from '../../../src/operations/inspect-workflow';

const progressQuery = defineQuery<{ phase: string }>('progress');

/**
 * A Temporal client whose one open workflow is run by a busy worker: query number i takes
 * `answerMs[i]` (Infinity: no worker at all). The deadline is modelled, not waited for: a query whose
 * answer would come after the deadline the caller set fails as gRPC DEADLINE_EXCEEDED does.
 */
function busyWorker(answerMs: number[]) {
  const asked: number[] = [];
  let queries = 0;
  const description = {
    workflowId: 'list-sync:demo:newsletter',
    runId: 'run-1',
    status: { name: 'RUNNING' },
    startTime: new Date(Date.now() - 60_000),
    typedSearchAttributes: { get: () => 'refilling' },
    raw: { pendingActivities: [] },
  };
  let pendingDeadline = 0;
  const handle = {
    workflowId: description.workflowId,
    describe: async () => description,
    async query() {
      const takes = answerMs[queries] ?? Infinity;
      queries += 1;
      asked.push(pendingDeadline);
      if (takes > pendingDeadline) throw Object.assign(new Error('4 DEADLINE_EXCEEDED: Deadline exceeded'), { code: 4 });
      return { phase: 'refilling' };
    },
  } as unknown as WorkflowHandle;
  const temporal = {
    options: { namespace: 'default' },
    async withDeadline<R>(deadline: number, fn: () => Promise<R>): Promise<R> {
      pendingDeadline = Math.round((deadline - Date.now()) / 1000) * 1000;
      return fn();
    },
    workflowService: { getWorkflowExecutionHistoryReverse: async () => ({ history: { events: [] } }) },
  } as unknown as Client;
  return { temporal, handle, asked };
}

describe('inspectWorkflow', () => {
  it('waits for a busy worker that needs more than the old 3 s: answered, not "no worker"', async () => {
    const { temporal, handle, asked } = busyWorker([4_000]);
    const inspection = await inspectWorkflow(temporal, handle, progressQuery);
    expect(inspection).toEqual({ answer: { phase: 'refilling' }, retrying: [] });
    expect(asked).toEqual([DEFAULT_ASK.answerTimeoutMs]);
  });

  it('asks a second time before concluding: a worker busy past the first deadline answers the second', async () => {
    const { temporal, handle, asked } = busyWorker([15_000, 500]);
    expect(await inspectWorkflow(temporal, handle, progressQuery)).toMatchObject({ answer: { phase: 'refilling' } });
    expect(asked).toEqual([10_000, 10_000]);
  });

  it('reports no worker only after every attempt went unanswered, with what the server knows', async () => {
    const { temporal, handle, asked } = busyWorker([]);
    const inspection = await inspectWorkflow(temporal, handle, progressQuery, { answerTimeoutMs: 2_000, attempts: 3 });
    expect(asked).toEqual([2_000, 2_000, 2_000]);
    expect(inspection).toMatchObject({
      unanswered: {
        workflowId: 'list-sync:demo:newsletter',
        lastKnownPhase: 'refilling',
        listIncomplete: true,
        error: expect.stringContaining('DEADLINE'),
      },
    });
  });
});

describe('status --answer-timeout', () => {
  it('takes a duration, keeps two attempts, and refuses anything else naming the option', () => {
    expect(askOptions(undefined)).toEqual({ answerTimeoutMs: 10_000, attempts: 2 });
    expect(askOptions('30s')).toEqual({ answerTimeoutMs: 30_000, attempts: 2 });
    for (const bad of ['0s', 'soon', '10', true]) expect(() => askOptions(bad)).toThrow(CliUsageError);
    expect(() => askOptions('soon')).toThrow(/--answer-timeout must be a duration/);
  });
});
