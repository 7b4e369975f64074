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

  beforeAll(async () => {
    env = await connectTestEnv();
    bundle = await bundleWorkflows();
    stack = await startSyncStack({
      env,
      bundle,
      title: 'schedules',
      contacts: 200,
      adjust: (raw) => (raw.clients[0].schedule = { time: '02:30', timeZone: 'Europe/Berlin', responsesEvery: '15m' }),
    });
    dailyId = `daily-sync:${stack.clientKey}`;
    responsesId = `responses:${stack.clientKey}`;
    worker = await stack.startWorker();
    running = worker.run();
  });

  afterAll(async () => {
    worker?.shutdown();
    await running;
    for (const id of [dailyId, responsesId])
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
    expect(daily.spec.calendars?.[0]).toMatchObject({ hour: [{ start: 2, end: 2, step: 1 }], minute: [{ start: 30, end: 30, step: 1 }] });
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
});
