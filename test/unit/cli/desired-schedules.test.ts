import { parseConfig } from '../../../src/config/load-config';
import { demoConfig } from '../../../src/demo/demo-config';
import { desiredSchedules, MANAGED_BY } from '../../../src/schedules/desired-schedules';
import { sameShape } from '../../../src/schedules/schedule-shape';

function config(schedule?: Record<string, unknown>) {
  const raw = demoConfig() as { clients: Array<Record<string, unknown>> };
  if (schedule) raw.clients[0] = { ...raw.clients[0], schedule };
  else delete raw.clients[0]?.schedule;
  return parseConfig(raw, 'test', '/tmp');
}

describe('desiredSchedules', () => {
  it('builds one daily schedule at the configured local time, with explicit policies', () => {
    const [daily, ...rest] = desiredSchedules(config({ time: '03:30', timeZone: 'Europe/Berlin' }), 'campaign-sync');
    expect(rest).toEqual([]);
    expect(daily?.scheduleId).toBe('daily-sync:demo');
    expect(daily?.options.spec).toEqual({
      calendars: [{ hour: 3, minute: 30, comment: 'daily at 03:30 Europe/Berlin' }],
      timezone: 'Europe/Berlin',
    });
    expect(daily?.options.policies).toEqual({ overlap: 'SKIP', catchupWindow: '2 hours', pauseOnFailure: false });
    expect(daily?.options.action).toMatchObject({
      workflowType: 'dailySyncWorkflow',
      workflowId: 'daily-sync:demo:scheduled',
      taskQueue: 'campaign-sync',
      args: [{ client: 'demo' }],
    });
    expect(daily?.options.memo).toEqual({ managedBy: MANAGED_BY, client: 'demo', kind: 'daily' });
  });

  it('adds a response schedule by workflow type name when responsesEvery is set', () => {
    const [, responses] = desiredSchedules(config({ time: '02:30', responsesEvery: '30m' }), 'q');
    expect(responses?.scheduleId).toBe('responses:demo');
    expect(responses?.options.spec).toEqual({ intervals: [{ every: 1_800_000 }] });
    expect(responses?.options.action).toMatchObject({ workflowType: 'responseIngestWorkflow', taskQueue: 'q' });
  });

  it('builds nothing for a client without a schedule', () => {
    expect(desiredSchedules(config(), 'q')).toEqual([]);
  });

  it('compares shapes by value, so only a real change updates a schedule', () => {
    const [a] = desiredSchedules(config({ time: '02:30' }), 'q');
    const [b] = desiredSchedules(config({ time: '02:30' }), 'q');
    const [c] = desiredSchedules(config({ time: '02:31' }), 'q');
    expect(sameShape(a!.shape, b!.shape)).toBe(true);
    expect(sameShape(a!.shape, c!.shape)).toBe(false);
  });

  it('adds one deadline check per distinct readyBy of the enabled lists, even without a daily schedule', () => {
    const raw = demoConfig() as { clients: Array<Record<string, unknown> & { lists: Array<Record<string, unknown>> }> };
    delete raw.clients[0]!.schedule;
    raw.clients[0]!.lists[0]!.readyBy = '06:00 Europe/Berlin';
    raw.clients[0]!.lists[1]!.readyBy = '06:00 Europe/Berlin';
    const same = desiredSchedules(parseConfig(raw, 'test', '/tmp'), 'q');
    expect(same.map((s) => s.scheduleId)).toEqual(['ready-by:demo:06:00@Europe/Berlin']);
    const [check] = same;
    expect(check?.options.spec).toEqual({
      calendars: [{ hour: 6, minute: 0, comment: 'daily at 06:00 Europe/Berlin' }],
      timezone: 'Europe/Berlin',
    });
    expect(check?.options.action).toMatchObject({
      workflowType: 'readyByWorkflow',
      workflowId: 'ready-by:demo:06:00@Europe/Berlin:scheduled',
      args: [{ client: 'demo', readyBy: '06:00 Europe/Berlin' }],
    });
    // Late is better than never for a check: 12 h of catch-up after a server outage.
    expect(check?.options.policies).toEqual({ overlap: 'SKIP', catchupWindow: 12 * 3_600_000, pauseOnFailure: false });
    expect(check?.options.memo).toMatchObject({ kind: 'ready-by' });
    raw.clients[0]!.lists[1]!.readyBy = '07:30 America/New_York';
    expect(desiredSchedules(parseConfig(raw, 'test', '/tmp'), 'q').map((s) => s.scheduleId)).toEqual([
      'ready-by:demo:06:00@Europe/Berlin',
      'ready-by:demo:07:30@America/New_York',
    ]);
    raw.clients[0]!.lists[1]!.enabled = false;
    expect(desiredSchedules(parseConfig(raw, 'test', '/tmp'), 'q')).toHaveLength(1);
  });
});
