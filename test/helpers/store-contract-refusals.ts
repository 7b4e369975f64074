import type { RefusedValues } from '../../src/store';
import { useStore, type StoreHarness } from './store-harness';

export function describeRefusalContract(harness: StoreHarness): void {
  describe('RefusalStore', () => {
    const subject = useStore(harness);
    const refusals = () => subject.store.refusals;
    const anna: RefusedValues = {
      client: 'demo',
      listKey: 'newsletter',
      recipientKey: 'anna@example.com',
      valuesHash: 'a'.repeat(64),
      field: 'firstname',
      runId: 'r1',
      refusedAt: '2026-03-01T06:00:00.000Z',
    };
    const bob: RefusedValues = { ...anna, recipientKey: 'bob@example.com', field: null };

    it('remembers refusals per client and list, the latest refusal of a recipient replacing the earlier one', async () => {
      await refusals().remember([anna, bob, { ...anna, listKey: 'offers' }, { ...anna, client: 'other' }]);
      const later = { ...anna, valuesHash: 'b'.repeat(64), field: null, runId: 'r2', refusedAt: '2026-03-02T06:00:00.000Z' };
      await refusals().remember([later]);
      expect(await refusals().forList('demo', 'newsletter')).toEqual([later, bob]);
      expect(await refusals().forList('demo', 'offers')).toEqual([{ ...anna, listKey: 'offers' }]);
      expect(await refusals().forList('nobody', 'newsletter')).toEqual([]);
    });

    it('forgets the named recipients of one list only and says how many', async () => {
      await refusals().remember([anna, bob, { ...anna, listKey: 'offers' }]);
      expect(await refusals().forget('demo', 'newsletter', ['anna@example.com', 'carl@example.com'])).toBe(1);
      expect(await refusals().forget('demo', 'newsletter', [])).toBe(0);
      expect(await refusals().forList('demo', 'newsletter')).toEqual([bob]);
      expect(await refusals().forList('demo', 'offers')).toHaveLength(1);
    });
  });
}
