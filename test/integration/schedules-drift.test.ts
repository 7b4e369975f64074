import { ScheduleNotFoundError, type ScheduleUpdateOptions, type ScheduleOptionsStartWorkflowAction } from '@temporalio/client';
import type { Workflow } from '@temporalio/common';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import fc from 'fast-check';
import { parseConfig } from '../../src/config/load-config';
import { demoConfig } from '../../src/demo/demo-config';
import { applySchedules, ForeignScheduleError, STALE_NOTE } from '../../src/schedules/apply-schedules';
import { desiredSchedules } from '../../src/schedules/desired-schedules';
import { connectTestEnv, taskQueueFor } from '../helpers/temporal-env';
import { waitFor } from '../helpers/wait-for';

// `schedules apply` against the real dev server, with the schedules changed behind its back:
// - edited by hand (a second time, a range of hours, weekdays, jitter, an end date, a run timeout):
//   apply writes the configured schedule again, then finds it unchanged (said `unchanged` before);
// - applied by several processes at once (workers starting together): one schedule, no error
//   (ScheduleAlreadyRunning before);
// - a schedule by its id that campaign-sync did not create: refused, left as it was (taken over before);
// - a client whose schedule left the configuration: paused so it starts no run, resumed when it comes
//   back; another task queue's schedules (another environment) untouched (left running before).

type Update = ScheduleUpdateOptions<ScheduleOptionsStartWorkflowAction<Workflow>>;
let env: TestWorkflowEnvironment;
let serial = 0;
const created: string[] = [];

beforeAll(async () => {
  env = await connectTestEnv();
});

afterAll(async () => {
  for (const id of created)
    await env.client.schedule
      .getHandle(id)
      .delete()
      .catch(() => undefined);
  await env?.teardown();
});

/** A configuration with one client of a fresh key, scheduled daily at `time` (none when undefined). */
function configOf(clientKey: string, time: string | undefined) {
  const raw = demoConfig() as { clients: Array<Record<string, unknown>> };
  raw.clients[0] = { ...raw.clients[0], key: clientKey, schedule: time === undefined ? undefined : { time, timeZone: 'Europe/Berlin' } };
  if (time === undefined) delete raw.clients[0].schedule;
  return parseConfig(raw, 'test.json', '/tmp');
}

function fresh(time = '03:30', taskQueue = taskQueueFor('schedules-drift')) {
  const clientKey = `drift${process.pid}x${++serial}`;
  created.push(`daily-sync:${clientKey}`);
  /** Applies the configuration with the client's schedule at `at`, or without one. */
  const applyAt = (at: string | undefined, prune = false) =>
    applySchedules(env.client, desiredSchedules(configOf(clientKey, at), taskQueue), { taskQueue, prune });
  const mine = async (at: string | undefined = time) => (await applyAt(at)).filter((r) => r.scheduleId.includes(clientKey));
  return { clientKey, taskQueue, scheduleId: `daily-sync:${clientKey}`, applyAt, mine };
}

const HAND_EDITS: Array<[string, (p: Update) => Update]> = [
  ['a second time', (p) => ({ ...p, spec: { ...p.spec, calendars: [...(p.spec.calendars ?? []), { hour: 14, minute: 0 }] } })],
  ['a range of hours', (p) => ({ ...p, spec: { ...p.spec, calendars: [{ hour: { start: 3, end: 5 }, minute: 30 }] } })],
  [
    'weekdays only',
    (p) => ({ ...p, spec: { ...p.spec, calendars: [{ hour: 3, minute: 30, dayOfWeek: [{ start: 'MONDAY', end: 'FRIDAY' }] }] } }),
  ],
  ['an interval too', (p) => ({ ...p, spec: { ...p.spec, intervals: [{ every: '1h' }] } })],
  ['jitter', (p) => ({ ...p, spec: { ...p.spec, jitter: '30m' } })],
  ['an end date', (p) => ({ ...p, spec: { ...p.spec, endAt: new Date(Date.now() + 86_400_000) } })],
  ['a run timeout', (p) => ({ ...p, action: { ...p.action, workflowRunTimeout: '1h' } })],
  ['skipped days', (p) => ({ ...p, spec: { ...p.spec, skip: [{ dayOfWeek: 'SUNDAY' }] } })],
  ['another minute', (p) => ({ ...p, spec: { ...p.spec, calendars: [{ hour: 3, minute: 31 }] } })],
];

