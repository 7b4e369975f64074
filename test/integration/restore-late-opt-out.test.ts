import type { SnapshotWriter } from '../../src/store/state-store';
import { suppressionKey } from '../../src/validation/suppressions';
import { adminDelete, dailyFailure, simulatorIds } from '../helpers/crash-harness';
import { LIST_IDS, type SyncStack } from '../helpers/sync-stack';
import { useSyncStack } from '../helpers/workflow-test-env';

// Day 2's first addAll3 is refused after the clear, so the list sync restores yesterday's list. The
// restore reads the suppression ledger when it writes its snapshot; an unsubscribe recorded after
// that (here: the moment the restore's snapshot is finished, as a dropped file or response ingestion
// could) must still keep the person out of the refilled list: the refill asks the ledger again.
describe('an opt-out recorded between the restore snapshot and its refill', () => {
  const shared = useSyncStack({ title: 'late-opt-out', contacts: 1500, adjust: (raw) => (raw.clients[0].lists[1].enabled = false) });
  let stack: SyncStack;

  beforeAll(() => {
    stack = shared.stack;
  });

  afterEach(async () => {
    await adminDelete(stack, '/admin/faults');
  });

  it('is not restored into the list, is ledgered excluded, and the restore still verifies', async () => {
    await stack.runDaily({ batchesPerActivity: 1 });
    const yesterday = await simulatorIds(stack, 'newsletter');
    const late = yesterday[7] as string;
    const restoreSnapshotFinished = afterRestoreSnapshot(stack, async () => {
      await stack.deps.store.suppressions.record([
        {
          client: stack.clientKey,
          kind: 'unsubscribe',
          recipientKey: suppressionKey(late),
          listId: LIST_IDS.newsletter,
          occurredAt: new Date().toISOString(),
          source: 'dropped_file',
        },
      ]);
    });
    await stack.admin('/admin/faults', { refuseNextCallsOf: { 'Recipient.addAll3': 1 } });

    const status = await dailyFailure(stack.runDaily({ batchesPerActivity: 1 }));

    expect(restoreSnapshotFinished()).toBe(true);
    expect(status.lists.newsletter).toMatchObject({ state: 'restored' });
    const listed = await simulatorIds(stack, 'newsletter');
    expect(listed.includes(late)).toBe(false);
    const [run] = await stack.deps.store.runs.list({ client: stack.clientKey, listKey: 'newsletter', kind: 'list', limit: 1 });
    const restoreRun = await stack.deps.store.runs.get(`${run?.runId}:restore`);
    expect(restoreRun).toMatchObject({ status: 'restored', counts: expect.objectContaining({ verifiedCount: listed.length }) });
    const [entry] = await stack.deps.store.ledger.find({ recipientId: late });
    expect(entry).toMatchObject({
      runId: `${run?.runId}:restore`,
      outcome: 'excluded',
      reason: 'unsubscribed',
      field: 'suppression_ledger',
    });
  }, 180_000);
});

/** Runs `then` once, right after a restore's snapshot is finished; answers whether it ran. */
function afterRestoreSnapshot(stack: SyncStack, then: () => Promise<void>): () => boolean {
  const snapshots = stack.deps.store.snapshots;
  const open = snapshots.open.bind(snapshots);
  let ran = false;
  snapshots.open = async (meta) => {
    const writer: SnapshotWriter = await open(meta);
    if (!meta.runId.endsWith(':restore') || ran) return writer;
    const finish = writer.finish.bind(writer);
    writer.finish = async () => {
      const summary = await finish();
      ran = true;
      await then();
      return summary;
    };
    return writer;
  };
  return () => ran;
}
