import fc from 'fast-check';
import type { SuppressionEvent } from '../../../src/store/suppression-types';
import { suppressionKey } from '../../../src/validation/suppressions';
import { ledgerByRecipient, refillCrashRun, refillUnderCrashes } from '../../helpers/refill-crash-attempts';
import { newsletterRow, refillSetup } from '../../helpers/refill-fixtures';

// An opt-out is never reversed by a refill retry. A refill chunk attempt dies at any outside call
// (possibly right after an addAll3 ran, its reply lost); before the next attempt someone opts out
// (Optimizely's unsubscribe list, or the suppression ledger: an unsubscribe or a bounce). The retry
// resumes from the last heartbeat that reached the server and leaves them out of what it re-sends;
// but the dead attempt may have put them on the list already. Then: nobody whose opt-out arrived
// before a batch of theirs was (re-)sent is on the list or ledgered sent; everyone else eligible is
// on the list; every row has one ledger entry, sent with 0 or 5 exactly when on the list. Someone
// whose batch an attempt acknowledged before they opted out stays on the list: added before the
// opt-out, as after a refill without a crash (the next export leaves them out).

const ROWS_MAX = 2300; // up to three batches of 1000
const id = (i: number) => `o${String(i).padStart(4, '0')}@example.test`;

type Source = 'optimizely' | 'ledger_unsubscribe' | 'ledger_bounce';
const optOut = fc.record({
  // Spread over the rows by `count`: a fraction of the row count.
  who: fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
  // Before which attempt it arrives: 0 before the first, n before the (n + 1)-th.
  before: fc.integer({ min: 0, max: 3 }),
  source: fc.constantFrom<Source>('optimizely', 'ledger_unsubscribe', 'ledger_bounce'),
});

const scenario = fc.record({
  rows: fc.oneof(fc.integer({ min: 1, max: ROWS_MAX }), fc.constant(ROWS_MAX)),
  // Someone whose address Optimizely answers 1 (invalid, not on the list), or who opts out in a later attempt.
  invalid: fc.option(fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), { nil: undefined }),
  optOuts: fc.array(optOut, { minLength: 1, maxLength: 6 }),
  run: fc.record(refillCrashRun),
});

describe('a refill retry after opt-outs that arrived while an attempt lay dead', () => {
  it('takes off the list whoever its re-sent batches leave out as opted out, and ledgers them excluded only', async () => {
    let round = 0;
    await fc.assert(
      fc.asyncProperty(scenario, async ({ rows: count, invalid, optOuts, run }) => {
        const runId = `retry-${(round += 1)}`;
        const invalidAt = invalid === undefined ? -1 : Math.floor(invalid * count);
        const rows = Array.from({ length: count }, (_, i) => {
          const row = newsletterRow(i, id(i));
          return i === invalidAt ? { ...row, email: `not-an-address-${i}` } : row;
        });
        const { store, optimizely, snapshotRef } = await refillSetup(rows, runId);
        try {
          const endBatch = Math.ceil(count / 1000);
          // Person -> the batch an attempt resumed from when their opt-out had arrived.
          const optedOutFrom = new Map<number, number>();
          // The world between attempts: these opt-outs are recorded before the attempt starts.
          const result = await refillUnderCrashes({ optimizely, store }, { snapshotRef, runId, endBatch }, run, async (attempt) => {
            for (const o of optOuts.filter((o) => o.before === attempt.attempt)) {
              const who = Math.floor(o.who * count);
              if (!optedOutFrom.has(who)) optedOutFrom.set(who, attempt.resumeFrom?.nextBatch ?? 0);
              if (o.source === 'optimizely') optimizely.unsubscribed.add(id(who));
              else await store.suppressions.record([ledgerOptOut(id(who), o.source)]);
            }
          });

          // Off: opted out before a batch of theirs was sent again (or at all).
          const off = new Set([...optedOutFrom].flatMap(([who, from]) => (Math.floor(who / 1000) >= from ? [id(who)] : [])));
          const list = optimizely.lists.get(100)!.recipients;
          const onList = rows.flatMap((_, i) => (i !== invalidAt && !off.has(id(i)) ? [id(i)] : []));
          expect({ optedOutOnList: [...off].filter((who) => list.has(who)) }).toEqual({ optedOutOnList: [] });
          expect([...list.keys()].sort()).toEqual(onList.sort());
          expect(result.nextBatch).toBe(endBatch);
          expect(result.sent + (result.unsubscribed ?? 0) + (result.rejected ?? 0)).toBe(count);

          const byRecipient = await ledgerByRecipient(store, runId);
          expect([...byRecipient.keys()].sort()).toEqual(rows.map((_, i) => id(i)).sort());
          for (const [recipientId, own] of byRecipient) {
            const outcomes = own.map((e) => e.outcome);
            // One entry each: an opted-out person is excluded, never also sent or rejected.
            expect({ recipientId, outcomes }).toEqual({ recipientId, outcomes: off.has(recipientId) ? ['excluded'] : [outcomes[0]] });
            const entry = own[0]!;
            const inList = entry.outcome === 'sent' && (entry.resultCode === 0 || entry.resultCode === 5);
            expect({ recipientId, inList }).toEqual({ recipientId, inList: list.has(recipientId) });
          }
        } finally {
          await store.close();
        }
      }),
      { numRuns: 40 },
    );
  });
});

/** An opt-out the feedback import records in the suppression ledger: a client-wide unsubscribe or a bounce. */
function ledgerOptOut(recipientId: string, source: 'ledger_unsubscribe' | 'ledger_bounce'): SuppressionEvent {
  return {
    client: 'demo',
    kind: source === 'ledger_bounce' ? 'bounce' : 'unsubscribe',
    recipientKey: suppressionKey(recipientId),
    listId: 0,
    occurredAt: new Date().toISOString(),
    source: 'closed_loop',
  };
}
