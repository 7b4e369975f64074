import fc from 'fast-check';
import { validateDecision, type Decision } from '../../../workflows/list-sync-operator';
import { initialProgress, type ListSyncProgress } from '../../../workflows/list-sync-state';

jest.mock('@temporalio/workflow', () => ({
  ...jest.requireActual('@temporalio/workflow'),
  workflowInfo: () => ({ workflowId: 'list-sync:demo:newsletter', runId: 'run-1' }),
}));

// A held run approved late exports again and may be held again, on a larger exclusion or a deeper
// shrink than the one approved; its decision is reset meanwhile. Before, any approve bound to the run
// (`runId`) released that second hold: a second operator's approval of the first, a script retrying
// one, a CLI command typed after reading an older status. Now an approval is bound to the hold it was
// given on: whatever message arrives while the run is at hold `current`, the approve validator accepts
// it only if it names that hold (or, at the first hold, names none); a reject, which leaves the list
// as it is, also when it names none. Every refusal names `hold` on one bounded line and changes nothing.

const NAMED_HOLD = fc.oneof(
  fc.constant(undefined),
  fc.integer({ min: 1, max: 6 }),
  fc.integer(),
  fc.constantFrom<unknown>(0, -1, 1.5, Number.NaN, '1', '2', null, true, [1], { hold: 1 }, 'x'.repeat(10_000), 2 ** 53),
);

function heldAt(hold: number, counted: boolean): ListSyncProgress {
  const progress: ListSyncProgress = { ...initialProgress('demo', 'newsletter'), phase: 'held' };
  // A run's first hold from before the counter reads like hold 1.
  return hold === 1 && !counted ? progress : { ...progress, hold };
}

function refusal(run: () => void): string | undefined {
  try {
    run();
    return undefined;
  } catch (error) {
    expect((error as { type?: string }).type).toBe('ActionRefusedError');
    return (error as Error).message;
  }
}

describe('a decision bound to the hold it was given on', () => {
  it('is accepted only for the hold the run is in; an approval after the first hold must name it', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 6 }),
        NAMED_HOLD,
        fc.boolean(),
        fc.boolean(),
        fc.boolean(),
        (current, named, approve, withRunId, counted) => {
          const progress = heldAt(current, counted);
          const decision: Decision = {};
          const message = { by: 'ops', ...(withRunId ? { runId: 'run-1' } : {}), ...(named === undefined ? {} : { hold: named }) };
          const before = JSON.stringify({ progress, decision });
          const refused = refusal(() => validateDecision(progress, decision, message as never, approve));
          const expected = named === undefined ? !approve || current === 1 : named === current;
          expect(refused === undefined).toBe(expected);
          if (refused !== undefined) {
            expect(refused).toContain('hold');
            expect(refused).not.toContain('\n');
            expect(refused.length).toBeLessThan(400);
          }
          expect(JSON.stringify({ progress, decision })).toBe(before);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('does not let a repeated approval of the first hold release the hold after a re-export', () => {
    const first = { by: 'anna', runId: 'run-1' };
    const progress = { ...initialProgress('demo', 'newsletter'), phase: 'held' as const, hold: 1 };
    expect(refusal(() => validateDecision(progress, {}, first))).toBeUndefined();
    // Approved late: exported again, held again on its own reasons, the decision reset.
    Object.assign(progress, { hold: 2, guardReasons: ['excluded 61% of the rows (limit 50%)'] });
    expect(refusal(() => validateDecision(progress, {}, first))).toMatch(/^held again after exporting again \(hold 2 of this run\)/);
    expect(refusal(() => validateDecision(progress, {}, { ...first, hold: 1 }))).toMatch(/^stale decision: it was meant for hold 1/);
    expect(refusal(() => validateDecision(progress, {}, { ...first, hold: 2 }))).toBeUndefined();
  });
});
