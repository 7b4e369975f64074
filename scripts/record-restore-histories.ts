import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { historyToJSON } from '@temporalio/common/lib/proto-utils';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { startDevServer } from '../src/temporal/dev-server';
import { freePort } from '../src/temporal/free-port';
import { listSyncWorkflowId } from '../workflows/ids';
import { listSyncWorkflow } from '../workflows/list-sync';
import { startSyncStack } from '../test/helpers/sync-stack';
import { bundleWorkflows } from '../test/helpers/temporal-env';

// `npx tsx scripts/record-restore-histories.ts <name>`: records a list sync whose refill fails
// permanently after the clear (the simulator refuses the first addAll3), after a good run of the
// same list. Run with today's code it records the restored path (list-sync-restored); run on a
// checkout from before the restore-last-good-after-clear patch it recorded the old path
// (list-sync-failed-before-restore-patch), which is kept and not re-recorded.

const OUT = join(__dirname, '..', 'test', 'fixtures', 'histories');

async function main(name: string): Promise<void> {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const server = await startDevServer({ port: await freePort(), uiPort: await freePort(), headless: true });
  const env = await TestWorkflowEnvironment.createFromExistingServer({ address: server.address });
  const bundle = await bundleWorkflows();
  try {
    const stack = await startSyncStack({ env, bundle, title: `record ${name}` });
    const worker = await stack.startWorker();
    const workflowId = listSyncWorkflowId(stack.clientKey, 'newsletter');
    const run = () =>
      env.client.workflow.execute(listSyncWorkflow, {
        taskQueue: stack.taskQueue,
        workflowId,
        args: [{ client: stack.clientKey, listKey: 'newsletter', batchesPerActivity: 1 }],
      });
    await worker.runUntil(async () => {
      await run();
      await stack.admin('/admin/faults', { refuseNextCallsOf: { 'Recipient.addAll3': 1 } });
      await run().catch((error: unknown) => console.log(`second run failed as intended: ${String(error)}`));
    });
    const history = await env.client.workflow.getHandle(workflowId).fetchHistory();
    writeFileSync(join(OUT, `${name}.json`), historyToJSON(history));
    console.log(`${name}: ${history.events?.length} events`);
    await stack.stop();
  } finally {
    await env.teardown();
    await server.stop();
  }
}

main(process.argv[2] ?? 'list-sync-restored').then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
