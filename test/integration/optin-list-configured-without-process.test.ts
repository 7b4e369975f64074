import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DEMO_ATTRIBUTES } from '../../src/demo/demo-lists';
import { adminDelete, dailyFailure, simulatorIds } from '../helpers/crash-harness';
import type { DemoConfigObject, SyncStack } from '../helpers/sync-stack';
import { useSyncStack } from '../helpers/workflow-test-env';

// A list that is an opt-in list at Optimizely (addAll3 re-activates an unsubscribed recipient there)
// but configured with `optinProcessId: 0`: the API cannot tell a list's type, so the configuration
// may be wrong. Every path that adds (the refresh refill, a restore, a reconcile's joiners) must still
// ask Optimizely's unsubscribe list and never re-activate an unsubscribe only Optimizely knows.
// The simulator over SOAP, the real worker and workflows, a SQLite state store and a CSV CRM that
// keeps every consent it ever had.

const names = ['anna', 'bert', 'carl', 'dora', 'emil', 'fritz', 'gina', 'old-leaver', 'late-leaver'];
const address = (name: string) => `${name}@example.com`;
const HEADER =
  'recipient_id,email,opt_in_id,description,media_type,entity_type,entity_id,salutation,first_name,last_name,city,consent_granted_at';

function configuredWithoutProcess(strategy: 'refresh' | 'reconcile') {
  return (raw: DemoConfigObject, dir: string): void => {
    const file = join(dir, 'newsletter.csv');
    const rows = names.map((n, i) => [
      address(n),
      address(n),
      '11',
      'Newsletter',
      'email',
      'contact',
      `C${i + 1}`,
      'Hi',
      n,
      'Doe',
      'Berlin',
      '2026-01-01T00:00:00Z',
    ]);
    writeFileSync(file, [HEADER, ...rows.map((r) => r.join(','))].join('\n') + '\n');
    raw.crm = {
      kind: 'csv',
      outbox: join(dir, 'outbox'),
      lists: { newsletter: { file, attributes: { ...DEMO_ATTRIBUTES } }, offers: { file, attributes: { ...DEMO_ATTRIBUTES } } },
    };
    // The point of the test: an opt-in list at Optimizely, configured as if it were a regular one.
    raw.clients[0].lists[0].optinProcessId = 0;
    raw.clients[0].lists[0].strategy = strategy;
    raw.clients[0].lists[1].enabled = false;
    raw.clients[0].lists[0].guard = { maxShrinkPercent: 100, maxExcludedPercent: 100 };
  };
}

function optInAtOptimizely(seed: DemoConfigObject): void {
  seed.clients[0].lists[0].type = 'optin';
  // Unsubscribed long before ClosedLoop's 30 days: only Optimizely's unsubscribe list knows it.
  seed.clients[0].unsubscribes = [address('old-leaver')];
}

const unsubscribedAtOptimizely = (stack: SyncStack, name: string) =>
  stack.deps.optimizely(stack.clientKey).unsubscribe.contains({ recipientId: address(name) });

async function lastRunHits(stack: SyncStack, name: string) {
  const [run] = await stack.deps.store.runs.list({ client: stack.clientKey, listKey: 'newsletter', kind: 'list', limit: 1 });
  return (await stack.deps.store.ledger.find({ recipientId: address(name), client: stack.clientKey })).filter((h) =>
    h.runId.startsWith(run?.runId ?? '?'),
  );
}

/** The list holds everyone but old-leaver, whom the run ledgered as left out and Optimizely still holds as unsubscribed. */
async function expectOldLeaverLeftOut(stack: SyncStack): Promise<void> {
  expect(await simulatorIds(stack, 'newsletter')).toEqual(
    names
      .filter((n) => n !== 'old-leaver')
      .map(address)
      .sort(),
  );
  expect(await lastRunHits(stack, 'old-leaver')).toEqual([
    expect.objectContaining({ outcome: 'excluded', reason: 'unsubscribed', field: 'optimizely' }),
  ]);
  expect(await unsubscribedAtOptimizely(stack, 'old-leaver')).toBe(true);
}

describe('an opt-in list at Optimizely configured with optinProcessId 0, strategy refresh', () => {
  const shared = useSyncStack({ title: 'optin configured 0', adjust: configuredWithoutProcess('refresh'), adjustSeed: optInAtOptimizely });
  let stack: SyncStack;
  beforeAll(() => {
    stack = shared.stack;
  });
  afterEach(async () => {
    await adminDelete(stack, '/admin/faults');
  });

  it('the refill leaves out an unsubscribe known only to Optimizely and does not re-activate it', async () => {
    const { status } = await stack.runDaily();
    expect(status.lists.newsletter).toMatchObject({ state: 'ready', verifiedCount: 8 });
    await expectOldLeaverLeftOut(stack);
  }, 180_000);

  it('a restore does not put back someone who unsubscribed at Optimizely since the last good run', async () => {
    // Unsubscribed over SOAP, and no ClosedLoop batch produced since (the clock is not advanced):
    // the feedback import does not see it tonight, only Optimizely's unsubscribe list does.
    await stack.deps.optimizely(stack.clientKey).unsubscribe.add({ recipientId: address('late-leaver') });
    await stack.admin('/admin/faults', { refuseNextCallsOf: { 'Recipient.addAll3': 1 } });

    const status = await dailyFailure(stack.runDaily());

    expect(status.lists.newsletter).toMatchObject({ state: 'restored' });
    const listed = await simulatorIds(stack, 'newsletter');
    expect(listed).toEqual(
      names
        .filter((n) => n !== 'old-leaver' && n !== 'late-leaver')
        .map(address)
        .sort(),
    );
    expect(await unsubscribedAtOptimizely(stack, 'late-leaver')).toBe(true);
    expect(await unsubscribedAtOptimizely(stack, 'old-leaver')).toBe(true);
    expect((await lastRunHits(stack, 'late-leaver')).map((h) => h.outcome)).not.toContain('sent');
  }, 180_000);
});

describe('an opt-in list at Optimizely configured with optinProcessId 0, strategy reconcile', () => {
  const shared = useSyncStack({
    title: 'optin configured 0 reconcile',
    adjust: configuredWithoutProcess('reconcile'),
    adjustSeed: optInAtOptimizely,
  });

  it('the joiners leave out an unsubscribe known only to Optimizely and do not re-activate it', async () => {
    const stack = shared.stack;
    const { status } = await stack.runDaily();
    expect(status.lists.newsletter).toMatchObject({ state: 'ready' });
    await expectOldLeaverLeftOut(stack);
  }, 180_000);
});
