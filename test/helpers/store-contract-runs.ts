import { aRun, aSent, anExcluded } from './store-builders';
import { useStore, type StoreHarness } from './store-harness';

export function describeRunContract(harness: StoreHarness): void {
  describe('RunStore', () => {
    const subject = useStore(harness);
    const runs = () => subject.store.runs;

    it('returns an upserted run as recorded, with timestamps as UTC ISO strings', async () => {
      await runs().upsert(aRun({ runId: 'get-1', startedAt: '2026-03-01T07:00:00+01:00', counts: { exported: 3 } }));
      expect(await runs().get('get-1')).toEqual(aRun({ runId: 'get-1', startedAt: '2026-03-01T06:00:00.000Z', counts: { exported: 3 } }));
    });

    it('returns undefined for an unknown run', async () => {
      expect(await runs().get('missing')).toBeUndefined();
    });

    it('updates a run upserted again under the same id and keeps its first start', async () => {
      await runs().upsert(aRun({ runId: 'retry-1' }));
      const finished = aRun({
        runId: 'retry-1',
        startedAt: '2026-03-01T06:05:00.000Z',
        status: 'completed',
        endedAt: '2026-03-01T06:30:00.000Z',
        counts: { sent: 10 },
        snapshot: { snapshotRef: 'snap-a', count: 10, checksum: 'abc' },
      });
      await runs().upsert(finished);
      await runs().upsert(finished);
      expect(await runs().get('retry-1')).toEqual({ ...finished, startedAt: '2026-03-01T06:00:00.000Z' });
      expect((await runs().list({ client: '1001' })).filter((run) => run.runId === 'retry-1')).toHaveLength(1);
    });

    it('lists runs newest first, filtered and limited', async () => {
      for (const [i, kind] of (['daily', 'list', 'list', 'responses'] as const).entries()) {
        await runs().upsert(
          aRun({
            runId: `list-${i}`,
            client: '2002',
            kind,
            listKey: kind === 'list' ? 'promo' : null,
            startedAt: `2026-04-0${i + 1}T00:00:00.000Z`,
          }),
        );
      }
      expect((await runs().list({ client: '2002' })).map((run) => run.runId)).toEqual(['list-3', 'list-2', 'list-1', 'list-0']);
      expect((await runs().list({ client: '2002', kind: 'list', limit: 1 })).map((run) => run.runId)).toEqual(['list-2']);
      expect(await runs().list({ client: '2002', listKey: 'promo', status: 'failed' })).toEqual([]);
    });

    it('finds the last good run of a list: newest completed list run with a snapshot', async () => {
      const snapshot = (count: number) => ({ snapshotRef: `snap-${count}`, count, checksum: 'x' });
      await runs().upsert(
        aRun({ runId: 'good-old', client: '3003', status: 'completed', snapshot: snapshot(100), startedAt: '2026-05-01T00:00:00Z' }),
      );
      await runs().upsert(
        aRun({ runId: 'good-new', client: '3003', status: 'completed', snapshot: snapshot(90), startedAt: '2026-05-02T00:00:00Z' }),
      );
      await runs().upsert(
        aRun({ runId: 'failed', client: '3003', status: 'failed', snapshot: snapshot(5), startedAt: '2026-05-03T00:00:00Z' }),
      );
      await runs().upsert(aRun({ runId: 'running', client: '3003', status: 'running', startedAt: '2026-05-04T00:00:00Z' }));
      expect((await runs().lastGood('3003', 'newsletter'))?.snapshot?.count).toBe(90);
      expect(await runs().lastGood('3003', 'other-list')).toBeUndefined();
    });

    it('upserts steps by run and name and returns them in start order', async () => {
      const step = { runId: 'steps-1', status: 'running' as const, endedAt: null, details: {} };
      await runs().upsertStep({ ...step, name: 'refill', startedAt: '2026-03-01T06:10:00.000Z' });
      await runs().upsertStep({ ...step, name: 'export', startedAt: '2026-03-01T06:00:00.000Z' });
      await runs().upsertStep({
        ...step,
        name: 'export',
        status: 'completed',
        startedAt: '2026-03-01T06:01:00.000Z',
        endedAt: '2026-03-01T06:02:00.000Z',
        details: { rows: 5, reasons: ['a'] },
      });
      const steps = await runs().steps('steps-1');
      expect(steps.map((s) => [s.name, s.status, s.startedAt])).toEqual([
        ['export', 'completed', '2026-03-01T06:00:00.000Z'],
        ['refill', 'running', '2026-03-01T06:10:00.000Z'],
      ]);
      expect(steps[0]?.details).toEqual({ rows: 5, reasons: ['a'] });
    });

    it("deletes runs started before a cutoff with their ledger, batches and steps, keeping each list's last good run", async () => {
      // Runs of 2025 only: other tests of this store use 2026 dates, which the cutoff leaves alone.
      const snapshot = { snapshotRef: 'snap-old', count: 3, checksum: 'x' };
      const old = (runId: string, overrides = {}) =>
        aRun({ runId, client: '4004', status: 'completed', startedAt: '2025-01-01T00:00:00Z', ...overrides });
      await runs().upsert(old('gone-1'));
      await runs().upsert(old('gone-2', { startedAt: '2025-01-02T00:00:00Z', snapshot }));
      await runs().upsert(old('kept-last-good', { startedAt: '2025-01-03T00:00:00Z', snapshot }));
      await runs().upsert(old('kept-recent', { startedAt: '2025-07-01T00:00:00Z', status: 'failed' }));
      await runs().upsert(old('kept-running', { startedAt: '2025-01-01T00:00:00Z', status: 'running' }));
      for (const runId of ['gone-2', 'kept-last-good', 'kept-recent']) {
        await subject.store.ledger.record([
          aSent('a@x.test', 0, { runId }),
          aSent('b@x.test', 0, { runId }),
          anExcluded(1, 'duplicate', { runId }),
        ]);
        await subject.store.ledger.recordBatch({ runId, listKey: 'newsletter', snapshotRef: 'snap-old', batchNo: 0, resultCodes: [0, 0] });
        await runs().upsertStep({
          runId,
          name: 'export',
          status: 'completed',
          startedAt: '2025-01-02T00:00:00Z',
          endedAt: null,
          details: {},
        });
      }
      let progress = 0;
      expect(await runs().deleteStartedBefore('2025-06-01T00:00:00Z', () => (progress += 1))).toEqual({ runs: 2, ledgerEntries: 3 });
      expect(progress).toBeGreaterThan(0);
      for (const runId of ['gone-1', 'gone-2']) {
        expect(await runs().get(runId)).toBeUndefined();
        expect(await runs().steps(runId)).toEqual([]);
        expect(await subject.store.ledger.batches(runId, 'newsletter')).toEqual([]);
      }
      expect((await subject.store.ledger.count('gone-2')).sent).toBe(0);
      for (const runId of ['kept-last-good', 'kept-recent']) {
        expect((await runs().get(runId))?.runId).toBe(runId);
        expect((await subject.store.ledger.count(runId)).sent).toBe(2);
        expect(await runs().steps(runId)).toHaveLength(1);
      }
      expect((await runs().lastGood('4004', 'newsletter'))?.runId).toBe('kept-last-good');
      expect((await runs().get('kept-running'))?.status).toBe('running');
      expect(await runs().deleteStartedBefore('2025-06-01T00:00:00Z')).toEqual({ runs: 0, ledgerEntries: 0 });
    });

    it('rejects a run with an unknown status', async () => {
      await expect(runs().upsert(aRun({ runId: 'bad', status: 'weird' as never }))).rejects.toThrow(/status/);
    });
  });
}
