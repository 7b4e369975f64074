import fc from 'fast-check';
import { ledgerByRecipient, refillCrashRun, refillUnderCrashes } from '../../helpers/refill-crash-attempts';
import { newsletterRow, refillSetup } from '../../helpers/refill-fixtures';

// A refill chunk dies at any outside call (an addAll3, an unsubscribe look-up, a snapshot read, a
// ledger or sent-batch write), before the far side ran it or after (its reply lost), possibly again
// in the retry; Temporal retries it from the last heartbeat that reached the server, which may be
// older than the last checkpoint the attempt reported (heartbeats are throttled). Then the list holds
// exactly the snapshot's sendable recipients, each with its own values, and the ledger holds one
// entry per snapshot row whose code agrees with the list.

// Batches of ten instead of 1,000: the crash points are per call, not per row, so three small
// batches reach every kind of crash point the real size does, at a hundredth of the rows to send and
// check (at 1,000 the property took 90-120 s on a loaded two-core machine).
const BATCH_SIZE = 10;
jest.mock('../../../workflows/refill-batch', () => ({ REFILL_BATCH_SIZE: 10 }));
const ROWS_MAX = 3 * BATCH_SIZE - 7; // up to three batches, the last one short
const id = (i: number) => `c${String(i).padStart(4, '0')}@example.test`;

type Kind = 'fine' | 'invalid' | 'unsubscribed' | 'blocked';
const people = fc.array(fc.constantFrom<Kind>('fine', 'fine', 'fine', 'invalid', 'unsubscribed', 'blocked'), {
  minLength: 1,
  maxLength: ROWS_MAX,
});

const scenario = fc.record({
  rows: fc.oneof(fc.integer({ min: 1, max: ROWS_MAX }), fc.constant(ROWS_MAX)),
  // Kinds of the first rows (the rest are fine), spread over the batches.
  kinds: people,
  run: fc.record(refillCrashRun),
});

describe('refillChunk dying at any outside call', () => {
  it('leaves the list exact and the ledger with one consistent entry per row after any crash point', async () => {
    let round = 0;
    await fc.assert(
      fc.asyncProperty(scenario, async ({ rows: count, kinds, run }) => {
        const runId = `run-${(round += 1)}`;
        const spread = Math.max(1, Math.floor(count / kinds.length));
        const kindOf = (i: number): Kind => (i % spread === 0 ? (kinds[i / spread] ?? 'fine') : 'fine');
        const rows = Array.from({ length: count }, (_, i) => {
          const row = newsletterRow(i, id(i));
          return kindOf(i) === 'invalid' ? { ...row, email: `not-an-address-${i}` } : row;
        });
        const { store, optimizely, snapshotRef } = await refillSetup(rows, runId);
        try {
          rows.forEach((row, i) => {
            if (kindOf(i) === 'unsubscribed') optimizely.unsubscribed.add(id(i));
            if (kindOf(i) === 'blocked') optimizely.blocklist.push(String(row.email));
          });
          const endBatch = Math.ceil(count / BATCH_SIZE);
          const result = await refillUnderCrashes({ optimizely, store }, { snapshotRef, runId, endBatch }, run);

          const expected = rows.flatMap((_, i) => (kindOf(i) === 'fine' ? [i] : []));
          const list = optimizely.lists.get(100)!.recipients;
          expect([...list.keys()].sort()).toEqual(expected.map(id).sort());
          for (const i of expected) expect(list.get(id(i))?.values.firstname).toBe(`F${i}`);

          expect(result.nextBatch).toBe(endBatch);
          expect(result.sent + (result.unsubscribed ?? 0) + (result.rejected ?? 0)).toBe(count);

          const byRecipient = await ledgerByRecipient(store, runId);
          expect([...byRecipient.keys()].sort()).toEqual(rows.map((_, i) => id(i)).sort());
          for (const [recipientId, own] of byRecipient) {
            expect({ recipientId, entries: own.length }).toEqual({ recipientId, entries: 1 });
            const entry = own[0]!;
            const inList = entry.outcome === 'sent' && (entry.resultCode === 0 || entry.resultCode === 5);
            expect({ recipientId, inList }).toEqual({ recipientId, inList: list.has(recipientId) });
          }
        } finally {
          await store.close();
        }
      }),
      { numRuns: 60 },
    );
  });
});
