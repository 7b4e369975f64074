import { aRun } from './store-builders';
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
        await runs().upsert(aRun({ runId: `list-${i}`, client: '2002', kind, listKey: kind === 'list' ? 'promo' : null, startedAt: `2026-04-0${i + 1}T00:00:00.000Z` }));
      }
      expect((await runs().list({ client: '2002' })).map((run) => run.runId)).toEqual(['list-3', 'list-2', 'list-1', 'list-0']);
      expect((await runs().list({ client: '2002', kind: 'list', limit: 1 })).map((run) => run.runId)).toEqual(['list-2']);
      expect((await runs().list({ client: '2002', listKey: 'promo', status: 'failed' }))).toEqual([]);
    });

    it('finds the last good run of a list: newest completed list run with a snapshot', async () => {
      const snapshot = (count: number) => ({ snapshotRef: `snap-${count}`, count, checksum: 'x' });
      await runs().upsert(aRun({ runId: 'good-old', client: '3003', status: 'completed', snapshot: snapshot(100), startedAt: '2026-05-01T00:00:00Z' }));
      await runs().upsert(aRun({ runId: 'good-new', client: '3003', status: 'completed', snapshot: snapshot(90), startedAt: '2026-05-02T00:00:00Z' }));
      await runs().upsert(aRun({ runId: 'failed', client: '3003', status: 'failed', snapshot: snapshot(5), startedAt: '2026-05-03T00:00:00Z' }));
      await runs().upsert(aRun({ runId: 'running', client: '3003', status: 'running', startedAt: '2026-05-04T00:00:00Z' }));
      expect((await runs().lastGood('3003', 'newsletter'))?.snapshot?.count).toBe(90);
      expect(await runs().lastGood('3003', 'other-list')).toBeUndefined();
    });

    it('upserts steps by run and name and returns them in start order', async () => {
      const step = { runId: 'steps-1', status: 'running' as const, endedAt: null, details: {} };
      await runs().upsertStep({ ...step, name: 'refill', startedAt: '2026-03-01T06:10:00.000Z' });
      await runs().upsertStep({ ...step, name: 'export', startedAt: '2026-03-01T06:00:00.000Z' });
      await runs().upsertStep({ ...step, name: 'export', status: 'completed', startedAt: '2026-03-01T06:01:00.000Z', endedAt: '2026-03-01T06:02:00.000Z', details: { rows: 5, reasons: ['a'] } });
      const steps = await runs().steps('steps-1');
      expect(steps.map((s) => [s.name, s.status, s.startedAt])).toEqual([
        ['export', 'completed', '2026-03-01T06:00:00.000Z'],
        ['refill', 'running', '2026-03-01T06:10:00.000Z'],
      ]);
      expect(steps[0]?.details).toEqual({ rows: 5, reasons: ['a'] });
    });

    it('rejects a run with an unknown status', async () => {
      await expect(runs().upsert(aRun({ runId: 'bad', status: 'weird' as never }))).rejects.toThrow(/status/);
    });
  });
}
