import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, Runtime, type WorkflowBundle } from '@temporalio/worker';
import { startDevServer } from '../src/temporal/dev-server';
import { freePort } from '../src/temporal/free-port';
import { listSyncWorkflowId } from '../workflows/ids';
import { approveSignal, listSyncWorkflow, progressQuery } from '../workflows/list-sync';
import { startSyncStack } from '../test/helpers/sync-stack';
import { bundleWorkflows } from '../test/helpers/temporal-env';
import { waitFor } from '../test/helpers/wait-for';

// `npx tsx scripts/record-histories.ts`: records the histories replayed by test/replay/ — a normal
// daily run (with its response ingestion child) and list sync, a guarded run approved by an operator, and a run whose refill was
// retried after transient faults (resumed from its heartbeat), and a run stopped by its pre-flight check.
// Re-record after intended changes; names as arguments record only those (`… list-sync-preflight-failed`).

const OUT = join(__dirname, '..', 'test', 'fixtures', 'histories');

async function main(): Promise<void> {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const server = await startDevServer({ port: await freePort(), uiPort: await freePort(), headless: true });
  const env = await TestWorkflowEnvironment.createFromExistingServer({ address: server.address });
  const bundle = await bundleWorkflows();
  const only = process.argv.slice(2);
  const wanted = (name: string) => only.length === 0 || only.includes(name);
  const save = async (name: string, workflowId: string) => {
    const history = await env.client.workflow.getHandle(workflowId).fetchHistory();
    writeFileSync(join(OUT, `${name}.json`), historyToJSON(history));
    console.log(`${name}: ${history.events?.length} events`);
  };
  try {
    if (wanted('list-sync-preflight-failed')) await recordPreflightFailed(env, bundle, save);
    if (only.length > 0) return;
    const normal = await startSyncStack({ env, bundle, title: 'record normal' });
    const { workflowId } = await normal.runDaily({ batchesPerActivity: 1 });
    // daily-sync-normal.json predates the response-ingestion patch, daily-sync-before-prune-patch.json the
    // retention patch and list-sync-before-ledger-patch.json the sent-ledger-after-verify patch: they are
    // not re-recorded and guard the old paths; so does daily-sync-with-responses.json for the fixed
    // `daily:<client>` artefact folder of the daily-run-own-artefacts patch.
    await save('daily-sync-own-artefacts', workflowId);
    await save('list-sync-normal', listSyncWorkflowId(normal.clientKey, 'newsletter'));
    await normal.stop();

    const guarded = await startSyncStack({ env, bundle, title: 'record guarded', adjust: (raw) => (raw.clients[0].lists[0].guard = { maxExcludedPercent: 0 }) });
    const worker = await guarded.startWorker();
    const id = listSyncWorkflowId(guarded.clientKey, 'newsletter');
    await worker.runUntil(async () => {
      const handle = await env.client.workflow.start(listSyncWorkflow, { taskQueue: guarded.taskQueue, workflowId: id, args: [{ client: guarded.clientKey, listKey: 'newsletter' }] });
      await waitFor(async () => (await handle.query(progressQuery)).phase === 'held');
      await handle.signal(approveSignal, { by: 'recorder', reason: 'recorded guarded run' });
      await handle.result();
    });
    await save('list-sync-guarded', id);
    await guarded.stop();

    const resumed = await startSyncStack({ env, bundle, title: 'record resumed', contacts: 6000, adjust: (raw) => (raw.clients[0].concurrency = 1) });
    await resumed.admin('/admin/faults', { latencyMs: 150 });
    const resumedId = listSyncWorkflowId(resumed.clientKey, 'newsletter');
    const resumedWorker = await resumed.startWorker();
    await resumedWorker.runUntil(async () => {
      const handle = await env.client.workflow.start(listSyncWorkflow, {
        taskQueue: resumed.taskQueue,
        workflowId: resumedId,
        args: [{ client: resumed.clientKey, listKey: 'newsletter', batchesPerActivity: 4 }],
      });
      await waitFor(async () => (await handle.query(progressQuery)).phase === 'refilling');
      await new Promise((r) => setTimeout(r, 600));
      // One failed addAll3 in the middle of the chunk: the retry resumes after the last acknowledged batch.
      await resumed.admin('/admin/faults', { failNextCalls: 1 });
      await handle.result();
    });
    await save('list-sync-resumed', resumedId);
    await resumed.stop();
  } finally {
    await env.teardown();
    await server.stop();
  }
}

/** A list sync whose pre-flight finds a mapped attribute the Optimizely list lacks: it fails before the export. */
async function recordPreflightFailed(env: TestWorkflowEnvironment, bundle: WorkflowBundle, save: (name: string, workflowId: string) => Promise<void>): Promise<void> {
  const stack = await startSyncStack({ env, bundle, title: 'record preflight', adjust: (raw) => (raw.crm.lists.newsletter.attributes.nickname = 'nickname') });
  const worker = await stack.startWorker();
  const id = listSyncWorkflowId(stack.clientKey, 'newsletter');
  await worker.runUntil(
    env.client.workflow.execute(listSyncWorkflow, { taskQueue: stack.taskQueue, workflowId: id, args: [{ client: stack.clientKey, listKey: 'newsletter' }] }).catch(() => undefined),
  );
  await save('list-sync-preflight-failed', id);
  await stack.stop();
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
