import fc from 'fast-check';
import { exportToSnapshot } from '../../../src/sync/export-to-snapshot';
import { refillChunk } from '../../../src/sync/refill-chunk';
import { listRulesSchema } from '../../../src/validation/list-rules';
import { inMemoryCrm, row } from '../crm/in-memory-crm';
import { refillChunkInput, refillSetup } from '../../helpers/refill-fixtures';

// After a long pause between refill chunks the list sync exports again under the same run
// (docs/daily-sync.md, "A long pause"), and exportToSnapshot first forgets the run's exclusions
// (clearExclusions). The refill's own exclusions made before the pause (Optimizely holds the person as
// unsubscribed, or the suppression ledger recorded an opt-out since the snapshot) must survive it: every
// row of the snapshot being sent stays accounted for in the run's ledger (sent, or excluded with a
// reason), also when the person re-consented in the CRM during the pause on a list that allows it.

const rules = listRulesSchema.parse({
  listKey: 'newsletter',
  optInId: 11,
  entityTypes: ['contact'],
  attributes: { first_name: 'firstname' },
});
const id = (i: number) => `p${String(i).padStart(3, '0')}@example.test`;

describe('a re-export after a long pause between refill chunks', () => {
  it('keeps everyone the refill left out before the pause accounted for in the ledger', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 30 }).chain((size) =>
          fc.record({
            size: fc.constant(size),
            unsubscribed: fc.uniqueArray(fc.nat(size - 1), { minLength: 1, maxLength: size }),
            regranted: fc.uniqueArray(fc.nat(size - 1), { maxLength: size }),
            allowResubscribe: fc.boolean(),
          }),
        ),
        async ({ size, unsubscribed, regranted, allowResubscribe }) => {
          const crmRows = Array.from({ length: size }, (_, i) => row({ recipient_id: id(i), email: id(i), entity_id: `C${i}` }));
          const { store, optimizely } = await refillSetup([], 'seed');
          try {
            const list = { listId: 100, allowResubscribe };
            const first = await exportToSnapshot({
              client: 'demo',
              runId: 'run-1',
              rules,
              list,
              crm: inMemoryCrm({ newsletter: crmRows }),
              store,
            });
            for (const i of unsubscribed) optimizely.unsubscribed.add(id(i));
            // The chunk before the pause: Optimizely's opt-outs are left out and ledgered.
            const acked = await refillChunk(refillChunkInput({ optimizely, store, snapshotRef: first.snapshotRef }));
            expect(acked.unsubscribed).toBe(unsubscribed.length);
            // During the pause some re-consent in the CRM (a later consent time than the refill's check).
            await new Promise((resolve) => setTimeout(resolve, 1100));
            const later = new Date(Date.now() + 1000).toISOString();
            const now = () => new Date(Date.now() + 5000);
            const pausedRows = crmRows.map((r, i) => (regranted.includes(i) ? { ...r, consent_granted_at: later } : r));
            await exportToSnapshot({
              client: 'demo',
              runId: 'run-1',
              rules,
              list,
              crm: inMemoryCrm({ newsletter: pausedRows }),
              store,
              now,
            });
            const accounted = new Map<string, string[]>();
            for await (const entry of store.ledger.stream('run-1', { listKey: 'newsletter' }))
              if (entry.outcome !== 'sanitized')
                accounted.set(entry.recipientId, [...(accounted.get(entry.recipientId) ?? []), entry.outcome]);
            for (let i = 0; i < size; i += 1) expect([id(i), accounted.get(id(i)) ?? []]).not.toEqual([id(i), []]);
            for (const i of unsubscribed) expect(accounted.get(id(i))).not.toContain('sent');
          } finally {
            await store.close();
          }
        },
      ),
      { numRuns: 15 },
    );
  }, 120_000);
});
