import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { WorkflowBundle } from '@temporalio/worker';
import type { RunRecord } from '../../../src/store/types';
import { startSyncStack, type SyncStack } from '../../helpers/sync-stack';
import { bundleWorkflows, connectTestEnv } from '../../helpers/temporal-env';
import { cliFor } from './cli-harness';

describe('campaign-sync pause, resume, runs, report and why', () => {
  let env: TestWorkflowEnvironment;
  let bundle: WorkflowBundle;
  let stack: SyncStack;
  let cli: ReturnType<typeof cliFor>;

  beforeAll(async () => {
    env = await connectTestEnv();
    bundle = await bundleWorkflows();
    stack = await startSyncStack({ env, bundle, title: 'cli pause resume', contacts: 300 });
    cli = cliFor(stack);
  });

  afterAll(async () => {
    await stack?.stop();
    await env?.teardown();
  });

  it('keeps a paused list out of two daily runs and syncs it again after resume', async () => {
    const paused = await cli.run(['pause', 'newsletter', '--reason', 'marketing fixes a report']);
    expect(paused).toMatchObject({ code: 0 });
    expect(paused.out).toContain('List newsletter paused by tester: marketing fixes a report');

    for (let night = 0; night < 2; night += 1) {
      const { status } = await stack.runDaily();
      expect(status.lists.newsletter).toMatchObject({ state: 'paused', note: 'paused by tester: marketing fixes a report' });
      expect(status.lists.offers?.state).toBe('ready');
    }
    expect(await stack.deps.store.runs.list({ client: stack.clientKey, listKey: 'newsletter' })).toHaveLength(0);

    expect((await cli.run(['resume', 'newsletter', '--reason', 'report fixed'])).code).toBe(0);
    const { status } = await stack.runDaily();
    expect(status.lists.newsletter?.state).toBe('ready');

    const actions = await stack.deps.store.controls.actions({ client: stack.clientKey, listKey: 'newsletter' });
    expect(actions.map((a) => [a.action, a.actor, a.reason])).toEqual([
      ['resume', 'tester', 'report fixed'],
      ['pause', 'tester', 'marketing fixes a report'],
    ]);
  });

  it('lists the runs with their counts and reports one, writing its ledger as CSV', async () => {
    const runs = await cli.json<RunRecord[]>(['runs', '--list', 'newsletter']);
    expect(runs).toHaveLength(1);
    const [run] = runs as [RunRecord];
    expect(run).toMatchObject({ listKey: 'newsletter', status: 'completed' });
    const table = await cli.run(['runs']);
    expect(table.out.split('\n').filter((line) => line.includes(' offers '))).toHaveLength(3);

    const csvFile = join(stack.dir, 'ledger.csv');
    const report = await cli.run(['report', run.runId, '--csv', csvFile]);
    expect(report.code).toBe(0);
    const counts = await stack.deps.store.ledger.count(run.runId);
    expect(report.out).toContain(`sent ${counts.sent}, by result code: 0 (added) ${counts.byResultCode['0']}`);
    expect(report.out).toMatch(/excluded \d+, by reason: \w+ \d+/);
    const lines = readFileSync(csvFile, 'utf8').trim().split('\n');
    expect(lines[0]).toBe('runId,listKey,outcome,recipientId,entityType,entityId,resultCode,rowNumber,reason,field');
    expect(lines).toHaveLength(1 + counts.sent + counts.excluded);
  });

  it('answers why someone was sent or excluded, per list', async () => {
    const [run] = await stack.deps.store.runs.list({ client: stack.clientKey, listKey: 'newsletter', limit: 1 });
    const entries = [];
    for await (const entry of stack.deps.store.ledger.stream(run?.runId ?? '')) entries.push(entry);
    const sent = entries.find((e) => e.outcome === 'sent');
    const excluded = entries.find((e) => e.outcome === 'excluded' && e.entityId !== '');
    if (!sent || !excluded || excluded.outcome !== 'excluded') throw new Error('the demo run should both send and exclude');

    const why = await cli.run(['why', sent.recipientId.toUpperCase()]);
    expect(why.code).toBe(0);
    expect(why.out).toContain('newsletter:');
    expect(why.out).toContain(`sent as ${sent.entityType} ${sent.entityId}: result code 0 (added)`);

    const whyExcluded = await cli.run(['why', `${excluded.entityType}:${excluded.entityId}`, '--list', 'newsletter']);
    expect(whyExcluded.out).toContain(`selection row ${excluded.rowNumber}): ${excluded.reason}`);
  });

  it('says which lists exist for an unknown list and exits 3; 2 for a pause without a reason', async () => {
    const unknown = await cli.run(['pause', 'newsletters', '--reason', 'typo']);
    expect(unknown).toMatchObject({
      code: 3,
      err: 'campaign-sync: list newsletters not found; client ' + stack.clientKey + ' synchronises: newsletter, offers',
    });
    expect((await cli.run(['pause', 'newsletter'])).code).toBe(2);
    expect((await cli.run(['why', 'nobody@example.invalid'])).code).toBe(3);
  });
});
