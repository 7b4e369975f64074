import fc from 'fast-check';
import { validatePauseList, validateRerunList, validateResumeList, type DailyLists } from '../../../workflows/daily-sync-operator';
import { updateValidator } from '../../../workflows/operator-messages';
import { validateDecision, validatePause, validateResume, type Decision } from '../../../workflows/list-sync-operator';
import { initialProgress } from '../../../workflows/list-sync-state';
import { hostileText } from '../../helpers/hostile-text';

jest.mock('@temporalio/workflow', () => ({
  ...jest.requireActual('@temporalio/workflow'),
  workflowInfo: () => ({ workflowId: 'list-sync:demo:newsletter', runId: 'run-1' }),
}));

// An accepted Update's arguments are kept in the workflow history whole: a field the validator does
// not know (a `note` holding an address, a megabyte `x`, a `__proto__`) or a second argument would
// land there unchecked. Every validator refuses a message with a field it does not take, and an Update
// with more than one argument, naming it, and changes nothing.

const EXTRA_KEY = fc.oneof(
  hostileText,
  fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString', 'hasOwnProperty', 'note', 'BY', 'by ', 'runid'),
);
const EXTRA_VALUE = fc.oneof(hostileText, fc.jsonValue({ maxDepth: 2 }));

type Case = { name: string; fields: string[]; run: (message: Record<string, unknown>) => () => void; snapshot: () => unknown };

function cases(): Case[] {
  const status: DailyLists = {
    phase: 'lists',
    lists: {
      newsletter: { state: 'ready', workflowId: 'list-sync:demo:newsletter' },
      offers: { state: 'pending', workflowId: 'list-sync:demo:offers' },
      promo: { state: 'paused', workflowId: 'list-sync:demo:promo' },
    },
  };
  const queue = { keys: ['offers'], accepting: true };
  const paused = { ...initialProgress('demo', 'newsletter'), phase: 'held' as const, paused: true };
  const running = { ...initialProgress('demo', 'newsletter'), phase: 'held' as const, paused: false };
  const decision: Decision = {};
  const daily = ['listKey', 'by', 'reason'];
  const all = { status, queue, paused, running, decision };
  const snapshot = () => JSON.parse(JSON.stringify(all)) as unknown;
  return [
    {
      name: 'rerunList',
      fields: daily,
      run: (m) => () => validateRerunList(status, queue, { ...m, listKey: 'newsletter' } as never),
      snapshot,
    },
    { name: 'pauseList', fields: daily, run: (m) => () => validatePauseList(status, { ...m, listKey: 'offers' } as never), snapshot },
    {
      name: 'resumeList',
      fields: daily,
      run: (m) => () => validateResumeList(status, queue, { ...m, listKey: 'promo' } as never),
      snapshot,
    },
    { name: 'pause', fields: ['by', 'reason'], run: (m) => () => validatePause(running, m as never), snapshot },
    { name: 'resume', fields: ['by', 'reason'], run: (m) => () => validateResume(paused, m as never), snapshot },
    {
      name: 'approve',
      fields: ['by', 'reason', 'runId', 'hold'],
      run: (m) => () => validateDecision(running, decision, m as never),
      snapshot,
    },
  ];
}

const refusal = (run: () => void): string | undefined => {
  try {
    run();
    return undefined;
  } catch (error) {
    expect((error as { type?: string }).type).toBe('ActionRefusedError');
    return (error as Error).message;
  }
};

describe('operator Update messages carry only the fields they take', () => {
  it('accepts each validator its own fields (the baseline the refusals below differ from)', () => {
    for (const c of cases())
      expect(refusal(c.run({ by: 'ops', reason: 'why', ...(c.fields.includes('runId') ? { runId: 'run-1' } : {}) }))).toBeUndefined();
  });

  it('refuses a message with any other field, naming it, and changes nothing', () => {
    fc.assert(
      fc.property(fc.nat({ max: 5 }), EXTRA_KEY, EXTRA_VALUE, (which, key, value) => {
        const c = cases()[which] as Case;
        fc.pre(!c.fields.includes(key));
        // As the payload converter hands it over: JSON.parse makes `__proto__` an own field.
        const message = JSON.parse(
          // A function, not a replacement string: a generated value holding $` or $& would be read as a pattern.
          JSON.stringify({ by: 'ops', reason: 'why' }).replace(/}$/, () => `,${JSON.stringify(key)}:${JSON.stringify(value)}}`),
        ) as Record<string, unknown>;
        const before = c.snapshot();
        const refused = refusal(c.run(message));
        expect(refused).toMatch(/^the message has a field it does not take \(.*\): it takes /);
        expect(refused?.length).toBeLessThan(200);
        expect(c.snapshot()).toEqual(before);
      }),
    );
  });

  it('refuses an Update with more than one argument before any other check', () => {
    fc.assert(
      fc.property(fc.array(EXTRA_VALUE, { minLength: 1, maxLength: 3 }), (extra) => {
        const accepted = jest.fn();
        const validator = updateValidator(accepted);
        expect(refusal(() => validator({ by: 'ops' }, ...extra))).toBe(
          `the Update takes one message; ${extra.length + 1} arguments were given`,
        );
        expect(accepted).not.toHaveBeenCalled();
        validator({ by: 'ops' });
        expect(accepted).toHaveBeenCalledWith({ by: 'ops' });
      }),
    );
  });
});
