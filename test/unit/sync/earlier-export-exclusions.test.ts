import { createStateStore, type StateStore } from '../../../src/store';
import type { ExcludedLedgerEntry, LedgerEntry } from '../../../src/store/types';
import {
  EARLIER_EXPORT_EXCLUSION,
  EARLIER_EXPORT_ROW_BASE,
  keepEarlierExportExclusions,
} from '../../../src/sync/earlier-export-exclusions';
import { anExcluded } from '../../helpers/store-builders';

// Before an export of a run clears the run's export exclusions, the person exclusions of the exports
// before it are kept apart (src/sync/earlier-export-exclusions.ts): once each, whatever retries and
// racing attempts do, and never by taking another entry's row number.

async function excludedOf(store: StateStore): Promise<ExcludedLedgerEntry[]> {
  const entries: ExcludedLedgerEntry[] = [];
  for await (const entry of store.ledger.stream('run-1', { listKey: 'newsletter' })) if (entry.outcome === 'excluded') entries.push(entry);
  return entries;
}

const keptOf = async (store: StateStore) => (await excludedOf(store)).filter((e) => e.reason === EARLIER_EXPORT_EXCLUSION);

describe('keepEarlierExportExclusions', () => {
  let store: StateStore;
  beforeEach(async () => {
    store = await createStateStore({ kind: 'sqlite', file: ':memory:' });
  });
  afterEach(async () => store.close());

  it('keeps the person exclusions of the export, once, under numbers below the refill’s', async () => {
    await store.ledger.record([
      anExcluded(1, 'consent_withdrawn', { field: 'consent_withdrawn' }),
      anExcluded(2, 'invalid_email', { field: 'email' }),
      anExcluded(3, 'bounced', { field: 'bounced' }),
      anExcluded(-4, 'unsubscribed', { field: 'optimizely' }),
    ]);
    expect(await keepEarlierExportExclusions(store, 'run-1', 'newsletter')).toBe(2);
    expect(await keepEarlierExportExclusions(store, 'run-1', 'newsletter')).toBe(0);
    const kept = await keptOf(store);
    expect(kept.map((e) => [e.rowNumber, e.field, e.recipientId]).sort()).toEqual(
      [
        [-(EARLIER_EXPORT_ROW_BASE + 1), 'consent_withdrawn', 'r1@example.test'],
        [-(EARLIER_EXPORT_ROW_BASE + 2), 'bounced', 'r3@example.test'],
      ].sort(),
    );
    // The clear of the next export forgets the export's entries, not the kept ones nor the refill's.
    await store.ledger.clearExclusions('run-1', 'newsletter');
    expect((await excludedOf(store)).map((e) => e.rowNumber).sort()).toEqual(
      [-4, -(EARLIER_EXPORT_ROW_BASE + 1), -(EARLIER_EXPORT_ROW_BASE + 2)].sort(),
    );
    // A re-export that excludes someone else at row 1 adds them after the kept ones.
    await store.ledger.record([anExcluded(1, 'unsubscribed', { recipientId: 'other@example.test', entityId: 'l-9' })]);
    expect(await keepEarlierExportExclusions(store, 'run-1', 'newsletter')).toBe(1);
    expect((await keptOf(store)).find((e) => e.recipientId === 'other@example.test')?.rowNumber).toBe(-(EARLIER_EXPORT_ROW_BASE + 3));
  });

  it('keeps an exclusion whose number a racing attempt took under the next one', async () => {
    await store.ledger.record([anExcluded(1, 'consent_withdrawn'), anExcluded(2, 'consent_withdrawn')]);
    const record = store.ledger.record.bind(store.ledger);
    let raced = false;
    const racing: StateStore = {
      ...store,
      ledger: {
        ...store.ledger,
        record: async (entries: readonly LedgerEntry[]) => {
          if (!raced) {
            raced = true;
            // Another attempt of the same export kept a different exclusion under the first number.
            await record([
              anExcluded(-(EARLIER_EXPORT_ROW_BASE + 1), EARLIER_EXPORT_EXCLUSION, { field: 'bounced', recipientId: 'x@example.test' }),
            ]);
          }
          return record(entries);
        },
      },
    };
    await keepEarlierExportExclusions(racing, 'run-1', 'newsletter');
    const kept = await keptOf(store);
    expect(kept.map((e) => e.recipientId).sort()).toEqual(['r1@example.test', 'r2@example.test', 'x@example.test']);
    expect(new Set(kept.map((e) => e.rowNumber)).size).toBe(3);
  });
});
