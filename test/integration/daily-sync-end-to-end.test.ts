import type { TestWorkflowEnvironment } from '@temporalio/testing';
import type { WorkflowBundle } from '@temporalio/worker';
import { readDemoCrm } from '../../src/demo/demo-crm-data';
import { DEMO_LISTS } from '../../src/demo/demo-lists';
import { expectedRecipients } from '../../src/demo/expected-recipients';
import { startSyncStack, type SyncStack } from '../helpers/sync-stack';
import { bundleWorkflows, connectTestEnv } from '../helpers/temporal-env';

describe('dailySyncWorkflow end to end', () => {
  let env: TestWorkflowEnvironment;
  let bundle: WorkflowBundle;
  let stack: SyncStack;

  beforeAll(async () => {
    env = await connectTestEnv();
    bundle = await bundleWorkflows();
    stack = await startSyncStack({ env, bundle, title: 'end to end' });
  });

  afterAll(async () => {
    await stack?.stop();
    await env?.teardown();
  });

  it('fills every list with exactly the expected recipients and their technical fields', async () => {
    const { status } = await stack.runDaily({ batchesPerActivity: 1 });
    const data = readDemoCrm(stack.crmFile);
    for (const list of DEMO_LISTS) {
      const listKey = list.listKey as 'newsletter' | 'offers';
      expect(status.lists[listKey]?.state).toBe('ready');
      const expected = expectedRecipients(data, list);
      const actual = await stack.listRecipients(listKey);
      expect(actual.map((r) => r.recipientId).sort()).toEqual(expected.map((r) => r.recipientId));
      const byId = new Map(expected.map((r) => [r.recipientId, r]));
      for (const recipient of actual) {
        const want = byId.get(recipient.recipientId);
        expect(recipient.attributes).toMatchObject({
          'opt-in-id': list.optInId,
          'media-type': 'email',
          'entity-type': want?.entityType,
          'entity-id': want?.entityId,
        });
        expect(recipient.attributes.description).toBeTruthy();
      }
      expect(status.lists[listKey]?.verifiedCount).toBe(expected.length);
    }
  });

  it('accounts for every selection row in the snapshot or the ledger', async () => {
    const runs = await stack.deps.store.runs.list({ client: stack.clientKey, kind: 'list' });
    expect(runs.length).toBeGreaterThanOrEqual(2);
    for (const run of runs) {
      const ledger = await stack.deps.store.ledger.count(run.runId);
      const excluded = Object.entries(run.counts).filter(([k]) => k.startsWith('excluded.')).reduce((sum, [, n]) => sum + n, 0);
      expect(ledger.excluded).toBe(excluded);
      expect(ledger.sent).toBe(run.counts.sent);
      expect(run.snapshot?.count).toBe(run.counts.exported);
      expect(run.counts.rowsRead).toBe((run.counts.exported ?? 0) + excluded);
    }
  });
});
