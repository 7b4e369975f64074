import fc from 'fast-check';
import { OptimizelyArgumentError } from '../../../src/errors/optimizely-argument-error';
import { FAULT_TEXTS } from '../../../src/optimizely/api/fault-texts';
import type { SuppressionEvent } from '../../../src/store/suppression-types';
import { suppressionKey } from '../../../src/validation/suppressions';
import type { FakeOptimizely } from '../../helpers/fake-optimizely';
import { aCrashPoint } from '../../helpers/crash-points';
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
const share = fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true });
const optOut = fc.record({
  // Spread over the rows by `count` (a fraction of the row count), or the odd one out below.
  who: fc.oneof(share, fc.constant('odd' as const)),
  // Before which attempt it arrives: 0 before the first, n before the (n + 1)-th.
  before: fc.integer({ min: 0, max: 3 }),
  source: fc.constantFrom<Source>('optimizely', 'ledger_unsubscribe', 'ledger_bounce'),
});

const scenario = fc.record({
  // A few rows too: a refusal's isolation then takes few calls, so attempts die after it as often as before.
  rows: fc.oneof(fc.integer({ min: 1, max: ROWS_MAX }), fc.constant(ROWS_MAX), fc.integer({ min: 1, max: 8 })),
  // Someone Optimizely does not add: answered 1 (an invalid address), or refused on their own (ledgered
  // rejected at once, even by an attempt that then dies); they may opt out before a later attempt.
  odd: fc.option(fc.record({ at: share, kind: fc.constantFrom('invalid', 'refused') }), { nil: undefined }),
  optOuts: fc.array(optOut, { minLength: 1, maxLength: 6 }),
  run: fc.record(refillCrashRun),
});

type Scenario = typeof scenario extends fc.Arbitrary<infer T> ? T : never;

/**
 * The refused one opting out before the second attempt, in a batch of a few rows: the refusal's
 * isolation takes few calls, so the first attempt often dies after ledgering them rejected.
 */
const refusedThenOptedOut: fc.Arbitrary<Scenario> = fc.record({
  rows: fc.integer({ min: 1, max: 6 }),
  odd: fc.record({ at: share, kind: fc.constant('refused') }),
  optOuts: fc.tuple(fc.record({ who: fc.constant('odd' as const), before: fc.constant(1), source: optOut.map((o) => o.source) })),
  run: fc.record({ ...refillCrashRun, crashes: fc.tuple(aCrashPoint(14)) }),
});

describe('a refill retry after opt-outs that arrived while an attempt lay dead', () => {
  let round = 0;

  it('takes off the list whoever its re-sent batches leave out as opted out, and ledgers them excluded only', async () => {
    await fc.assert(fc.asyncProperty(scenario, retryLeavesNoOptOutBehind), { numRuns: 40 });
  });

  it('forgets the rejection of someone refused by a dead attempt who opted out before the retry', async () => {
    await fc.assert(fc.asyncProperty(refusedThenOptedOut, retryLeavesNoOptOutBehind), { numRuns: 40 });
  });

  async function retryLeavesNoOptOutBehind({ rows: count, odd, optOuts, run }: Scenario): Promise<void> {
    const runId = `retry-${(round += 1)}`;
    const oddAt = odd === undefined ? -1 : Math.floor(odd.at * count);
    const rows = Array.from({ length: count }, (_, i) => {
      const row = newsletterRow(i, id(i));
      return i === oddAt && odd?.kind === 'invalid' ? { ...row, email: `not-an-address-${i}` } : row;
    });
    const { store, optimizely, snapshotRef } = await refillSetup(rows, runId);
    if (odd?.kind === 'refused') refuseInAddAll3(optimizely, id(oddAt));
    try {
      const endBatch = Math.ceil(count / 1000);
      // Person -> the batch an attempt resumed from when their opt-out had arrived.
      const optedOutFrom = new Map<number, number>();
      // The world between attempts: these opt-outs are recorded before the attempt starts.
      const result = await refillUnderCrashes({ optimizely, store }, { snapshotRef, runId, endBatch }, run, async (attempt) => {
        for (const o of optOuts.filter((o) => o.before === attempt.attempt)) {
          const who = o.who === 'odd' ? Math.max(0, oddAt) : Math.floor(o.who * count);
          if (!optedOutFrom.has(who)) optedOutFrom.set(who, attempt.resumeFrom?.nextBatch ?? 0);
          if (o.source === 'optimizely') optimizely.unsubscribed.add(id(who));
          else await store.suppressions.record([ledgerOptOut(id(who), o.source)]);
        }
      });

      // Off: opted out before a batch of theirs was sent again (or at all).
      const off = new Set([...optedOutFrom].flatMap(([who, from]) => (Math.floor(who / 1000) >= from ? [id(who)] : [])));
      const list = optimizely.lists.get(100)!.recipients;
      const onList = rows.flatMap((_, i) => (i !== oddAt && !off.has(id(i)) ? [id(i)] : []));
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
  }
});

/** Optimizely refuses any addAll3 call holding `recipientId` (the refill isolates and ledgers them rejected). */
function refuseInAddAll3(optimizely: FakeOptimizely, recipientId: string): void {
  const addAll3 = optimizely.recipient.addAll3.bind(optimizely.recipient);
  optimizely.recipient.addAll3 = async (call, options) => {
    if (call.recipientIds.includes(recipientId))
      throw new OptimizelyArgumentError(`fault: ${FAULT_TEXTS.recipientRefused}`, { service: 'Recipient', operation: 'addAll3' });
    return addAll3(call, options);
  };
}

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
