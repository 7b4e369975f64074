import fc from 'fast-check';
import type { FeedbackEvent, ResponseEvent } from '../../../src/crm/crm-port';
import { applyEventBatch } from '../../../src/crm/sql/apply-sql-events';
import type { SqlExecutor } from '../../../src/crm/sql/sql-executor';

// The SQLite CRM answers its statements synchronously, PostgreSQL's with promises (SqlExecutor's
// MaybePromise). Whichever way each statement answers, the batch must run the same statements in the
// same order, give the same outcomes, and fail with the first statement that failed, running nothing
// after it: an error swallowed or a write reordered would lose an opt-out or apply one twice.

type Mode = 'value' | 'promise' | 'throw' | 'reject';
type Answer = { changed: number; exists: boolean; campaign: boolean };

const feedbackArb: fc.Arbitrary<FeedbackEvent> = fc.record({
  kind: fc.constantFrom('bounce' as const, 'unsubscribe' as const),
  recipientId: fc.constantFrom('a', 'b', 'c'),
  entityType: fc.constant('contact'),
  entityId: fc.constantFrom('1', '2', '3'),
  optInId: fc.constant('11'),
  mediaType: fc.constant('email'),
  occurredAt: fc.constant('2026-12-01T00:00:00Z'),
});
const responseArb: fc.Arbitrary<ResponseEvent> = fc.record({
  kind: fc.constantFrom('open' as const, 'click' as const),
  mailingId: fc.constantFrom('m1', 'm2'),
  recipientId: fc.constantFrom('a', 'b'),
  entityType: fc.constant('contact'),
  entityId: fc.constantFrom('1', '2'),
  occurredAt: fc.constant('2026-12-01T00:00:00Z'),
});
const answerArb: fc.Arbitrary<Answer> = fc.record({ changed: fc.nat({ max: 2 }), exists: fc.boolean(), campaign: fc.boolean() });

/** An executor answering call n with answers[n] in modes[n] (cycled), logging each statement it starts. */
function executor(modes: readonly Mode[], answers: readonly Answer[], log: string[]): SqlExecutor {
  const answerOf = <T>(n: number, value: T): T | Promise<T> => {
    const mode = modes[n % modes.length] as Mode;
    if (mode === 'throw') throw new Error(`statement ${n} failed`);
    if (mode === 'reject') return Promise.reject(new Error(`statement ${n} failed`));
    return mode === 'promise' ? Promise.resolve(value) : value;
  };
  const next = (name: string, params: Readonly<Record<string, unknown>>) => {
    log.push(`${name}:${String(params['recipientId'] ?? params['mailingId'])}`);
    return log.length - 1;
  };
  return {
    run: (name, params) => {
      const n = next(name, params);
      return answerOf(n, (answers[n % answers.length] as Answer).changed);
    },
    get: (name, params) => {
      const n = next(name, params);
      const answer = answers[n % answers.length] as Answer;
      const row =
        name === 'campaignForMailing' ? (answer.campaign ? { campaign_id: 'C' } : undefined) : answer.exists ? { one: 1 } : undefined;
      return answerOf(n, row);
    },
  };
}

describe('applyEventBatch over an executor answering synchronously, with promises, or both', () => {
  it('runs the same statements in the same order with the same outcomes, and stops at the first failure with its error', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(feedbackArb, { maxLength: 6 }),
        fc.array(responseArb, { maxLength: 6 }),
        fc.array(fc.constantFrom<Mode>('value', 'promise', 'throw', 'reject'), { minLength: 1, maxLength: 30 }),
        fc.array(answerArb, { minLength: 1, maxLength: 30 }),
        async (feedback, responses, modes, answers) => {
          const batch = { feedback, responses };
          const expectedLog: string[] = [];
          const asyncModes = modes.map((mode): Mode => (mode === 'value' ? 'promise' : mode === 'throw' ? 'reject' : mode));
          const expected = await applyEventBatch(executor(asyncModes, answers, expectedLog), batch).then(
            (results) => ({ results }),
            (error: Error) => ({ error: error.message }),
          );
          const log: string[] = [];
          const actual = await applyEventBatch(executor(modes, answers, log), batch).then(
            (results) => ({ results }),
            (error: Error) => ({ error: error.message }),
          );
          expect(actual).toEqual(expected);
          expect(log).toEqual(expectedLog);
          const failing = (n: number) => ['throw', 'reject'].includes(modes[n % modes.length] as Mode);
          if ('error' in actual) expect(actual.error).toBe(`statement ${log.length - 1} failed`);
          else expect(log.some((_, n) => failing(n))).toBe(false);
        },
      ),
      { numRuns: 300 },
    );
  });
});
