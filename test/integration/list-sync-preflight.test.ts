import { WorkflowFailedError } from '@temporalio/client';
import { listSyncWorkflowId } from '../../workflows/ids';
import type { DailySyncStatus } from '../../workflows/daily-sync';
import { listSyncWorkflow } from '../../workflows/list-sync';
import { adminDelete, soapCalls } from '../helpers/crash-harness';
import type { SyncStack } from '../helpers/sync-stack';
import { useSyncStack } from '../helpers/workflow-test-env';

/** The root cause's message and type of a failed workflow (activity failure → application failure). */
function rootCause(error: unknown): { message: string; type?: string } {
  let current = error as { cause?: unknown; message: string; type?: string };
  while (current.cause) current = current.cause as typeof current;
  return { message: current.message, type: current.type };
}

// Day 1 syncs the list; then a CRM attribute is mapped to a field support has not added to the
// Optimizely list yet. The next list sync must fail before the clear, leaving day 1's recipients.
describe('listSyncWorkflow pre-flight on the dev server and the simulator', () => {
  const shared = useSyncStack({ title: 'preflight', contacts: 300 });
  let stack: SyncStack;

  beforeAll(() => {
    stack = shared.stack;
  });

  const syncNewsletter = async () => {
    const worker = await stack.startWorker();
    const id = listSyncWorkflowId(stack.clientKey, 'newsletter');
    const run = shared.temporal.env.client.workflow.execute(listSyncWorkflow, {
      taskQueue: stack.taskQueue,
      workflowId: id,
      args: [{ client: stack.clientKey, listKey: 'newsletter' }],
    });
    return worker.runUntil(
      run.then(
        (result) => ({ result }),
        (error: unknown) => ({ error }),
      ),
    );
  };

  it('checks before the export and stops there, failing the run, when the check finds a problem', async () => {
    await shared.temporal.withFakeWorker(
      'preflight fails',
      { preflightProblems: ['Optimizely list 100 lacks the fields "nickname"'] },
      async (taskQueue, fake) => {
        const handle = await shared.temporal.env.client.workflow.start(listSyncWorkflow, {
          taskQueue,
          workflowId: `list-sync:${taskQueue}`,
          args: [{ client: 'demo', listKey: 'newsletter' }],
        });
        const error = await handle.result().then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(rootCause(error)).toEqual({ type: 'ListPreflightError', message: expect.stringContaining('"nickname"') });
        expect(fake.preflights).toEqual(['newsletter']);
        expect(fake.calls).toEqual(['importFeedback']);
        expect(Object.values(fake.finished)).toEqual(['failed']);
      },
    );
  });

  it('fails before the clear on a mapped attribute the list lacks, keeps yesterday’s recipients and names the field', async () => {
    expect(await syncNewsletter()).toMatchObject({ result: { status: 'ready' } });
    const yesterday = await stack.listRecipients('newsletter');
    expect(yesterday.length).toBeGreaterThan(0);

    // The operator maps a new CRM column; Optimizely's list has no such field.
    const attributes = stack.config.crm.lists.newsletter!.attributes;
    attributes.first_name_copy = 'nickname';
    await adminDelete(stack, '/admin/requests');
    const outcome = await syncNewsletter();
    delete attributes.first_name_copy;

    expect(outcome).toHaveProperty('error');
    const { error } = outcome as { error: unknown };
    expect(error).toBeInstanceOf(WorkflowFailedError);
    expect(rootCause(error)).toEqual({
      type: 'ListPreflightError',
      message: expect.stringContaining('Optimizely list 100 lacks the fields "nickname"'),
    });
    expect(await soapCalls(stack, 'clear')).toBe(0);
    expect(await soapCalls(stack, 'addAll3')).toBe(0);
    expect(await soapCalls(stack, 'getAttributeNames')).toBe(1);
    expect(await stack.listRecipients('newsletter')).toEqual(yesterday);
    const [latest] = await stack.deps.store.runs.list({ client: stack.clientKey, listKey: 'newsletter' });
    // Failed before the export: no snapshot was written.
    expect(latest).toMatchObject({ status: 'failed', snapshot: null });
  }, 120_000);

  it('names the missing field in the daily run’s note of the failed list, and the other list still syncs', async () => {
    const attributes = stack.config.crm.lists.newsletter!.attributes;
    attributes.first_name_copy = 'nickname';
    const before = await stack.listRecipients('newsletter');
    // The daily run fails visibly (ListSyncFailedError) and carries its per-list status as the failure's details.
    const failure = await stack.runDaily().then(
      () => undefined,
      (e: unknown) => e as { cause?: { type?: string; details?: unknown[] } },
    );
    delete attributes.first_name_copy;
    expect(failure?.cause?.type).toBe('ListSyncFailedError');
    const status = failure?.cause?.details?.[0] as DailySyncStatus;
    expect(status.lists.newsletter).toMatchObject({ state: 'failed', note: expect.stringContaining('lacks the fields "nickname"') });
    expect(status.lists.offers?.state).toBe('ready');
    expect(await stack.listRecipients('newsletter')).toEqual(before);
  }, 120_000);
});
