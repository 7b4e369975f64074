import { mkdtempSync, readdirSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import fc from 'fast-check';
import { writeFeedbackFile, type FeedbackFileRow } from '../../../src/feedback/feedback-file';

// writeFeedbackFile streams ClosedLoop pages into the run's CSV file. A page that failed (a fault, or
// the activity's cancellation, which 9c04131 made a routine way for the fetch to end) left the file's
// write stream open: its descriptor stayed open for the life of the worker, one per failed fetch, and
// rows still buffered could be written after the retry had opened the file again. Now the stream is
// closed before the failure is passed on.

/** Descriptors of this process open on `path` (Linux: /proc/self/fd). */
function openOn(path: string): number {
  let n = 0;
  for (const fd of readdirSync('/proc/self/fd')) {
    try {
      if (readlinkSync(join('/proc/self/fd', fd)) === path) n += 1;
    } catch {
      // Closed meanwhile (the descriptor readdir itself used).
    }
  }
  return n;
}

const row = (i: number): FeedbackFileRow =>
  ({
    recipientId: `p${i}@example.test`,
    mailingId: 'm1',
    timestamp: '2026-11-30 05:00:00',
    recipientListId: '0',
    category: 'hard',
  }) as unknown as FeedbackFileRow;

describe('a ClosedLoop fetch that fails part-way', () => {
  it('leaves no descriptor open on the file it was writing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cs-failed-fetch-'));
    try {
      await fc.assert(
        fc.asyncProperty(fc.array(fc.integer({ min: 0, max: 1000 }), { maxLength: 4 }), async (pageSizes) => {
          const path = join(dir, 'bounces.csv');
          async function* pages(): AsyncIterable<FeedbackFileRow[]> {
            for (const size of pageSizes) yield Array.from({ length: size }, (_, i) => row(i));
            throw new Error('page failed');
          }
          await expect(writeFeedbackFile(path, pages())).rejects.toThrow('page failed');
          // Whatever was still on its way (the open, buffered rows) has had its turn.
          await sleep(20);
          expect(openOn(path)).toBe(0);
        }),
        { numRuns: 30 },
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
