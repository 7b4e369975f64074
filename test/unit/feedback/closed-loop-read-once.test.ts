import fc from 'fast-check';
import { OptimizelySessionError } from '../../../src/errors/optimizely-session-error';
import { OptimizelyTransientError } from '../../../src/errors/optimizely-transient-error';
import { closedLoopPages } from '../../../src/feedback/closed-loop-pages';
import { createFakeOptimizely } from '../../helpers/fake-optimizely';

// The client asks a read again within the call (docs/optimizely-client.md, "Reads are asked again
// within the call") and leaves a timeout, a rejected session or an unreadable answer to the activity's
// retry. A second retry around a ClosedLoop page multiplied the tries (up to 9 HTTP requests a page)
// and asked timed-out pages again at once, which the client's rule says not to: a page is read once
// per call of the port here, and a failure goes to the activity.

describe('ClosedLoop pages: the client alone asks a read again', () => {
  it('hands any failure of a page read to the caller after one call of the port', async () => {
    const failures = fc.constantFrom(
      () => new OptimizelyTransientError('Simulated internal error'),
      () => Object.assign(new OptimizelyTransientError('timed out after 60000 ms'), { timedOut: true }),
      () => new OptimizelySessionError('Invalid sessionId'),
    );
    await fc.assert(
      fc.asyncProperty(failures, fc.nat({ max: 2_500 }), async (failure, rows) => {
        const optimizely = createFakeOptimizely();
        optimizely.closedLoopRows.getOutBounces.push(
          ...Array.from({ length: rows }, (_, i) => [`r${i}`, '1', '2026-05-31 00:00:00', '100']),
        );
        const failingPage = Math.floor(rows / 1000);
        let pagesRead = 0;
        const read = async () => {
          for await (const page of closedLoopPages(optimizely, 'getOutBounces', { since: 0, until: 1 })) {
            pagesRead += 1;
            void page;
            if (pagesRead === failingPage) optimizely.failNext('ClosedLoop.getOutBounces', failure());
          }
        };
        if (failingPage === 0) optimizely.failNext('ClosedLoop.getOutBounces', failure());
        await expect(read()).rejects.toBeInstanceOf(Error);
        expect(optimizely.calls.filter((op) => op === 'ClosedLoop.getOutBounces')).toHaveLength(failingPage + 1);
      }),
      { numRuns: 30 },
    );
  });
});
