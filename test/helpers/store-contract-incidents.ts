import { useStore, type StoreHarness } from './store-harness';

export function describeIncidentContract(harness: StoreHarness): void {
  describe('IncidentStore', () => {
    const subject = useStore(harness);
    const incidents = () => subject.store.incidents;
    const open = {
      client: 'demo',
      key: 'list-failed:newsletter',
      state: 'open' as const,
      runId: 'r1',
      changedAt: '2026-03-01T06:00:00.000Z',
    };

    it('has no incident until one is put', async () => {
      expect(await incidents().get('demo', 'list-failed:newsletter')).toBeUndefined();
    });

    it('keeps one record per client and key, the latest put, with the state last notified', async () => {
      await incidents().put(open);
      expect(await incidents().get('demo', open.key)).toEqual(open);
      await incidents().put({ ...open, notified: 'open' });
      await incidents().put({ ...open, state: 'resolved', notified: 'open', runId: 'r2', changedAt: '2026-03-02T06:00:00.000Z' });
      expect(await incidents().get('demo', open.key)).toEqual({
        ...open,
        state: 'resolved',
        notified: 'open',
        runId: 'r2',
        changedAt: '2026-03-02T06:00:00.000Z',
      });
      expect(await incidents().get('other', open.key)).toBeUndefined();
      expect(await incidents().get('demo', 'guard-hold:newsletter')).toBeUndefined();
    });
  });
}
