import { WorkflowUpdateFailedError } from '@temporalio/client';
import { dailySyncWorkflow, pauseListUpdate, rerunListUpdate, resumeListUpdate, statusQuery } from '../../workflows/daily-sync';
import { approveUpdate, listSyncWorkflow, pauseUpdate, progressQuery, rejectUpdate, resumeUpdate } from '../../workflows/list-sync';
import { waitFor } from '../helpers/wait-for';
import { useWorkflowTestEnv } from '../helpers/workflow-test-env';

// Operator actions as Updates, on the dev server with fake activities: each is accepted with an answer
// saying what the workflow did, or refused with a reason and nothing changes.
const lists = ['newsletter', 'offers'].map((listKey) => ({ listKey, paused: false }));

async function refusal(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof WorkflowUpdateFailedError)) throw new Error(`expected a refused Update, got ${String(error)}`);
  expect((error.cause as { type?: string }).type).toBe('ActionRefusedError');
  return error.cause?.message ?? '';
}

describe('operator Updates', () => {
  const temporal = useWorkflowTestEnv();
  const withWorker = temporal.withFakeWorker;
  const startList = (taskQueue: string) =>
    temporal.env.client.workflow.start(listSyncWorkflow, {
      taskQueue,
      workflowId: `list-sync:${taskQueue}`,
      args: [{ client: 'demo', listKey: 'newsletter', batchesPerActivity: 1 }],
    });
  const startDaily = (taskQueue: string) =>
    temporal.env.client.workflow.start(dailySyncWorkflow, {
      taskQueue,
      workflowId: `daily-sync:${taskQueue}`,
      args: [{ client: taskQueue }],
    });

  it('approves a held run once, refusing a second decision, a stale one and hostile text', async () => {
    await withWorker('update approve', { guard: { hold: true, reasons: ['export is empty'] } }, async (taskQueue, fake) => {
      const handle = await startList(taskQueue);
      expect(await refusal(handle.executeUpdate(approveUpdate, { args: [{ by: 'ops' }] }))).toMatch(
        /not held for a decision \(phase \w+\)/,
      );
      await waitFor(async () => (await handle.query(progressQuery)).phase === 'held');
      expect(await refusal(handle.executeUpdate(approveUpdate, { args: [{ by: 'ops\u001b[31m', reason: 'x' }] }))).toMatch(
        /^by contains a control/,
      );
      expect(await refusal(handle.executeUpdate(rejectUpdate, { args: [{ by: 'ops', reason: 'r'.repeat(501) }] }))).toMatch(
        /^reason is longer than 500/,
      );
      expect(await refusal(handle.executeUpdate(approveUpdate, { args: [{ by: 'ops', runId: 'an-earlier-run' }] }))).toMatch(
        /^stale decision: it was meant for run "an-earlier-run"/,
      );
      // A field the validator does not take, or a second argument, would be kept in the history unread.
      expect(await refusal(handle.executeUpdate(approveUpdate, { args: [{ by: 'ops', note: 'jane@example.com' } as never] }))).toBe(
        'the message has a field it does not take ("note"): it takes by, reason, runId, hold',
      );
      const twoArguments = handle.executeUpdate(approveUpdate as never, { args: [{ by: 'ops' }, 'x'.repeat(10_000)] as never });
      expect(await refusal(twoArguments)).toBe('the Update takes one message; 2 arguments were given');
      expect((await handle.query(progressQuery)).phase).toBe('held');
      expect(fake.operatorActions).toEqual([]);

      const answer = await handle.executeUpdate(approveUpdate, {
        args: [{ by: 'ops@example.test', reason: 'checked', runId: handle.firstExecutionRunId }],
      });
      expect(answer).toEqual({
        action: 'approve',
        workflowId: handle.workflowId,
        phase: 'held',
        did: 'approved: clears the list and refills it',
      });
      expect(await refusal(handle.executeUpdate(rejectUpdate, { args: [{ by: 'other' }] }))).toMatch(
        /already approved by "ops@example.test"|not held/,
      );
      expect(await handle.result()).toMatchObject({ status: 'ready', decidedBy: 'ops@example.test' });
      expect(fake.operatorActions).toEqual([expect.objectContaining({ action: 'approve', by: 'ops@example.test', reason: 'checked' })]);
    });
  });

  it('rejects a held run and answers that the list stays as it is', async () => {
    await withWorker('update reject', { guard: { hold: true, reasons: ['shrank'] } }, async (taskQueue, fake) => {
      const handle = await startList(taskQueue);
      await waitFor(async () => (await handle.query(progressQuery)).phase === 'held');
      expect((await handle.executeUpdate(rejectUpdate, { args: [{ by: 'ops' }] })).did).toBe(
        'rejected: ends the run, the list stays as it is',
      );
      expect(await handle.result()).toMatchObject({ status: 'rejected', decidedBy: 'ops' });
      expect(fake.calls).not.toContain('clear:newsletter');
    });
  });

  it('pauses a refill between chunks, refuses a second pause and a resume of a running list', async () => {
    await withWorker('update pause', { exportedCount: 4000, refillDelayMs: 300 }, async (taskQueue) => {
      const handle = await startList(taskQueue);
      await waitFor(async () => (await handle.query(progressQuery)).phase === 'refilling');
      expect(await refusal(handle.executeUpdate(resumeUpdate, { args: [{ by: 'ops' }] }))).toBe('not paused (phase refilling)');
      const paused = await handle.executeUpdate(pauseUpdate, { args: [{ by: 'ops', reason: 'report fix' }] });
      expect(paused.did).toBe('paused: stops at the next safe point, between refill chunks (the list stays incomplete while paused)');
      expect(await refusal(handle.executeUpdate(pauseUpdate, { args: [{ by: 'someone' }] }))).toBe('already paused by "ops"');
      await waitFor(async () => {
        const progress = await handle.query(progressQuery);
        return progress.paused && progress.listIncomplete;
      });
      expect((await handle.executeUpdate(resumeUpdate, { args: [{ by: 'ops' }] })).did).toBe('resumed: continues refilling');
      expect(await handle.result()).toMatchObject({ status: 'ready', verifiedCount: 4000 });
    });
  });

  it('says a pause asked past the safe point before the clear (the drift measured) stops after the clear, and it does', async () => {
    await withWorker('update pause past clear point', { exportedCount: 2000, driftDelayMs: 1500 }, async (taskQueue, fake) => {
      const handle = await startList(taskQueue);
      // The drift is measured after the safe point before the clear; the phase still says guard.
      await waitFor(async () => fake.drifts.length > 0);
      expect(await handle.query(progressQuery)).toMatchObject({ phase: 'guard', pastSafePointBeforeChange: true });
      const paused = await handle.executeUpdate(pauseUpdate, { args: [{ by: 'ops', reason: 'hold on' }] });
      expect(paused.did).toBe(
        'paused: stops at the next safe point, before the first refill chunk (the list is cleared: it stays incomplete while paused)',
      );
      await waitFor(async () => (await handle.query(progressQuery)).stoppedAt !== undefined);
      expect(await handle.query(progressQuery)).toMatchObject({ phase: 'refilling', listIncomplete: true, batchesDone: 0 });
      expect(fake.calls).toContain('clear:newsletter');
      await handle.executeUpdate(resumeUpdate, { args: [{ by: 'ops' }] });
      expect(await handle.result()).toMatchObject({ status: 'ready', verifiedCount: 2000 });
    });
  });

  it('refuses daily-run actions on an unknown, running, queued or prototype list, naming the lists', async () => {
    await withWorker('update daily refusals', { lists, listParallelism: 1, refillDelayMs: 300 }, async (taskQueue, fake) => {
      const handle = await startDaily(taskQueue);
      await waitFor(async () => (await handle.query(statusQuery)).lists.newsletter?.state === 'running');
      expect(await refusal(handle.executeUpdate(rerunListUpdate, { args: [{ listKey: 'newsleter', by: 'ops' }] }))).toBe(
        'list "newsleter" is not part of this daily run (its lists: newsletter, offers)',
      );
      expect(await refusal(handle.executeUpdate(rerunListUpdate, { args: [{ listKey: '__proto__', by: 'ops' }] }))).toMatch(
        /^list "__proto__" is not part/,
      );
      expect(await refusal(handle.executeUpdate(rerunListUpdate, { args: [{ listKey: 'newsletter', by: 'ops' }] }))).toBe(
        `list newsletter is running now (list-sync:${taskQueue}:newsletter)`,
      );
      expect(await refusal(handle.executeUpdate(rerunListUpdate, { args: [{ listKey: 'offers', by: 'ops' }] }))).toBe(
        'list offers is already queued in this run',
      );
      expect(await refusal(handle.executeUpdate(resumeListUpdate, { args: [{ listKey: 'offers', by: 'ops' }] }))).toBe(
        'list offers is not paused in this run (it is pending)',
      );
      const paused = await handle.executeUpdate(pauseListUpdate, { args: [{ listKey: 'offers', by: 'ops', reason: 'wrong report' }] });
      expect(paused.did).toBe('taken off the queue: it does not run in this daily run unless resumed');
      const status = await handle.result();
      expect(status.lists.offers).toMatchObject({ state: 'paused', note: 'paused by ops: wrong report' });
      expect(fake.calls).not.toContain('export:offers');
      expect(fake.operatorActions.map((a) => a.action)).toEqual(['pauseList']);
    });
  });

  it('runs a re-run accepted before the lists finished', async () => {
    await withWorker('update rerun early', { lists, listParallelism: 1, refillDelayMs: 300 }, async (taskQueue, fake) => {
      const handle = await startDaily(taskQueue);
      await waitFor(async () => (await handle.query(statusQuery)).lists.offers?.state === 'running');
      const answer = await handle.executeUpdate(rerunListUpdate, { args: [{ listKey: 'newsletter', by: 'ops', reason: 'CRM fix' }] });
      expect(answer).toMatchObject({ phase: 'lists', did: 're-run queued (position 1): starts as soon as a lane is free' });
      const status = await handle.result();
      expect(fake.calls.filter((c) => c === 'export:newsletter')).toHaveLength(2);
      expect(status.lists.newsletter?.state).toBe('ready');
    });
  });

  it('runs a re-run and a resume accepted after the lists finished, before the daily run closes', async () => {
    const planned = [
      { listKey: 'newsletter', paused: false },
      { listKey: 'offers', paused: true, pausedBy: 'ops', pauseReason: 'fix' },
    ];
    await withWorker('update late', { lists: planned, responsesDelayMs: 1500 }, async (taskQueue, fake) => {
      const handle = await startDaily(taskQueue);
      await waitFor(async () => (await handle.query(statusQuery)).phase === 'responses');
      const rerun = await handle.executeUpdate(rerunListUpdate, { args: [{ listKey: 'newsletter', by: 'ops', reason: 'after fix' }] });
      expect(rerun).toMatchObject({
        phase: 'responses',
        did: 're-run queued (position 1): starts as soon as a lane is free; the daily run waits for it before it closes',
      });
      const resumed = await handle.executeUpdate(resumeListUpdate, { args: [{ listKey: 'offers', by: 'ops' }] });
      expect(resumed.did).toMatch(/^resumed and queued \(position \d\)/);
      const status = await handle.result();
      expect(fake.calls.filter((c) => c === 'export:newsletter')).toHaveLength(2);
      expect(fake.calls.filter((c) => c === 'export:offers')).toHaveLength(1);
      expect(fake.calls.indexOf('export:offers')).toBeGreaterThan(fake.calls.indexOf('responses'));
      expect(status.lists).toMatchObject({ newsletter: { state: 'ready' }, offers: { state: 'ready' } });
      expect(fake.calls.at(-1)).toBe('pruneStateStore');
    });
  });
});
