import fc from 'fast-check';
import { inFlightLimit } from '../../../src/sync/in-flight-limit';

/** Every promise reaction queued so far has run: a caller still not done is waiting on a task. */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

const draw = fc.record({
  limit: fc.integer({ min: 1, max: 5 }),
  /** Per task: whether it rejects. */
  rejects: fc.array(fc.boolean(), { maxLength: 12 }),
  /** Before which task the caller itself fails (a read that failed), if any. */
  outsideFailureBefore: fc.option(fc.nat({ max: 12 }), { nil: undefined }),
  /** Room asked before each start (the unsubscribe count) or after it (the refill chunk). */
  roomFirst: fc.boolean(),
  /** Which task in flight finishes next, drawn anew each time. */
  picks: fc.array(fc.nat(), { minLength: 1, maxLength: 30 }),
});

describe('inFlightLimit', () => {
  it('keeps exactly the limit in flight while tasks remain, waits for all of them and throws the first failure', async () => {
    await fc.assert(
      fc.asyncProperty(draw, async ({ limit, rejects, outsideFailureBefore, roomFirst, picks }) => {
        const tasks = inFlightLimit(limit);
        const waiting: Array<() => void> = [];
        const failures: Error[] = [];
        let running = 0;
        // Where the caller is; set from its closures, so the type is asserted to keep TS from narrowing it.
        let phase = 'starting' as 'starting' | 'room' | 'idle' | 'done';
        const start = (i: number) => {
          running += 1;
          const finished = new Promise<void>((resolve) => waiting.push(resolve));
          tasks.add(
            finished.then(() => {
              running -= 1;
              if (!rejects[i]) return;
              failures.push(new Error(`task ${i}`));
              throw failures.at(-1);
            }),
          );
        };
        const room = async () => {
          phase = 'room';
          await tasks.room();
          phase = 'starting';
        };
        const caller = (async () => {
          for (let i = 0; i < rejects.length && !tasks.failed; i += 1) {
            if (i === outsideFailureBefore) {
              failures.push(new Error(`outside before ${i}`));
              tasks.fail(failures.at(-1));
              break;
            }
            if (roomFirst) await room();
            if (roomFirst && tasks.failed) break;
            start(i);
            if (!roomFirst) await room();
          }
          phase = 'idle';
          await tasks.idle();
          phase = 'done';
        })();
        for (let step = 0; ; step += 1) {
          await settle();
          expect(tasks.failed).toBe(failures.length > 0);
          expect(running).toBeLessThanOrEqual(limit);
          if (phase === 'done') break;
          // Waiting for room only when the limit is reached; waiting for idle only on tasks in flight.
          if (phase === 'room') expect(running).toBe(limit);
          expect(phase === 'room' || phase === 'idle').toBe(true);
          expect(waiting.length).toBeGreaterThan(0);
          const [finish] = waiting.splice(picks[step % picks.length]! % waiting.length, 1);
          finish!();
        }
        await caller;
        expect(running).toBe(0);
        if (failures.length === 0) expect(() => tasks.throwIfFailed()).not.toThrow();
        else expect(() => tasks.throwIfFailed()).toThrow(failures[0]);
      }),
      { numRuns: 300 },
    );
  });

  it('keeps a rejection with undefined as a failure', async () => {
    const tasks = inFlightLimit(2);
    tasks.add(Promise.reject(undefined));
    await tasks.idle();
    expect(tasks.failed).toBe(true);
  });
});
