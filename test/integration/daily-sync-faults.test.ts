import { adminDelete, expectedIds, ledgerSentIds, simulatorIds, type DemoListKey } from '../helpers/crash-harness';
import type { SyncStack } from '../helpers/sync-stack';
import { useSyncStack } from '../helpers/workflow-test-env';

type LoggedCall = { operation: string; fault: string | null };

// Two days in a row with 10% of SOAP calls failing and every 50th call with a session finding it
// expired. One day of 20,000 contacts makes ~35 SOAP calls, so the two days cross the 50th call.
describe('dailySyncWorkflow under transient faults', () => {
  const shared = useSyncStack({ title: 'faults', contacts: 20_000 });
  let stack: SyncStack;

  beforeAll(() => {
    stack = shared.stack;
  });

  it('completes two days with every list exact despite 10% errors and a session expiry every 50 calls', async () => {
    await adminDelete(stack, '/admin/requests');
    await stack.admin('/admin/faults', { errorRate: 0.1, sessionExpiryEveryNCalls: 50 });
    for (let day = 1; day <= 2; day += 1) {
      const { status } = await stack.runDaily({ batchesPerActivity: 2 });
      const runs = await stack.deps.store.runs.list({ client: stack.clientKey, kind: 'list' });
      for (const listKey of ['newsletter', 'offers'] as DemoListKey[]) {
        const expected = expectedIds(stack, listKey);
        expect(status.lists[listKey]).toMatchObject({ state: 'ready', verifiedCount: expected.length });
        expect(await simulatorIds(stack, listKey)).toEqual(expected);
        const newest = runs.find((run) => run.listKey === listKey);
        expect(await ledgerSentIds(stack, newest?.runId ?? '', listKey)).toEqual(expected);
      }
    }
    await adminDelete(stack, '/admin/faults');
    // The faults really happened (over ~70 calls, no injected error at all has odds below 0.1%).
    const { requests } = (await stack.admin('/admin/requests')) as { requests: LoggedCall[] };
    const faults = requests.map((r) => r.fault ?? '');
    expect(faults.filter((f) => f.includes('Invalid sessionId')).length).toBeGreaterThan(0);
    expect(faults.filter((f) => f.includes('Simulated internal error')).length).toBeGreaterThan(0);
    // Random faults mean random retry backoffs: 17 s on a quiet machine, 121 s seen on CI's loaded
    // 2 cores beside the other suites, so the bound leaves room rather than measuring speed.
  }, 480_000);
});
