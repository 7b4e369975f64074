import { approveSignal, listSyncWorkflow, pauseSignal, progressQuery, rejectSignal, resumeSignal } from '../../workflows/list-sync';
import { waitFor } from '../helpers/wait-for';
import { useWorkflowTestEnv } from '../helpers/workflow-test-env';

describe('listSyncWorkflow', () => {
  const temporal = useWorkflowTestEnv();
  const withWorker = temporal.withFakeWorker;

  const start = (taskQueue: string, batchesPerActivity = 1) =>
    temporal.env.client.workflow.start(listSyncWorkflow, {
      taskQueue,
      workflowId: `list-sync:${taskQueue}`,
      args: [{ client: 'demo', listKey: 'newsletter', batchesPerActivity }],
    });

  it('exports, clears, refills in chunks, verifies, then writes the sent ledger', async () => {
    await withWorker('full run', { exportedCount: 2500 }, async (taskQueue, fake) => {
      const result = await (await start(taskQueue, 2)).result();
      expect(result.status).toBe('ready');
      expect(result.verifiedCount).toBe(2500);
      expect(fake.refills.map((r) => [r.firstBatch, r.endBatch])).toEqual([
        [0, 2],
        [2, 3],
      ]);
      expect(fake.refills.map((r) => r.deferLedger)).toEqual([true, true]);
      expect(fake.calls).toEqual(['importFeedback', 'export:newsletter', 'clear:newsletter', 'recordSentLedger']);
      expect(result.progress).toMatchObject({ phase: 'ready', listIncomplete: false, batchesDone: 3, batchesTotal: 3, sent: 2500 });
    });
  });

  it('still writes the sent ledger of the batches sent when the refill fails, then restores the last good list', async () => {
    await withWorker('failed refill', { exportedCount: 2500, refillFailsAt: 2 }, async (taskQueue, fake) => {
      const handle = await start(taskQueue, 2);
      await expect(handle.result()).rejects.toMatchObject({
        cause: {
          type: 'ListRestoredError',
          message: expect.stringMatching(/RESTORED from the last good run good-run .*2000 recipients, 3 left out/),
        },
      });
      expect(fake.calls.slice(-5)).toEqual([
        'clear:newsletter',
        'recordSentLedger',
        'prepareRestore',
        'clear:newsletter',
        'recordSentLedger',
      ]);
      const restoreRefills = fake.refills.filter((r) => r.runId.endsWith(':restore'));
      expect(restoreRefills.map((r) => [r.snapshotRef, r.firstBatch, r.endBatch])).toEqual([
        [`snap-${handle.firstExecutionRunId}:restore`, 0, 2],
      ]);
      expect(fake.finished).toEqual({ [handle.firstExecutionRunId]: 'restored', [`${handle.firstExecutionRunId}:restore`]: 'restored' });
      expect(await handle.query(progressQuery)).toMatchObject({ phase: 'restored', listIncomplete: false });
    });
  });

  it('leaves the list incomplete, and says so, when there is no last good list to restore', async () => {
    await withWorker(
      'no last good',
      { exportedCount: 2500, refillFailsAt: 0, restore: { reason: 'list newsletter has no last good run to restore' } },
      async (taskQueue, fake) => {
        const handle = await start(taskQueue, 2);
        await expect(handle.result()).rejects.toMatchObject({
          cause: {
            type: 'ListIncompleteError',
            message: expect.stringMatching(/LEFT INCOMPLETE, not restored: list newsletter has no last good run/),
          },
        });
        expect(fake.calls.filter((c) => c === 'clear:newsletter')).toHaveLength(1);
        expect(fake.finished[handle.firstExecutionRunId]).toBe('failed');
        expect(await handle.query(progressQuery)).toMatchObject({ phase: 'failed', listIncomplete: true });
      },
    );
  });

  it('holds a guarded run without clearing until approved', async () => {
    await withWorker('guard approve', { guard: { hold: true, reasons: ['export is empty'] } }, async (taskQueue, fake) => {
      const handle = await start(taskQueue);
      await waitFor(async () => (await handle.query(progressQuery)).phase === 'held');
      expect(fake.calls).not.toContain('clear:newsletter');
      await handle.signal(approveSignal, { by: 'ops@example.test', reason: 'checked the report' });
      const result = await handle.result();
      expect(result).toMatchObject({ status: 'ready', decidedBy: 'ops@example.test' });
      expect(fake.operatorActions).toEqual([expect.objectContaining({ action: 'approve', reason: 'checked the report' })]);
    });
  });

  it('ignores a decision signal whose message an Update would refuse: no approval for nobody', async () => {
    await withWorker('guard hostile signals', { guard: { hold: true, reasons: ['shrank by 60%'] } }, async (taskQueue, fake) => {
      const handle = await start(taskQueue);
      await waitFor(async () => (await handle.query(progressQuery)).phase === 'held');
      // Signals arrive in order: had any of these approved, the run would end ready instead of rejected.
      for (const hostile of [{}, null, 42, { by: '' }, { by: 'ops\u202e' }, { by: 'ops', reason: 'complaint from jane@example.com' }])
        await handle.signal(approveSignal, hostile as unknown as { by: string });
      await handle.signal(rejectSignal, { by: 'ops', reason: 'report broken' });
      expect(await handle.result()).toMatchObject({ status: 'rejected', decidedBy: 'ops' });
      expect(fake.calls).not.toContain('clear:newsletter');
      expect(fake.operatorActions).toEqual([expect.objectContaining({ action: 'reject', by: 'ops' })]);
    });
  });

  it('ignores a decision signal meant for another run: an approval for an earlier run approves nothing', async () => {
    await withWorker('guard stale signal', { guard: { hold: true, reasons: ['shrank by 60%'] } }, async (taskQueue, fake) => {
      const handle = await start(taskQueue);
      await waitFor(async () => (await handle.query(progressQuery)).phase === 'held');
      await handle.signal(approveSignal, { by: 'yesterday', reason: 'approved last night', runId: 'an-earlier-run' });
      await handle.signal(rejectSignal, { by: 'ops', reason: 'report broken', runId: handle.firstExecutionRunId });
      expect(await handle.result()).toMatchObject({ status: 'rejected', decidedBy: 'ops' });
      expect(fake.calls).not.toContain('clear:newsletter');
      expect(fake.operatorActions).toEqual([expect.objectContaining({ action: 'reject', by: 'ops' })]);
    });
  });

  it('decides once: a second decision signal, or an approval replayed, does not turn a rejection around', async () => {
    // The hold's resolved notice takes a while: the run still reads held after the decision.
    const options = { guard: { hold: true, reasons: ['shrank by 60%'] }, notifyDelayMs: 1500 };
    await withWorker('guard second decision', options, async (taskQueue, fake) => {
      const handle = await start(taskQueue);
      await waitFor(async () => (await handle.query(progressQuery)).phase === 'held' && fake.notices.length === 1);
      await handle.signal(rejectSignal, { by: 'ops', reason: 'report broken' });
      await handle.signal(approveSignal, { by: 'late', reason: 'looks fine to me' });
      await handle.signal(approveSignal, { by: 'late', reason: 'looks fine to me' });
      expect(await handle.result()).toMatchObject({ status: 'rejected', decidedBy: 'ops' });
      expect(fake.calls).not.toContain('clear:newsletter');
      expect(fake.operatorActions).toEqual([expect.objectContaining({ action: 'reject', by: 'ops' })]);
    });
  });

  it('leaves the list untouched when a held run is rejected', async () => {
    await withWorker('guard reject', { guard: { hold: true, reasons: ['shrank by 60%'] } }, async (taskQueue, fake) => {
      const handle = await start(taskQueue);
      await waitFor(async () => (await handle.query(progressQuery)).phase === 'held');
      await handle.signal(rejectSignal, { by: 'ops', reason: 'report broken' });
      expect(await handle.result()).toMatchObject({ status: 'rejected', decidedBy: 'ops' });
      expect(fake.calls).not.toContain('clear:newsletter');
      expect(fake.refills).toHaveLength(0);
    });
  });

  it('rejects a held run when nobody decides before the timeout', async () => {
    await withWorker('guard timeout', { guard: { hold: true, reasons: ['empty'], approvalTimeoutMs: 1500 } }, async (taskQueue, fake) => {
      const result = await (await start(taskQueue)).result();
      expect(result).toMatchObject({ status: 'rejected', decidedBy: 'timeout' });
      expect(fake.calls).not.toContain('clear:newsletter');
    });
  });

  it('pauses between refill chunks and says the list is incomplete', async () => {
    await withWorker('pause refill', { exportedCount: 4000, refillDelayMs: 400 }, async (taskQueue, fake) => {
      const handle = await start(taskQueue);
      await waitFor(async () => (await handle.query(progressQuery)).phase === 'refilling');
      await handle.signal(pauseSignal, { by: 'ops', reason: 'report fix' });
      await waitFor(async () => {
        const progress = await handle.query(progressQuery);
        return progress.stoppedAt !== undefined && fake.refills.length === progress.batchesDone;
      });
      const paused = await handle.query(progressQuery);
      expect(paused).toMatchObject({ paused: true, pausedBy: 'ops', listIncomplete: true, phase: 'refilling' });
      expect(Date.parse(paused.stoppedAt ?? '')).not.toBeNaN();
      // Paused for good, not just between two chunks: the server holds no refill scheduled or running,
      // so none starts until a signal wakes the workflow.
      await waitFor(async () => ((await handle.describe()).raw.pendingActivities ?? []).length === 0);
      expect(fake.refills.length).toBe(paused.batchesDone);
      expect((await handle.query(progressQuery)).batchesDone).toBe(paused.batchesDone);
      await handle.signal(resumeSignal, { by: 'ops' });
      const result = await handle.result();
      expect(result).toMatchObject({ status: 'ready', verifiedCount: 4000 });
      // Cleared at the resume: the result (in history) carries no pause time.
      expect(result.progress.stoppedAt).toBeUndefined();
    });
  });
});
