import { adminDelete, dailyFailure, simulatorIds } from '../helpers/crash-harness';
import type { SyncStack } from '../helpers/sync-stack';
import { useSyncStack } from '../helpers/workflow-test-env';

// Day 1 fills the newsletter under consent 11. Before day 2 the configuration is reloaded with the
// list on consent 12 (another advertising consent), and day 2's first addAll3 is refused permanently
// after the clear. The restore must not put yesterday's consent-11 recipients back into a list that
// now stands for consent 12: each is left out as consent_mismatch. Fails on the former restore, which
// refilled yesterday's list whatever consent it was exported under.
describe('a restore after a configuration reload changed the list’s consent', () => {
  const shared = useSyncStack({
    title: 'restore-consent',
    contacts: 300,
    adjust: (raw) => {
      raw.clients[0].lists[1].enabled = false;
      // The other consent holds fewer people: the guard would hold day 2 for an operator.
      raw.clients[0].lists[0].guard = { maxShrinkPercent: 100, maxExcludedPercent: 100 };
    },
  });
  let stack: SyncStack;

  beforeAll(() => {
    stack = shared.stack;
  });

  afterEach(async () => {
    await adminDelete(stack, '/admin/faults');
  });

  it('leaves out every recipient the last good run sent under the former consent', async () => {
    await stack.runDaily({ batchesPerActivity: 1 });
    const yesterday = await simulatorIds(stack, 'newsletter');
    expect(yesterday.length).toBeGreaterThan(0);
    // The reload: the worker's configuration object is what every activity reads.
    const newsletter = stack.config.clients[0]!.lists.find((l) => l.key === 'newsletter')!;
    newsletter.optInId = '12';
    await stack.admin('/admin/faults', { refuseNextCallsOf: { 'Recipient.addAll3': 1 } });

    await dailyFailure(stack.runDaily({ batchesPerActivity: 1 }));

    const [run] = await stack.deps.store.runs.list({ client: stack.clientKey, listKey: 'newsletter', kind: 'list', limit: 1 });
    expect(run?.status).toBe('restored');
    const reasons = new Map<string, string>();
    for await (const entry of stack.deps.store.ledger.stream(`${run?.runId}:restore`))
      if (entry.outcome === 'excluded') reasons.set(entry.recipientId, entry.reason);
    expect(yesterday.filter((id) => reasons.get(id) !== 'consent_mismatch')).toEqual([]);
    expect(await simulatorIds(stack, 'newsletter')).toEqual([]);
  }, 180_000);
});
