import Database from 'better-sqlite3';
import { readDemoCrm } from '../../src/demo/demo-crm-data';
import { DEMO_LISTS } from '../../src/demo/demo-lists';
import { expectedRecipients } from '../../src/demo/expected-recipients';
import { excludedShare } from '../../src/sync/guard';
import { adminDelete, expectedIds, simulatorIds } from '../helpers/crash-harness';
import type { SyncStack } from '../helpers/sync-stack';
import { useSyncStack } from '../helpers/workflow-test-env';

// Day 1 the simulator refuses one contact on its own: ledgered rejected, its values remembered.
// Day 2 the CRM sends the same values: the export excludes the row as rejected_before before the
// clear, so no refused call is paid again and the guard's share counts it (a threshold between the
// share without and with it holds the run). Day 3 the CRM fixed the name: the recipient is sent.
describe('a recipient refused before, with the same and with changed values', () => {
  const shared = useSyncStack({ title: 'refused-before', contacts: 1500 });
  let stack: SyncStack;
  let refused: { recipientId: string; entityId: string };
  const newsletter = () => stack.config.clients[0]!.lists.find((l) => l.key === 'newsletter')!;
  const lastListRun = async () =>
    (await stack.deps.store.runs.list({ client: stack.clientKey, listKey: 'newsletter', kind: 'list', limit: 1 }))[0]!;
  const addAll3Calls = async () => {
    const { requests } = (await stack.admin('/admin/requests')) as { requests: Array<{ operation: string }> };
    return requests.filter((r) => r.operation === 'addAll3').length;
  };

  beforeAll(() => {
    stack = shared.stack;
    const list = DEMO_LISTS.find((l) => l.listKey === 'newsletter')!;
    const contacts = expectedRecipients(readDemoCrm(stack.crmFile), list).filter((r) => r.entityType === 'contact');
    refused = contacts[Math.floor(contacts.length / 2)]!;
  });

  it('day 1: the refused recipient is ledgered rejected and its values remembered', async () => {
    await stack.admin('/admin/faults', { refuseRecipients: [refused.recipientId] });
    const { status } = await stack.runDaily();
    expect(status.lists.newsletter).toMatchObject({ state: 'ready', rejected: 1 });
    const run = await lastListRun();
    const [hit] = await stack.deps.store.ledger.find({ recipientId: refused.recipientId, listKey: 'newsletter', limit: 1 });
    expect(hit).toMatchObject({ runId: run.runId, outcome: 'rejected' });
    expect(await stack.deps.store.refusals.forList(stack.clientKey, 'newsletter')).toEqual([
      expect.objectContaining({ recipientKey: refused.recipientId, runId: run.runId, field: null }),
    ]);
  }, 180_000);

  it('day 2: the same values are excluded as rejected_before before the clear, and the guard counts them', async () => {
    const day1 = await lastListRun();
    const day1Counts = await stack.deps.store.ledger.count(day1.runId, 'newsletter');
    const rowsRead = (day1.snapshot?.count ?? 0) + day1Counts.excluded;
    const without = excludedShare({ rowsRead, excluded: day1Counts.byReason });
    const withIt = excludedShare({ rowsRead, excluded: { ...day1Counts.byReason, rejected_before: 1 } });
    const live = await simulatorIds(stack, 'newsletter');

    // A limit between the two shares: only the rejected_before row can push the export over it.
    newsletter().guard.maxExcludedPercent = (without + withIt) / 2;
    newsletter().guard.approvalTimeout = 1_000;
    const held = await stack.runDaily();
    expect(held.status.lists.newsletter).toMatchObject({ state: 'rejected', note: 'decided by timeout' });
    expect(await simulatorIds(stack, 'newsletter')).toEqual(live);
    expect((await lastListRun()).counts).toMatchObject({ 'excluded.rejected_before': 1 });

    newsletter().guard.maxExcludedPercent = 100;
    await adminDelete(stack, '/admin/requests');
    const { status } = await stack.runDaily();
    const others = expectedIds(stack, 'newsletter').filter((id) => id !== refused.recipientId);
    expect(status.lists.newsletter).toMatchObject({ state: 'ready', verifiedCount: others.length });
    expect(status.lists.newsletter?.rejected ?? 0).toBe(0);
    expect(await simulatorIds(stack, 'newsletter')).toEqual(others);
    const run = await lastListRun();
    const hits = await stack.deps.store.ledger.find({ recipientId: refused.recipientId, listKey: 'newsletter', limit: 10 });
    expect(hits.filter((h) => h.runId === run.runId)).toEqual([
      expect.objectContaining({ outcome: 'excluded', reason: 'rejected_before', field: 'recipient_id', entityId: refused.entityId }),
    ]);
    // The refusal is still injected, yet no call was refused: one addAll3 per batch, none narrowed.
    const batches = Math.ceil(others.length / 1000) + Math.ceil(expectedIds(stack, 'offers').length / 1000);
    expect(await addAll3Calls()).toBe(batches);
  }, 240_000);

  it('day 3: a changed value is sent again and the remembered refusal forgotten', async () => {
    await adminDelete(stack, '/admin/faults');
    const db = new Database(stack.crmFile);
    db.prepare("UPDATE contacts SET first_name = 'Fixed' WHERE id = ?").run(refused.entityId);
    db.close();

    const { status } = await stack.runDaily();

    const everyone = expectedIds(stack, 'newsletter');
    expect(status.lists.newsletter).toMatchObject({ state: 'ready', verifiedCount: everyone.length });
    const recipients = await stack.listRecipients('newsletter');
    expect(recipients.map((r) => r.recipientId).sort()).toEqual(everyone);
    expect(recipients.find((r) => r.recipientId === refused.recipientId)?.attributes.firstname).toBe('Fixed');
    expect(await stack.deps.store.refusals.forList(stack.clientKey, 'newsletter')).toEqual([]);
  }, 180_000);
});
