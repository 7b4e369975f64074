import fc from 'fast-check';
import {
  validatePauseList,
  validateRerunList,
  validateResumeList,
  type DailyListState,
  type DailyLists,
} from '../../../workflows/daily-sync-operator';
import { validatePause, validateResume } from '../../../workflows/list-sync-operator';
import { initialProgress, type ListSyncPhase } from '../../../workflows/list-sync-state';

// The validators decide alone whether an operator action means anything; these properties pin down
// exactly when each accepts, over every list state, phase and queue state.
const STATES: DailyListState[] = ['pending', 'running', 'ready', 'rejected', 'skipped', 'paused', 'busy', 'failed'];
const DAILY_PHASES = ['planning', 'feedback', 'lists', 'responses', 'done'];
const LIST_PHASES: ListSyncPhase[] = [
  'starting',
  'feedback',
  'preflight',
  'exporting',
  'guard',
  'held',
  'clearing',
  'refilling',
  'verifying',
  'recording',
  'ready',
  'rejected',
  'skipped',
  'failed',
];
const accepts = (validate: () => void): boolean => {
  try {
    validate();
    return true;
  } catch (error) {
    expect((error as { type?: string }).type).toBe('ActionRefusedError');
    return false;
  }
};
const daily = (phase: string, state: DailyListState): DailyLists => ({
  phase,
  lists: { newsletter: { state, workflowId: 'list-sync:demo:newsletter' } },
});
const message = { listKey: 'newsletter', by: 'ops', reason: 'why' };

describe('daily run validators', () => {
  it('accept a re-run exactly of a list done in this run, while lists still run', () => {
    fc.assert(
      fc.property(fc.constantFrom(...DAILY_PHASES), fc.constantFrom(...STATES), fc.boolean(), (phase, state, accepting) => {
        const done = ['ready', 'rejected', 'skipped', 'failed', 'busy'].includes(state);
        expect(accepts(() => validateRerunList(daily(phase, state), { keys: [], accepting }, message))).toBe(
          phase !== 'planning' && done && accepting,
        );
      }),
    );
  });

  it('accept a resume of a paused list while lists still run, or of a running one (forwarded)', () => {
    fc.assert(
      fc.property(fc.constantFrom(...DAILY_PHASES), fc.constantFrom(...STATES), fc.boolean(), (phase, state, accepting) => {
        const expected = phase !== 'planning' && (state === 'running' || (state === 'paused' && accepting));
        expect(accepts(() => validateResumeList(daily(phase, state), { keys: [], accepting }, message))).toBe(expected);
      }),
    );
  });

  it('accept a pause only of a list pending or running', () => {
    fc.assert(
      fc.property(fc.constantFrom(...DAILY_PHASES), fc.constantFrom(...STATES), (phase, state) => {
        expect(accepts(() => validatePauseList(daily(phase, state), message))).toBe(
          phase !== 'planning' && (state === 'pending' || state === 'running'),
        );
      }),
    );
  });

  it('refuse any list key that is not an own list of the run', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string(), fc.constantFrom('__proto__', 'constructor', 'toString', 'hasOwnProperty'), fc.anything()),
        (listKey) => {
          fc.pre(listKey !== 'newsletter');
          const status = daily('lists', 'ready');
          expect(accepts(() => validateRerunList(status, { keys: [], accepting: true }, { ...message, listKey: listKey as string }))).toBe(
            false,
          );
          expect(Object.keys(status.lists)).toEqual(['newsletter']);
        },
      ),
    );
  });
});

describe('list sync validators', () => {
  it('accept a pause exactly while a safe point lies ahead and the run is not paused', () => {
    fc.assert(
      fc.property(fc.constantFrom(...LIST_PHASES), fc.boolean(), (phase, paused) => {
        const progress = { ...initialProgress('demo', 'newsletter'), phase, paused };
        const ahead = ['starting', 'feedback', 'preflight', 'exporting', 'guard', 'held', 'clearing', 'refilling'].includes(phase);
        expect(accepts(() => validatePause(progress, { by: 'ops' }))).toBe(ahead && !paused);
        expect(accepts(() => validateResume(progress, { by: 'ops' }))).toBe(paused);
      }),
    );
  });
});
