import fc from 'fast-check';
import { createStateStore, type StateStore } from '../../../src/store';
import type { ExcludedLedgerEntry, LedgerEntry } from '../../../src/store/types';
import {
  EARLIER_EXPORT_EXCLUSION,
  EARLIER_EXPORT_ROW_BASE,
  KEEP_WRITE_SIZE,
  keepEarlierExportExclusions,
} from '../../../src/sync/earlier-export-exclusions';
import { anExcluded } from '../../helpers/store-builders';

// A re-export of a big list keeps its earlier export's person exclusions (bounces and unsubscribes
// from the suppression ledger can be a large part of a list) in ledger writes of a bounded size, as
// the export writes its own (FLUSH_EVERY), never the whole set in one call; and keeps each exactly
// once, under distinct numbers past 2^40, whatever was kept before.

const PERSON = ['consent_withdrawn', 'unsubscribed', 'bounced', 'resubscribe_needs_optin'] as const;

/** One selection row of the run's export: a person exclusion (of one of few people) or another one. */
const aRow = fc.record({
  person: fc.integer({ min: 0, max: 2999 }),
  reason: fc.constantFrom(...PERSON, 'invalid_email'),
});

const identity = (e: ExcludedLedgerEntry, reason: string) => [reason, e.recipientId, e.entityType, e.entityId].join('|');

describe('keepEarlierExportExclusions on a big list', () => {
  it('writes the kept exclusions in bounded calls, each person exclusion once, under distinct numbers', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(aRow, { minLength: 2 * KEEP_WRITE_SIZE, maxLength: 3 * KEEP_WRITE_SIZE }),
        fc.integer({ min: 0, max: 3 }),
        async (rows, keptBefore) => {
          const store: StateStore = await createStateStore({ kind: 'sqlite', file: ':memory:' });
          try {
            const exclusions = rows.map((row, i) =>
              anExcluded(i + 1, row.reason, { recipientId: `p${row.person}@example.test`, entityId: `c-${row.person}` }),
            );
            const earlier = exclusions
              .filter((e) => PERSON.includes(e.reason as (typeof PERSON)[number]))
              .slice(0, keptBefore)
              .map((e, n) => ({ ...e, rowNumber: -(EARLIER_EXPORT_ROW_BASE + n + 1), reason: EARLIER_EXPORT_EXCLUSION, field: e.reason }));
            await store.ledger.record([...exclusions, ...earlier]);
            const sizes: number[] = [];
            const record = store.ledger.record.bind(store.ledger);
            const watched: StateStore = {
              ...store,
              ledger: { ...store.ledger, record: (entries: readonly LedgerEntry[]) => (sizes.push(entries.length), record(entries)) },
            };
            await keepEarlierExportExclusions(watched, 'run-1', 'newsletter');
            expect(Math.max(0, ...sizes)).toBeLessThanOrEqual(KEEP_WRITE_SIZE);

            const kept: ExcludedLedgerEntry[] = [];
            for await (const e of store.ledger.stream('run-1', { listKey: 'newsletter' }))
              if (e.outcome === 'excluded' && e.reason === EARLIER_EXPORT_EXCLUSION) kept.push(e);
            const keptKeys = kept.map((e) => identity(e, e.field ?? ''));
            const wanted = new Set(exclusions.filter((e) => e.reason !== 'invalid_email').map((e) => identity(e, e.reason)));
            expect(new Set(keptKeys)).toEqual(wanted);
            expect(keptKeys.length).toBe(wanted.size);
            expect(new Set(kept.map((e) => e.rowNumber)).size).toBe(kept.length);
            expect(kept.every((e) => e.rowNumber < -EARLIER_EXPORT_ROW_BASE)).toBe(true);
            expect(await keepEarlierExportExclusions(store, 'run-1', 'newsletter')).toBe(0);
          } finally {
            await store.close();
          }
        },
      ),
      // Each run writes thousands of entries: few runs, and no shrinking of a list this long.
      { numRuns: 4, endOnFailure: true },
    );
  }, 120_000);
});
