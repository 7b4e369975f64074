import fc from 'fast-check';
import { createStateStore } from '../../../src/store';
import type { LedgerEntry, SnapshotRow } from '../../../src/store/types';
import { refillExclusionEntries, refillExclusionEntry } from '../../../src/sync/refill-exclusion-entries';
import { REFILL_BATCH_SIZE } from '../../../workflows/refill-batch';
import {
  formerLedgerOptOutEntry,
  formerNotInFreshExportEntries,
  formerOptimizelyUnsubscribeEntries,
} from '../../helpers/former-refill-exclusion-entries';

// The refill's three exclusion builders (re-export, Optimizely's unsubscribe list, the suppression
// ledger) became one: it must give exactly what each gave. They differed in one thing: the unsubscribe
// check's copied a snapshot row's ids as they were, the others as text (`String(x ?? '')`). A snapshot
// row is read back from the store, so an id may be missing or not text; the text form is the one
// that keeps the entry what its type says, and the store records a missing id as '' either way.

const ID_FIELDS = ['recipientId', 'entityType', 'entityId'] as const;
const text = fc.string({ maxLength: 12 });
const wellTyped = fc.record({ recipientId: text, email: text, entityType: text, entityId: text }) as fc.Arbitrary<SnapshotRow>;
const hostileValue = fc.oneof(
  text,
  fc.constant(null),
  fc.integer(),
  fc.boolean(),
  fc.constant(undefined),
  fc.array(text, { maxLength: 2 }),
);
const hostile = fc.record(
  { recipientId: hostileValue, email: hostileValue, entityType: hostileValue, entityId: hostileValue },
  { requiredKeys: [] },
) as unknown as fc.Arbitrary<SnapshotRow>;
const ref = fc.record({
  runId: fc.string({ minLength: 1, maxLength: 8 }),
  listKey: fc.string({ minLength: 1, maxLength: 8 }),
  batchNo: fc.nat(5000),
});

/** Rows of a batch and some of their positions (ascending, each once), as the refill passes them. */
const batchOf = (row: fc.Arbitrary<SnapshotRow>) =>
  fc.array(row, { minLength: 1, maxLength: 20 }).chain((rows) => fc.tuple(fc.constant(rows), fc.subarray(rows.map((_, i) => i))));

const NOT_IN_FRESH = { reason: 'not_in_fresh_export', field: 're-export' };
const OPTIMIZELY = { reason: 'unsubscribed', field: 'optimizely' };

describe('refillExclusionEntries gives what each former builder gave', () => {
  it('the re-export and the suppression ledger builders, on any row (well-typed or hostile)', () => {
    fc.assert(
      fc.property(batchOf(fc.oneof(wellTyped, hostile)), ref, fc.boolean(), ([rows, positions], where, bounced) => {
        expect(refillExclusionEntries(rows, positions, where, NOT_IN_FRESH)).toStrictEqual(
          formerNotInFreshExportEntries(rows, positions, where),
        );
        const ledgerWhy = { reason: bounced ? 'bounced' : 'unsubscribed', field: 'suppression_ledger' };
        for (const position of positions)
          expect(refillExclusionEntry(rows[position]!, position, where, ledgerWhy)).toStrictEqual(
            formerLedgerOptOutEntry(rows[position]!, position, where, bounced),
          );
      }),
      { numRuns: 300 },
    );
  });

  it("the unsubscribe check's, on every row the export writes (ids are text)", () => {
    fc.assert(
      fc.property(batchOf(wellTyped), ref, ([rows, positions], where) => {
        expect(refillExclusionEntries(rows, positions, where, OPTIMIZELY)).toStrictEqual(
          formerOptimizelyUnsubscribeEntries(rows, positions, { ...where, batchSize: REFILL_BATCH_SIZE }),
        );
      }),
      { numRuns: 300 },
    );
  });

  it("the unsubscribe check's on a hostile row: ids become text, a missing one '' as the store recorded it", () => {
    fc.assert(
      fc.property(batchOf(hostile), ref, ([rows, positions], where) => {
        const merged = refillExclusionEntries(rows, positions, where, OPTIMIZELY);
        const former = formerOptimizelyUnsubscribeEntries(rows, positions, { ...where, batchSize: REFILL_BATCH_SIZE });
        merged.forEach((entry, k) => {
          for (const f of ID_FIELDS) {
            expect(typeof entry[f]).toBe('string');
            expect(entry[f]).toBe(String(former[k]![f] ?? ''));
          }
          expect({ ...entry, recipientId: 0, entityType: 0, entityId: 0 }).toStrictEqual({
            ...former[k],
            recipientId: 0,
            entityType: 0,
            entityId: 0,
          });
        });
      }),
      { numRuns: 300 },
    );
  });

  it('a row missing its ids (or holding null) is recorded in the ledger exactly as before', async () => {
    const missing = fc.oneof(text, fc.constant(null), fc.constant(undefined));
    const rowMissing = fc.record(
      { recipientId: missing, entityType: missing, entityId: missing },
      { requiredKeys: [] },
    ) as unknown as fc.Arbitrary<SnapshotRow>;
    await fc.assert(
      fc.asyncProperty(batchOf(rowMissing), fc.nat(50), async ([rows, positions], batchNo) => {
        const store = await createStateStore({ kind: 'sqlite', file: ':memory:' });
        try {
          await store.ledger.record(
            formerOptimizelyUnsubscribeEntries(rows, positions, { runId: 'former', listKey: 'l', batchNo, batchSize: REFILL_BATCH_SIZE }),
          );
          await store.ledger.record(refillExclusionEntries(rows, positions, { runId: 'merged', listKey: 'l', batchNo }, OPTIMIZELY));
          const read = async (runId: string) => {
            const out: Array<Omit<LedgerEntry, 'runId'>> = [];
            for await (const { runId: _run, ...entry } of store.ledger.stream(runId)) out.push(entry);
            return out;
          };
          const merged = await read('merged');
          expect(merged).toHaveLength(positions.length);
          expect(merged).toStrictEqual(await read('former'));
        } finally {
          await store.close();
        }
      }),
      { numRuns: 30 },
    );
  });
});
