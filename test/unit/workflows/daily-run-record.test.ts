import fc from 'fast-check';
import { dailyOutcome, listStateCounts, listsStepOutcome } from '../../../workflows/daily-run-record';
import type { DailyListState, DailyListStatus } from '../../../workflows/daily-sync-operator';

const STATES: DailyListState[] = ['pending', 'running', 'ready', 'rejected', 'failed', 'restored', 'paused', 'busy', 'skipped'];
const lists = fc.dictionary(
  fc.string({ minLength: 1 }),
  fc.record({
    state: fc.constantFrom(...STATES),
    workflowId: fc.string(),
    runId: fc.option(fc.string({ minLength: 1 }), { nil: undefined }),
  }),
);
const asLists = (raw: Record<string, { state: DailyListState; workflowId: string; runId?: string }>) =>
  Object.fromEntries(
    Object.entries(raw).map(([k, v]) => [k, (v.runId === undefined ? { state: v.state, workflowId: v.workflowId } : v) as DailyListStatus]),
  );

describe('the daily run outcome', () => {
  it('is failed with any failed list, else restored with any restored list, else ready', () => {
    fc.assert(
      fc.property(lists, (raw) => {
        const states = Object.values(raw).map((l) => l.state);
        const expected = states.includes('failed') ? 'failed' : states.includes('restored') ? 'restored' : 'ready';
        expect(dailyOutcome(asLists(raw))).toBe(expected);
        expect(listsStepOutcome(asLists(raw)).status).toBe(expected === 'ready' ? 'completed' : 'failed');
      }),
    );
  });

  it('counts every list once by its state and names each list with its run id in the lists step', () => {
    fc.assert(
      fc.property(lists, (raw) => {
        const counted = listStateCounts(asLists(raw));
        expect(Object.values(counted).reduce((a, b) => a + b, 0)).toBe(Object.keys(raw).length);
        const details = listsStepOutcome(asLists(raw)).details?.lists as Record<string, { state: string; runId?: string }>;
        for (const [key, list] of Object.entries(raw))
          expect(details[key]).toEqual(list.runId === undefined ? { state: list.state } : { state: list.state, runId: list.runId });
      }),
    );
  });
});
