import { printDailySummary } from '../../src/cli/print-daily-summary';
import { adminDelete, expectedIds, ledgerSentIds, simulatorIds } from '../helpers/crash-harness';
import type { SyncStack } from '../helpers/sync-stack';
import { useSyncStack } from '../helpers/workflow-test-env';

// The simulator refuses every addAll3 call that holds one chosen recipient, as a server-side value
// check would: the refill narrows the batch down, the others go in, the refused one is ledgered
// rejected with the redacted fault, and the list ends ready with the rejected count shown.
describe('refill with a recipient Optimizely refuses on its own', () => {
  const shared = useSyncStack({ title: 'isolation', contacts: 3000 });
  let stack: SyncStack;

  beforeAll(() => {
    stack = shared.stack;
  });

  afterEach(async () => {
    await adminDelete(stack, '/admin/faults');
  });

  it('sends everyone else, ledgers the refused recipient as rejected and ends ready', async () => {
    const expected = expectedIds(stack, 'newsletter');
    const refused = expected[Math.floor(expected.length / 2)] as string;
    await stack.admin('/admin/faults', { refuseRecipients: [refused] });
    await adminDelete(stack, '/admin/requests');

    const { status } = await stack.runDaily({ batchesPerActivity: 2 });

    const others = expected.filter((id) => id !== refused);
    expect(status.lists.newsletter).toMatchObject({ state: 'ready', verifiedCount: others.length, rejected: 1 });
    expect(await simulatorIds(stack, 'newsletter')).toEqual(others);
    const run = (await stack.deps.store.runs.list({ client: stack.clientKey, listKey: 'newsletter', kind: 'list', limit: 1 }))[0];
    expect(run).toMatchObject({ status: 'completed', counts: expect.objectContaining({ rejected: 1 }) });
    expect(await ledgerSentIds(stack, run?.runId ?? '', 'newsletter')).toEqual(others);
    const [hit] = await stack.deps.store.ledger.find({ recipientId: refused, listKey: 'newsletter' });
    expect(hit).toMatchObject({ outcome: 'rejected', fault: expect.stringContaining('Recipient data rejected') });
    expect(JSON.stringify(hit)).not.toContain(`'${refused}'`);
    // The simulator's fault names the refused recipient: it alone and the stretches before and after
    // it, three calls on top of one call per batch (src/sync/isolate-refusals.ts).
    const { requests } = (await stack.admin('/admin/requests')) as { requests: Array<{ operation: string }> };
    const batches = Math.ceil(expected.length / 1000) + Math.ceil(expectedIds(stack, 'offers').length / 1000);
    expect(requests.filter((r) => r.operation === 'addAll3').length).toBeLessThanOrEqual(batches + 3);
    const lines: string[] = [];
    await printDailySummary(status, stack.deps.store, (line) => lines.push(line));
    expect(lines.join('\n')).toMatch(/rejected 1: refused by Optimizely/);
  }, 120_000);
});
