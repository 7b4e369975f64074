import { adminDelete, dailyFailure, expectedIds, simulatorIds } from '../helpers/crash-harness';
import type { SyncStack } from '../helpers/sync-stack';
import { useSyncStack } from '../helpers/workflow-test-env';

// Optimizely answers per-recipient problems as result codes, without a fault. On day 2 the simulator
// answers every addAll3 recipient with code 7 (general error): the adds failed after the clear. Before,
// the refill took that as sent, the verify expected the recipients answered 0 or 5 (none) and the list
// ended "ready" and empty. It must fail loudly instead (the restore meets the same answers), never
// report ready a list that holds less than its export for Optimizely's failure. An occasional 7 is
// sent again and the list ends exact.
describe('a refill whose adds fail with result code 7', () => {
  const shared = useSyncStack({ title: 'failed-adds', contacts: 2500, adjust: (raw) => (raw.clients[0].lists[1].enabled = false) });
  let stack: SyncStack;

  beforeAll(() => {
    stack = shared.stack;
  });

  afterEach(async () => {
    await adminDelete(stack, '/admin/faults');
  });

  it('does not end ready: the list sync fails after its clear and says why', async () => {
    const day1 = await stack.runDaily({ batchesPerActivity: 1 });
    expect(day1.status.lists.newsletter).toMatchObject({ state: 'ready' });
    expect((await simulatorIds(stack, 'newsletter')).length).toBeGreaterThan(0);

    await stack.admin('/admin/faults', { recipientErrorRate: 1 });
    const status = await dailyFailure(stack.runDaily({ batchesPerActivity: 1 }));

    expect(status.lists.newsletter?.state).not.toBe('ready');
    expect(status.lists.newsletter).toMatchObject({ note: expect.stringContaining('result code 7 (general error)') });
    const [run] = await stack.deps.store.runs.list({ client: stack.clientKey, listKey: 'newsletter', kind: 'list', limit: 1 });
    expect(['failed', 'restored']).toContain(run?.status);
  }, 240_000);

  it('re-sends the recipients answered 7 now and then, and ends ready and exact', async () => {
    await stack.admin('/admin/faults', { recipientErrorRate: 0.05, randomSeed: 1 });
    const { status } = await stack.runDaily({ batchesPerActivity: 1 });
    const expected = expectedIds(stack, 'newsletter');
    expect(status.lists.newsletter).toMatchObject({ state: 'ready', verifiedCount: expected.length });
    expect(await simulatorIds(stack, 'newsletter')).toEqual(expected);
  }, 240_000);
});

/** The daily run's status from its ListSyncFailedError. */