describe('schedules apply against schedules changed behind its back', () => {
  it('converges after any hand edits: updated once, then unchanged, the paused state kept', async () => {
    const { scheduleId, mine } = fresh();
    expect(await mine()).toEqual([{ scheduleId, change: 'created' }]);
    await fc.assert(
      fc.asyncProperty(fc.subarray(HAND_EDITS, { minLength: 1 }), fc.boolean(), async (edits, pause) => {
        const handle = env.client.schedule.getHandle(scheduleId);
        await handle.update((p) => edits.reduce((acc, [, edit]) => edit(acc as Update), p as Update) as never);
        if (pause) await handle.pause('by hand');
        // A pause reaches the schedule's description a moment later; an apply reading the description
        // before it would write it back unpaused (an update replaces the state: left open, see the docs).
        await waitFor(async () => (await handle.describe()).state.paused === pause);
        expect(await mine()).toEqual([{ scheduleId, change: 'updated' }]);
        expect(await mine()).toEqual([{ scheduleId, change: 'unchanged' }]);
        const described = await handle.describe();
        expect(described.spec.calendars?.length).toBe(1);
        expect(described.spec.jitter ?? 0).toBe(0);
        expect(described.state.paused).toBe(pause);
        if (pause) await handle.unpause();
        await waitFor(async () => !(await handle.describe()).state.paused);
      }),
      { numRuns: 12 },
    );
  });

  it('creates one schedule when applied by several processes at once', async () => {
    const { scheduleId, mine } = fresh();
    const results = (await Promise.all([mine(), mine(), mine()])).flat();
    expect(results.filter((r) => r.change === 'created')).toHaveLength(1);
    expect(results.map((r) => r.change).sort()).toEqual(['created', 'unchanged', 'unchanged']);
    const ids: string[] = [];
    for await (const s of env.client.schedule.list()) if (s.scheduleId === scheduleId) ids.push(s.scheduleId);
    expect(ids).toEqual([scheduleId]);
  });

  it('refuses a schedule by its id that campaign-sync did not create, and leaves it as it was', async () => {
    const { scheduleId, applyAt } = fresh();
    await env.client.schedule.create({
      scheduleId,
      spec: { calendars: [{ hour: 12, minute: 0 }] },
      action: { type: 'startWorkflow', workflowType: 'someoneElsesWorkflow', taskQueue: 'elsewhere', args: [] },
      state: { paused: true },
    });
    await expect(applyAt('03:30')).rejects.toThrow(ForeignScheduleError);
    const described = await env.client.schedule.getHandle(scheduleId).describe();
    expect(described.action.workflowType).toBe('someoneElsesWorkflow');
    expect(described.spec.calendars?.[0]?.hour[0]?.start).toBe(12);
  });

  it('pauses a schedule whose client left the configuration, resumes it when it comes back, and leaves other task queues alone', async () => {
    const ours = fresh();
    const theirs = fresh('03:30', taskQueueFor('schedules-drift-other-environment'));
    expect(await theirs.mine()).toEqual([{ scheduleId: theirs.scheduleId, change: 'created' }]);
    expect(await ours.mine()).toEqual([{ scheduleId: ours.scheduleId, change: 'created' }]);
    const ourHandle = env.client.schedule.getHandle(ours.scheduleId);
    for (let i = 0; i < 2; i++) {
      expect((await ours.applyAt(undefined)).filter((r) => r.scheduleId === ours.scheduleId)).toEqual([
        { scheduleId: ours.scheduleId, change: 'stale' },
      ]);
      expect((await ourHandle.describe()).state).toMatchObject({ paused: true, note: STALE_NOTE });
    }
    expect((await ours.applyAt(undefined)).map((r) => r.scheduleId)).not.toContain(theirs.scheduleId);
    expect((await env.client.schedule.getHandle(theirs.scheduleId).describe()).state.paused).toBe(false);
    expect(await ours.mine('03:30')).toEqual([{ scheduleId: ours.scheduleId, change: 'updated' }]);
    expect((await ourHandle.describe()).state.paused).toBe(false);
    expect((await ours.applyAt(undefined, true)).filter((r) => r.scheduleId === ours.scheduleId)).toEqual([
      { scheduleId: ours.scheduleId, change: 'deleted' },
    ]);
    await expect(ourHandle.describe()).rejects.toThrow(ScheduleNotFoundError);
    await expect(env.client.schedule.getHandle(theirs.scheduleId).describe()).resolves.toBeDefined();
  });
});
