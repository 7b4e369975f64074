import fc from 'fast-check';
import { guardReasonsAfterHold } from '../../../src/sync/guard-after-hold';
import type { GuardInput } from '../../../src/sync/guard';
import { guardLimits } from '../../helpers/guard-limits';

// The guard of a re-export after a late approval (docs/daily-sync.md, "A long hold") is measured
// against the export the operator approved: what they approved is not asked again, but a hold that
// made the list worse (withdrawals en masse, a CRM gone wrong) is.

const limits = fc
  .record({
    maxShrinkPercent: fc.integer({ min: 0, max: 100 }),
    maxExcludedPercent: fc.integer({ min: 0, max: 100 }),
    allowEmpty: fc.boolean(),
  })
  .map((drawn) => guardLimits(drawn));

/** An export: accepted recipients, exclusions of the list's own rows and of other consents, Optimizely's unsubscribes among them. */
const anExport = fc
  .record({
    count: fc.integer({ min: 0, max: 5000 }),
    withdrawn: fc.integer({ min: 0, max: 3000 }),
    otherConsent: fc.integer({ min: 0, max: 3000 }),
    unsubscribed: fc.integer({ min: 0, max: 5000 }),
  })
  .map(({ count, withdrawn, otherConsent, unsubscribed }): GuardInput => ({
    count,
    rowsRead: count + withdrawn + otherConsent,
    excluded: { consent_withdrawn: withdrawn, consent_mismatch: otherConsent },
    optimizelyUnsubscribed: Math.min(unsubscribed, count),
  }));

/** The same export after `n` more recipients withdrew in the CRM (excluded instead of accepted). */
function withdrawMore(input: GuardInput, n: number): GuardInput {
  const moved = Math.min(n, input.count);
  const count = input.count - moved;
  return {
    ...input,
    count,
    excluded: { ...input.excluded, consent_withdrawn: (input.excluded.consent_withdrawn ?? 0) + moved },
    optimizelyUnsubscribed: Math.min(input.optimizelyUnsubscribed ?? 0, count),
  };
}

describe('the guard of a re-export after a late approval', () => {
  it('lets an unchanged re-export through, whatever the approved export was held for', () => {
    fc.assert(
      fc.property(limits, anExport, (guard, approved) => {
        expect(guardReasonsAfterHold(guard, approved, approved)).toEqual([]);
      }),
    );
  });

  it('holds a re-export that would send nobody when the approved export sent someone', () => {
    fc.assert(
      fc.property(limits, anExport, (guard, approved) => {
        fc.pre(approved.count - (approved.optimizelyUnsubscribed ?? 0) > 0 && (guard.maxShrinkPercent < 100 || !guard.allowEmpty));
        expect(guardReasonsAfterHold(guard, withdrawMore(approved, approved.count), approved)).not.toEqual([]);
      }),
    );
  });

  it('never passes more withdrawals where fewer were held', () => {
    fc.assert(
      fc.property(limits, anExport, fc.nat(3000), fc.nat(3000), (guard, approved, few, more) => {
        const fewer = guardReasonsAfterHold(guard, withdrawMore(approved, Math.min(few, more)), approved);
        const most = guardReasonsAfterHold(guard, withdrawMore(approved, Math.max(few, more)), approved);
        if (fewer.length > 0) expect(most).not.toEqual([]);
      }),
    );
  });

  it('holds exactly a shrink beyond the limit against the approved export, an exclusion share newly over it, or a list newly emptied', () => {
    fc.assert(
      fc.property(limits, anExport, fc.nat(5000), (guard, approved, n) => {
        const fresh = withdrawMore(approved, n);
        const sendable = (e: GuardInput) => e.count - (e.optimizelyUnsubscribed ?? 0);
        // More than the limit of the own rows (other consents aside) excluded, in whole numbers: 7 of 100 is 7%.
        const own = (e: GuardInput) => e.rowsRead - (e.excluded.consent_mismatch ?? 0);
        const over = (e: GuardInput) => (e.excluded.consent_withdrawn ?? 0) * 100 > guard.maxExcludedPercent * own(e);
        const shrank = (sendable(approved) - sendable(fresh)) * 100 > guard.maxShrinkPercent * sendable(approved);
        const newShare = over(fresh) && !over(approved);
        // A list that may not be empty: emptied by the re-export (nobody sent) after an approved export that sent someone.
        const emptied = !guard.allowEmpty && sendable(fresh) === 0 && sendable(approved) > 0;
        expect(guardReasonsAfterHold(guard, fresh, approved).length > 0).toBe(shrank || newShare || emptied);
      }),
      {
        // 7 of the 100 own rows excluded after the hold against a limit of 7%: not over it (held when divided first).
        examples: [[guardLimits({ maxShrinkPercent: 100, maxExcludedPercent: 7 }), { count: 100, rowsRead: 100, excluded: {} }, 7]],
      },
    );
  });
});
