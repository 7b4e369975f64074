import Database from 'better-sqlite3';
import { readDemoCrm } from '../../../src/demo/demo-crm-data';
import { DEMO_LISTS } from '../../../src/demo/demo-lists';
import { expectedRecipients } from '../../../src/demo/expected-recipients';
import { openOptimizelyClient } from '../../../src/stack/open-optimizely-client';
import { adminDelete } from '../../helpers/crash-harness';
import { LIST_IDS, type SyncStack } from '../../helpers/sync-stack';
import { useSyncStack } from '../../helpers/workflow-test-env';
import { cliFor } from '../cli/cli-harness';

const WRITE_CALLS = ['clear', 'addAll3', 'removeAll', 'setAttributesInBatch', 'setAttributesInBatchFlat', 'remove'];
const newsletter = DEMO_LISTS.find((l) => l.listKey === 'newsletter')!;

// Strategy reconcile on the real stack: the newsletter list is diffed against the live list and
// patched, never cleared (offers is disabled so the request log is the newsletter's alone).
describe('strategy reconcile', () => {
  const shared = useSyncStack({
    title: 'reconcile strategy',
    contacts: 400,
    adjust: (raw) => {
      Object.assign(raw.clients[0].lists[0], { strategy: 'reconcile' });
      Object.assign(raw.clients[0].lists[1], { enabled: false });
    },
  });
  let stack: SyncStack;
  const requests = async () => ((await stack.admin('/admin/requests')) as { requests: Array<{ operation: string }> }).requests;
  const ids = async () => (await stack.listRecipients('newsletter')).map((r) => r.recipientId).sort();
  const expectedIds = () => expectedRecipients(readDemoCrm(stack.crmFile), newsletter).map((r) => r.recipientId);

  beforeAll(() => {
    stack = shared.stack;
  });

  it('fills an empty list with the joiners alone: no clear, window 0, the exact expected set', async () => {
    await adminDelete(stack, '/admin/requests');
    const { status } = await stack.runDaily({ batchesPerActivity: 1 });
    expect(status.lists.newsletter).toMatchObject({ state: 'ready', windowSeconds: 0 });
    expect(await ids()).toEqual(expectedIds());
    const ops = (await requests()).map((r) => r.operation);
    expect(ops).not.toContain('clear');
    expect(ops).toContain('addAll3');
    const run = await stack.deps.store.runs.lastGood(stack.clientKey, 'newsletter');
    expect(run?.counts).toMatchObject({ windowSeconds: 0, 'reconcile.add': expectedIds().length, 'reconcile.remove': 0 });
    // The first reconcile reads the list back in full (no earlier one did) and records when.
    expect(run?.counts['reconcile.fullVerifiedAtMs']).toEqual(expect.any(Number));
  });

  it('makes no write call at Optimizely on an unchanged CRM and ledgers every recipient kept', async () => {
    await adminDelete(stack, '/admin/requests');
    const before = await stack.listRecipients('newsletter');
    const { status } = await stack.runDaily();
    expect(status.lists.newsletter).toMatchObject({ state: 'ready', windowSeconds: 0, verifiedCount: before.length });
    expect((await requests()).filter((r) => WRITE_CALLS.includes(r.operation))).toEqual([]);
    expect(await stack.listRecipients('newsletter')).toEqual(before);
    const run = await stack.deps.store.runs.lastGood(stack.clientKey, 'newsletter');
    const counts = await stack.deps.store.ledger.count(run!.runId, 'newsletter');
    expect(counts.kept).toEqual({ unchanged: before.length });
    expect(counts.sent).toBe(0);
  });

  it('removes exactly the N withdrawn and a hand-added recipient, updates a changed city, and leaves the expected set', async () => {
    const run = await stack.deps.store.runs.lastGood(stack.clientKey, 'newsletter');
    const kept: { recipientId: string; entityType: string; entityId: string }[] = [];
    for await (const entry of stack.deps.store.ledger.stream(run!.runId, { listKey: 'newsletter' }))
      if (entry.outcome === 'kept') kept.push(entry);
    const contacts = kept.filter((k) => k.entityType === 'contact');
    const leavers = contacts.slice(0, 5);
    const mover = contacts[5]!;
    const crm = new Database(stack.crmFile);
    const withdraw = crm.prepare(
      "UPDATE consents SET status = 'withdrawn', changed_at = '2026-11-29T12:00:00Z' WHERE entity_type = ? AND entity_id = ? AND opt_in_id = 11",
    );
    for (const l of leavers) expect(withdraw.run(l.entityType, l.entityId).changes).toBe(1);
    expect(crm.prepare("UPDATE contacts SET city = 'Neustadt am Abgleich' WHERE id = ?").run(mover.entityId).changes).toBe(1);
    crm.close();
    const optimizely = openOptimizelyClient(stack.config.clients[0]!, process.env);
    try {
      await optimizely.recipient.addAll3({
        listId: LIST_IDS.newsletter,
        optinProcessId: 0,
        recipientIds: ['hand@added.example'],
        addresses: ['hand@added.example'],
        attributeNames: ['entity-type'],
        attributeValues: [['contact']],
      });
    } finally {
      await optimizely.close();
    }
    const liveBefore = (await stack.listRecipients('newsletter')).length;
    await adminDelete(stack, '/admin/requests');
    const { status } = await stack.runDaily();
    expect(status.lists.newsletter).toMatchObject({
      state: 'ready',
      windowSeconds: 0,
      drift: { added: 1, removed: 0, liveCount: liveBefore },
    });
    expect(await ids()).toEqual(expectedIds());
    expect(await ids()).not.toContain('hand@added.example');
    const moved = (await stack.listRecipients('newsletter')).find((r) => r.recipientId === mover.recipientId);
    expect(moved?.attributes.city).toBe('Neustadt am Abgleich');
    const ops = (await requests()).map((r) => r.operation);
    expect(ops.filter((op) => op === 'removeAll')).toHaveLength(1);
    expect(ops.filter((op) => op === 'setAttributesInBatch')).toHaveLength(1);
    expect(ops).not.toContain('clear');
    expect(ops).not.toContain('addAll3');
    const latest = await stack.deps.store.runs.lastGood(stack.clientKey, 'newsletter');
    expect(latest?.counts).toMatchObject({ 'reconcile.remove': 6, 'reconcile.removed': 6, 'reconcile.update': 1, 'reconcile.updated': 1 });
    const counts = await stack.deps.store.ledger.count(latest!.runId, 'newsletter');
    expect(counts.removed).toEqual({ removed: 6 });
    expect(counts.kept).toEqual({ unchanged: liveBefore - 7, updated: 1 });
    const hand = await stack.deps.store.ledger.find({ recipientId: 'hand@added.example' });
    expect(hand.map((h) => [h.outcome, 'reason' in h ? h.reason : undefined])).toEqual([['removed', 'removed']]);
    const cli = cliFor(stack);
    const report = await cli.run(['report', latest!.runId]);
    expect(report.out).toMatch(/strategy reconcile, no clear \(window 0 s\): live list \d+ read; add 0, remove 6, update 1, unchanged \d+/);
    expect(report.out).not.toContain('clear-to-ready');
    expect((await cli.run(['why', 'hand@added.example'])).out).toContain('removed from the list (reconcile; was contact ?)');
  });
});
