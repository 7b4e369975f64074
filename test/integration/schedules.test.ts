import { ScheduleNotFoundError, ScheduleOverlapPolicy } from '@temporalio/client';
import type { TypedSearchAttributes } from '@temporalio/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker, WorkflowBundle } from '@temporalio/worker';
import type { ScheduleResult } from '../../src/schedules/apply-schedules';
import type { ScheduleListing } from '../../src/schedules/list-schedules';
import type { DailySyncStatus } from '../../workflows/daily-sync';
import { CLIENT_KEY } from '../../workflows/search-attributes';
import { startSyncStack, type SyncStack } from '../helpers/sync-stack';
import { bundleWorkflows, connectTestEnv } from '../helpers/temporal-env';
import { readyByAgo } from '../helpers/ready-by-clock';
import { waitFor } from '../helpers/wait-for';
import { cliFor } from './cli/cli-harness';

describe('campaign-sync schedules', () => {
  let env: TestWorkflowEnvironment;
  let bundle: WorkflowBundle;
  let stack: SyncStack;
  let worker: Worker;
  let running: Promise<void>;
  let dailyId: string;
  let responsesId: string;
  let readyById = '';

  beforeAll(async () => {
    env = await connectTestEnv();
    bundle = await bundleWorkflows();
    stack = await startSyncStack({
      env,
      bundle,
      title: 'schedules',
      contacts: 200,
      adjust: (raw) => (raw.clients[0].schedule = { time: '03:30', timeZone: 'Europe/Berlin', responsesEvery: '15m' }),
    });
    dailyId = `daily-sync:${stack.clientKey}`;
    responsesId = `responses:${stack.clientKey}`;
    worker = await stack.startWorker();
    running = worker.run();
  });

  afterAll(async () => {
    worker?.shutdown();
    await running;
    for (const id of [dailyId, responsesId, readyById])
      await env.client.schedule
        .getHandle(id)
        .delete()
        .catch(() => undefined);
    await stack?.stop();
    await env?.teardown();
  });

  /** The CLI on the stack's configuration as it is now (tests change it between steps). */
  const apply = async (...flags: string[]) => {
    const results = await cliFor(stack).json<ScheduleResult[]>(['schedules', 'apply', ...flags]);
    return results.filter((r) => r.scheduleId.includes(stack.clientKey));
  };

  it('creates the daily and the response schedule with explicit policies, then changes nothing', async () => {
    expect(await apply()).toEqual([
      { scheduleId: dailyId, change: 'created' },
      { scheduleId: responsesId, change: 'created' },
    ]);
    const daily = await env.client.schedule.getHandle(dailyId).describe();
    expect(daily.spec.timezone).toBe('Europe/Berlin');
    expect(daily.spec.calendars?.[0]).toMatchObject({ hour: [{ start: 3, end: 3, step: 1 }], minute: [{ start: 30, end: 30, step: 1 }] });
    expect(daily.policies).toEqual({ overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: 7_200_000, pauseOnFailure: false });
    expect(daily.action).toMatchObject({
      workflowType: 'dailySyncWorkflow',
      taskQueue: stack.taskQueue,
      args: [{ client: stack.clientKey }],
    });
    expect((daily.action.typedSearchAttributes as TypedSearchAttributes).get(CLIENT_KEY)).toBe(stack.clientKey);
    const responses = await env.client.schedule.getHandle(responsesId).describe();
    expect(responses.action.workflowType).toBe('responseIngestWorkflow');
    expect(responses.spec.intervals?.[0]?.every).toBe(15 * 60_000);

    expect(await apply()).toEqual([
      { scheduleId: dailyId, change: 'unchanged' },
      { scheduleId: responsesId, change: 'unchanged' },
    ]);
  });

  it('updates a schedule whose time changed in the configuration', async () => {
    stack.rawConfig.clients[0].schedule.time = '03:15';
    expect(await apply()).toContainEqual({ scheduleId: dailyId, change: 'updated' });
    const daily = await env.client.schedule.getHandle(dailyId).describe();
    expect(daily.spec.calendars?.[0]?.hour[0]?.start).toBe(3);
    expect(daily.spec.calendars?.[0]?.minute[0]?.start).toBe(15);
  });

  it("starts a daily run when triggered, and lists it as the schedule's recent run", async () => {
    await env.client.schedule.getHandle(dailyId).trigger(ScheduleOverlapPolicy.ALLOW_ALL);
    let workflowId = '';
    await waitFor(async () => {
      const recent = (await env.client.schedule.getHandle(dailyId).describe()).info.recentActions;
      workflowId = recent[0]?.action.workflow.workflowId ?? '';
      return workflowId !== '';
    });
    expect(workflowId).toMatch(new RegExp(`^daily-sync:${stack.clientKey}:scheduled-`));
    const status: DailySyncStatus = await env.client.workflow.getHandle(workflowId).result();
    expect(Object.values(status.lists).map((l) => l.state)).toEqual(['ready', 'ready']);

    let listings: ScheduleListing[] = [];
    await waitFor(async () => {
      listings = await cliFor(stack).json<ScheduleListing[]>(['schedules', 'list']);
      return listings.some((s) => s.scheduleId === dailyId);
    });
    expect(listings.find((s) => s.scheduleId === dailyId)).toMatchObject({
      when: '03:15 Europe/Berlin',
      paused: false,
      recentRuns: [workflowId],
    });
  });

  it('reports a schedule no longer configured and deletes it only with --prune', async () => {
    delete stack.rawConfig.clients[0].schedule.responsesEvery;
    await waitFor(async () => (await apply()).some((r) => r.scheduleId === responsesId));
    expect(await apply()).toEqual([
      { scheduleId: dailyId, change: 'unchanged' },
      { scheduleId: responsesId, change: 'stale' },
    ]);
    await expect(env.client.schedule.getHandle(responsesId).describe()).resolves.toBeDefined();
    expect(await apply('--prune')).toContainEqual({ scheduleId: responsesId, change: 'deleted' });
    await expect(env.client.schedule.getHandle(responsesId).describe()).rejects.toThrow(ScheduleNotFoundError);
  });

  it('creates a deadline check per readyBy that starts readyByWorkflow, which finds the list late but ready since', async () => {
    // A deadline an hour ago: the daily run triggered above ended after it, so the lists were late
    // and are ready now (no channels configured: nothing to send).
    const { readyBy, at: t } = readyByAgo(3_600_000);
    stack.rawConfig.clients[0].lists[0].readyBy = readyBy;
    // The running worker's parsed configuration too: the check reads its lists from there.
    (stack.config.clients[0]?.lists[0] as { readyBy?: string }).readyBy = readyBy;
    readyById = `ready-by:${stack.clientKey}:${readyBy.replace(' ', '@')}`;
    expect(await apply()).toContainEqual({ scheduleId: readyById, change: 'created' });
    const schedule = env.client.schedule.getHandle(readyById);
    const described = await schedule.describe();
    expect(described.spec.timezone).toBe('UTC');
    expect(described.spec.calendars?.[0]).toMatchObject({ hour: [{ start: t.getUTCHours(), end: t.getUTCHours(), step: 1 }] });
    expect(described.policies).toEqual({ overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: 12 * 3_600_000, pauseOnFailure: false });
    expect(described.action).toMatchObject({ workflowType: 'readyByWorkflow', args: [{ client: stack.clientKey, readyBy }] });
    expect(await apply()).toContainEqual({ scheduleId: readyById, change: 'unchanged' });

    await schedule.trigger(ScheduleOverlapPolicy.ALLOW_ALL);
    let workflowId = '';
    await waitFor(async () => {
      workflowId = (await schedule.describe()).info.recentActions[0]?.action.workflow.workflowId ?? '';
      return workflowId !== '';
    });
    expect(workflowId).toMatch(new RegExp(`^${readyById}:scheduled-`));
    expect(await env.client.workflow.getHandle(workflowId).result()).toMatchObject({
      late: ['newsletter'],
      recovered: ['newsletter'],
      day: t.toISOString().slice(0, 10),
    });
  });
});
