import { aRun, aSent, recipientRows } from './store-builders';
import { useStore, type StoreHarness } from './store-harness';

/**
 * Retention over the shared layouts: the last good run's snapshot and ledger survive the prune of
 * the runs and snapshots they share rows and spans with, so a restore can still read them.
 */
export function describeRetentionRestoreContract(harness: StoreHarness): void {
  describe('retention with shared snapshot rows and ledger spans', () => {
    const subject = useStore(harness);

    it("keeps the last good run's snapshot and ledger readable after pruning the runs that share them", async () => {
      const { store } = subject;
      const client = '5005';
      const rows = recipientRows(30);
      const day = async (n: number, status: 'completed' | 'failed', members: typeof rows) => {
        const runId = `keep-${n}`;
        const startedAt = `2025-02-0${n}T00:00:00.000Z`;
        const snapshot = await store.snapshots.write({ client, listKey: 'newsletter', runId }, members);
        await store.runs.upsert(aRun({ runId, client, status, startedAt, snapshot }));
        await store.ledger.record(members.map((row) => aSent(String(row.recipientId), 0, { runId })));
        return snapshot;
      };
      await day(1, 'completed', rows.slice(0, 20));
      const lastGood = await day(2, 'completed', rows.slice(0, 25));
      await day(3, 'failed', rows.slice(5, 30));
      const keep = [lastGood.snapshotRef];
      expect(await store.snapshots.deleteOlderThan('2099-01-01T00:00:00.000Z', { keep })).toBe(2);
      expect(await store.runs.deleteStartedBefore('2099-01-01T00:00:00.000Z')).toEqual({ runs: 2, ledgerEntries: 45 });
      expect((await store.runs.lastGood(client, 'newsletter'))?.runId).toBe('keep-2');
      expect(await store.snapshots.verify(lastGood.snapshotRef, lastGood)).toEqual(lastGood);
      expect(await store.snapshots.readBatch(lastGood.snapshotRef, 0, 100)).toEqual(rows.slice(0, 25));
      expect(await store.ledger.count('keep-2')).toEqual({ sent: 25, excluded: 0, rejected: 0, byResultCode: { '0': 25 }, byReason: {} });
      expect(await store.ledger.count('keep-1')).toMatchObject({ sent: 0 });
      expect((await store.ledger.find({ recipientId: String(rows[0]?.recipientId), client })).map((hit) => hit.runId)).toEqual(['keep-2']);
      // The next day records against the kept run: unchanged recipients extend its spans.
      await store.runs.upsert(aRun({ runId: 'keep-4', client, startedAt: '2099-02-01T00:00:00.000Z' }));
      expect(await store.ledger.record(rows.slice(0, 25).map((row) => aSent(String(row.recipientId), 0, { runId: 'keep-4' })))).toBe(25);
      expect(await store.ledger.count('keep-4')).toMatchObject({ sent: 25 });
      expect(await store.ledger.count('keep-2')).toMatchObject({ sent: 25 });
    });
  });
}
