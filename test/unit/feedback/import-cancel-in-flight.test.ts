import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { CLOSED_LOOP_GETTERS, formatClosedLoopTime } from '../../../src/optimizely/api/closed-loop-columns';
import type { CallOptions, OptimizelyPort } from '../../../src/optimizely/client/optimizely-port';
import { importFeedback } from '../../../src/feedback/import-feedback';
import { createStateStore } from '../../../src/store';
import { feedbackClient, recordingCrm } from '../../helpers/feedback-harness';
import { createFakeOptimizely } from '../../helpers/fake-optimizely';

// The feedback import stops on the activity's cancellation (9c04131), but it checked only between its
// ClosedLoop calls: a page or the server-time call in flight when the cancel came was waited out, up
// to the client's call timeout (60 s) and its own retries of a read, while the retry of a timed-out
// attempt was already running. The calls now carry the signal, so the client gives up on them at once.
// Here one ClosedLoop call of the fetch (any of them) answers only after a long delay, or when its
// signal aborts; the cancel comes while it is in flight: the import ends before that call would have
// answered.

const NOW = Date.parse('2026-11-30T06:00:00.000Z');
const SLOW_MS = 1500;

const scenario = fc.record({
  bounces: fc.integer({ min: 0, max: 2500 }),
  unsubscribes: fc.integer({ min: 0, max: 1200 }),
  // Which ClosedLoop call (getCurrentTime first, then the pages) is slow and cancelled in flight.
  slowCall: fc.integer({ min: 1, max: 8 }),
});

describe('the feedback import cancelled while a ClosedLoop call is in flight', () => {
  it('ends without waiting for that call to answer', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async ({ bounces, unsubscribes, slowCall }) => {
        const dir = mkdtempSync(join(tmpdir(), 'cs-cancel-in-flight-'));
        const store = await createStateStore({ kind: 'sqlite', file: ':memory:' });
        const fake = createFakeOptimizely();
        fake.now = NOW;
        const at = (n: number) => formatClosedLoopTime(NOW - (n + 1) * 60_000);
        for (let n = 0; n < bounces; n += 1) fake.closedLoopRows.getOutBounces.push([`p${n}@example.test`, 'm1', at(n), '0', 'hard']);
        for (let n = 0; n < unsubscribes; n += 1) fake.closedLoopRows.getUnsubscribes.push([`p${n}@example.test`, 'm1', at(n), '7']);
        const controller = new AbortController();
        let calls = 0;
        const state = { slowAnswered: false, slowStarted: false };
        const slowly = <T>(answer: () => Promise<T>, options?: CallOptions): Promise<T> => {
          calls += 1;
          if (calls !== slowCall) return answer();
          state.slowStarted = true;
          // The cancel comes while the call is in flight.
          setTimeout(() => controller.abort(new Error('activity cancelled')), 10);
          return new Promise<T>((resolve, reject) => {
            const timer = setTimeout(() => {
              state.slowAnswered = true;
              resolve(answer());
            }, SLOW_MS);
            options?.signal?.addEventListener('abort', () => {
              clearTimeout(timer);
              reject(options.signal?.reason);
            });
          });
        };
        const closedLoop = Object.fromEntries([
          ['getCurrentTime', (options?: CallOptions) => slowly(() => fake.closedLoop.getCurrentTime(), options)],
          ...CLOSED_LOOP_GETTERS.map((getter) => [
            getter,
            (input: Parameters<OptimizelyPort['closedLoop']['getOutBounces']>[0], options?: CallOptions) =>
              slowly(() => fake.closedLoop[getter](input), options),
          ]),
        ]) as unknown as OptimizelyPort['closedLoop'];
        try {
          const outcome = await importFeedback({
            client: feedbackClient(),
            optimizely: { ...fake, closedLoop } as unknown as OptimizelyPort,
            store,
            crm: recordingCrm(),
            runDir: join(dir, 'run'),
            runId: 'daily:acme:night-1',
            now: () => new Date(NOW),
            invocation: 'wf/1',
            signal: controller.signal,
          }).then(
            () => 'finished',
            () => 'stopped',
          );
          // Fewer calls than the slow one's number: the fetch ended first, nothing to see.
          if (!state.slowStarted) return;
          expect({ outcome, slowAnswered: state.slowAnswered }).toEqual({ outcome: 'stopped', slowAnswered: false });
        } finally {
          await store.close();
          rmSync(dir, { recursive: true, force: true });
        }
      }),
      { numRuns: 25 },
    );
  });
});
