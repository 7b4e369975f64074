import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Worker, WorkflowBundle } from '@temporalio/worker';
import type { StatusSnapshot } from '../../../src/operations/status-snapshot';
import type { DailySyncStatus } from '../../../workflows/daily-sync';
import type { ListSyncWorkflowOutput } from '../../../workflows/list-sync';
import { startSyncStack, type SyncStack } from '../../helpers/sync-stack';
import { bundleWorkflows, connectTestEnv } from '../../helpers/temporal-env';
import { waitFor } from '../../helpers/wait-for';
import { cliFor } from './cli-harness';

describe('campaign-sync run, status --watch, approve, reject and rerun', () => {
  let env: TestWorkflowEnvironment;
  let bundle: WorkflowBundle;
  let stack: SyncStack;
  let cli: ReturnType<typeof cliFor>;
  let worker: Worker;
  let running: Promise<void>;

  beforeAll(async () => {
    env = await connectTestEnv();
    bundle = await bundleWorkflows();
    // Any excluded row holds the newsletter for an operator: a guard that always asks.
    stack = await startSyncStack({
      env,
      bundle,
      title: 'cli held rerun',
      contacts: 300,
      adjust: (raw) => Object.assign(raw.clients[0].lists[0], { guard: { maxExcludedPercent: 0 } }),
    });
    cli = cliFor(stack);
    worker = await stack.startWorker();
    running = worker.run();
  });

  afterAll(async () => {
    worker?.shutdown();
    await running;
    await stack?.stop();
    await env?.teardown();
  });

  const listLine = async (listKey: string) => (await cli.json<StatusSnapshot>(['status'])).lists.find((l) => l.listKey === listKey);
  const dailyList = async (listKey: string) => (await cli.json<StatusSnapshot>(['status'])).daily?.status.lists[listKey];

  it('holds a daily run for approval, queues a re-run in it, and watches it to the end', async () => {
    const started = await cli.run(['run']);
    expect(started.code).toBe(0);
    const workflowId = /Started (\S+);/.exec(started.out)?.[1] ?? '';
    expect(workflowId).toMatch(new RegExp(`^daily-sync:${stack.clientKey}:`));

    await waitFor(async () => (await listLine('newsletter'))?.open?.progress.phase === 'held');
    await waitFor(async () => (await dailyList('offers'))?.state === 'ready');
    const screen = await cli.run(['status']);
    expect(screen.out).toContain(`Daily run ${workflowId}: phase lists`);
    expect(screen.out).toMatch(/newsletter\s+held\s+\[\.+\]\s+0%\s+exported \d+\s+waiting for approve or reject: .*excluded/);
    expect(screen.out).toMatch(/offers\s+ready/);

    expect((await cli.run(['approve', 'offers'])).code).toBe(3);
    expect((await cli.run(['run', '--list', 'newsletter'])).code).toBe(5);
    const rerun = await cli.run(['rerun', 'offers', '--reason', 'CRM fix']);
    expect(rerun.out).toBe(`Re-run of offers: ${workflowId} answered: re-run queued (position 1): starts as soon as a lane is free`);
    const again = await cli.run(['rerun', 'offers', '--reason', 'twice']);
    expect(again).toMatchObject({ code: 5, out: '' });
    expect(again.err).toMatch(
      new RegExp(`^campaign-sync: refused: ${workflowId} refused rerunList: list offers is (already queued in this run|running now)`),
    );
    const hostile = await cli.run(['reject', 'newsletter', '--reason', 'looks fine\u001b[2J\nOK']);
    expect(hostile.code).toBe(2);
    expect(hostile.err).toContain('reject: --reason contains a control or invisible character (U+001B at position 10)');

    const watching = cli.start(['status', '--watch', '--interval', '200']);
    await watching.firstOutput;
    const approved = await cli.run(['approve', 'newsletter', '--reason', 'checked the exclusions']);
    expect(approved.out).toBe(`list-sync:${stack.clientKey}:newsletter answered: approved: clears the list and refills it`);
    const late = await cli.run(['approve', 'newsletter']);
    expect(late.code === 5 || late.code === 3).toBe(true);
    const watched = await watching.done;
    expect(watched.code).toBe(0);
    expect(watched.out).toContain('waiting for approve or reject');
    expect(watched.out.trim().endsWith('Nothing open any more.')).toBe(true);

    const status: DailySyncStatus = await env.client.workflow.getHandle(workflowId).result();
    expect(status.lists.newsletter).toMatchObject({ state: 'ready', note: 'decided by tester' });
    expect(status.lists.offers?.state).toBe('ready');
    expect(await stack.deps.store.runs.list({ client: stack.clientKey, listKey: 'offers' })).toHaveLength(2);
    const audit = await stack.deps.store.controls.actions({ client: stack.clientKey });
    expect(audit.map((a) => `${a.action} ${a.listKey} ${a.actor}: ${a.reason}`)).toEqual(
      expect.arrayContaining([
        'approve newsletter tester: checked the exclusions',
        'rerunList offers tester: CRM fix',
        'rerun offers tester: CRM fix',
      ]),
    );
  });

  it('re-runs a list alone when no daily run is open, and rejects it when held', async () => {
    const rerun = await cli.run(['rerun', 'newsletter']);
    expect(rerun.out).toBe(`List sync list-sync:${stack.clientKey}:newsletter started on its own`);
    await waitFor(async () => (await listLine('newsletter'))?.open?.progress.phase === 'held');
    const rejected = await cli.run(['reject', 'newsletter', '--reason', 'numbers look wrong']);
    expect(rejected).toMatchObject({
      code: 0,
      out: `list-sync:${stack.clientKey}:newsletter answered: rejected: ends the run, the list stays as it is`,
    });
    const result: ListSyncWorkflowOutput = await env.client.workflow.getHandle(`list-sync:${stack.clientKey}:newsletter`).result();
    expect(result).toMatchObject({ status: 'rejected', decidedBy: 'tester' });
  });

  it('runs one list alone and waits for its summary', async () => {
    const run = await cli.run(['run', '--list', 'offers', '--wait', '--batches-per-activity', '1']);
    expect(run.code).toBe(0);
    expect(run.out).toContain('List offers: ready');
    expect((await cli.run(['approve', 'newsletter'])).code).toBe(3);
  });
});
