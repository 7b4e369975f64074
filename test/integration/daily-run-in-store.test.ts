import type { RunRecord } from '../../src/store/types';
import { startSyncStack, type SyncStack } from '../helpers/sync-stack';
import { useWorkflowTestEnv } from '../helpers/workflow-test-env';
import { cliFor } from './cli/cli-harness';

const PHASES = ['feedback', 'lists', 'responses', 'retention'];

describe('the daily run in the state store', () => {
  const temporal = useWorkflowTestEnv();
  const stacks: SyncStack[] = [];
  const stackWith = async (title: string, adjust?: Parameters<typeof startSyncStack>[0]['adjust']) => {
    const stack = await startSyncStack({ env: temporal.env, bundle: temporal.bundle, title, contacts: 300, ...(adjust ? { adjust } : {}) });
    stacks.push(stack);
    return stack;
  };
  afterAll(async () => {
    for (const stack of stacks) await stack.stop();
  });

  it('records a ready daily run (kind daily, its Temporal run id) with its phases in order, listed by runs and explained by report', async () => {
    const stack = await stackWith('daily in store');
    const { workflowId } = await stack.runDaily();
    const { runId } = await temporal.env.client.workflow.getHandle(workflowId).describe();
    const store = stack.deps.store;
    const run = await store.runs.get(runId);
    expect(run).toMatchObject({ kind: 'daily', client: stack.clientKey, listKey: null, status: 'completed', counts: { 'lists.ready': 2 } });
    expect(run?.endedAt).not.toBeNull();

    const steps = await store.runs.steps(runId);
    expect(steps.map((s) => [s.name, s.status])).toEqual(PHASES.map((name) => [name, 'completed']));
    for (const step of steps) expect(step.endedAt! >= step.startedAt).toBe(true);
    // Each phase starts after the one before it ended: the order is the workflow's, not the store's sort.
    for (let i = 1; i < steps.length; i += 1) expect(steps[i]!.startedAt >= steps[i - 1]!.endedAt!).toBe(true);
    const lists = steps[1]!.details.lists as Record<string, { state: string; runId: string }>;
    const listRuns = await store.runs.list({ client: stack.clientKey, kind: 'list' });
    expect(Object.keys(lists).sort()).toEqual(['newsletter', 'offers']);
    for (const [listKey, list] of Object.entries(lists)) {
      expect(list.state).toBe('ready');
      expect(listRuns.find((r) => r.runId === list.runId)).toMatchObject({ listKey, status: 'completed' });
    }
    const responses = await store.runs.list({ client: stack.clientKey, kind: 'responses' });
    expect(steps[2]!.details.runId).toBe(responses[0]?.runId);

    const cli = cliFor(stack);
    const daily = await cli.json<RunRecord[]>(['runs', '--kind', 'daily']);
    expect(daily.map((r) => [r.runId, r.kind, r.status])).toEqual([[runId, 'daily', 'completed']]);
    const table = await cli.run(['runs']);
    const dailyLine = table.out.split('\n').find((line) => line.endsWith(runId));
    expect(dailyLine).toMatch(/ daily +completed /);
    expect(table.out.split('\n').filter((line) => / (newsletter|offers) +completed /.test(line))).toHaveLength(2);

    const report = await cli.run(['report', runId]);
    expect(report.code).toBe(0);
    expect(report.out).toContain(`Run ${runId}: daily run of client ${stack.clientKey}, completed`);
    for (const phase of PHASES) expect(report.out).toMatch(new RegExp(`^ {4}${phase} +completed`, 'm'));
    for (const [listKey, list] of Object.entries(lists)) expect(report.out).toContain(`${listKey.padEnd(12)} ready (run ${list.runId})`);

    expect((await cli.run(['runs', '--kind', 'nightly'])).code).not.toBe(0);
  });

  it('records a daily run whose list failed as failed, its lists step failed naming the failed list, the later phases still recorded', async () => {
    // A mapped attribute the Optimizely list lacks: the newsletter's pre-flight fails it before the clear.
    const stack = await stackWith('daily in store failed', (raw) => (raw.crm.lists.newsletter.attributes.nickname = 'nickname'));
    await expect(stack.runDaily()).rejects.toThrow();
    const [run] = await stack.deps.store.runs.list({ client: stack.clientKey, kind: 'daily' });
    expect(run).toMatchObject({ kind: 'daily', status: 'failed', counts: { 'lists.failed': 1, 'lists.ready': 1 } });
    const steps = await stack.deps.store.runs.steps(run!.runId);
    expect(steps.map((s) => [s.name, s.status])).toEqual([
      ['feedback', 'completed'],
      ['lists', 'failed'],
      ['responses', 'completed'],
      ['retention', 'completed'],
    ]);
    expect(steps[1]!.details.lists).toMatchObject({ newsletter: { state: 'failed' }, offers: { state: 'ready' } });

    const report = await cliFor(stack).run(['report', run!.runId]);
    expect(report.out).toMatch(/^ {4}lists +failed/m);
    expect(report.out).toMatch(/newsletter +failed \(run /);
  });
});
