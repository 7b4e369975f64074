import fc from 'fast-check';
import { feedbackSummaryLines } from '../../../src/cli/feedback-summary-lines';
import { emptyTally } from '../../../src/feedback/apply-feedback-file';
import { droppedCounts } from '../../../src/feedback/bounded-dropped-report';
import { feedbackOutput } from '../../../src/feedback/feedback-output';
import type { DroppedFilesReport } from '../../../src/feedback/import-dropped-files';

// Thousands of files dropped in a night (one per mailing, a backlog): every name, every reason and a
// path per processed copy went into the activity's result, i.e. the workflow history and the daily
// status, past Temporal's 2 MB limit on a result. The result stays small whatever the folder held,
// and still counts every file.

/** Temporal refuses a result over 2 MB and warns from 512 KB; the import's result stays well below. */
const RESULT_BOUND = 256 * 1024;

const aName = fc.integer({ min: 1, max: 250 }).map((n) => `unsubscribes-${'x'.repeat(n)}.csv`);
const names = (max: number) => fc.integer({ min: 0, max }).chain((n) => fc.array(aName, { minLength: n, maxLength: n }));

describe('the feedback import result of a folder of many files', () => {
  it('stays under a fixed size and counts every file, processed, seen before, quarantined or still written', () => {
    fc.assert(
      fc.property(names(3000), names(1000), names(2000), names(500), (processed, duplicates, quarantinedNames, changing) => {
        const reason = 'most ids in column recipientId (400 of 700 distinct) were never sent by any run'.repeat(3);
        const dropped: DroppedFilesReport = {
          processed,
          duplicates,
          quarantined: quarantinedNames.map((name) => ({ name, reason })),
          changing,
        };
        const files = [
          '/data/runs/acme/r1/bounces.csv',
          '/data/runs/acme/r1/unsubscribes.csv',
          ...processed.map((n) => `/data/runs/acme/r1/dropped-${n}`),
        ];
        const output = feedbackOutput({
          bounces: emptyTally(),
          unsubscribes: emptyTally(),
          dropped,
          watermark: '2026-12-01T00:00:00.000Z',
          files,
        });
        expect(Buffer.byteLength(JSON.stringify(output))).toBeLessThan(RESULT_BOUND);
        expect(droppedCounts(output.dropped)).toEqual({
          processed: processed.length,
          duplicates: duplicates.length,
          quarantined: quarantinedNames.length,
          changing: changing.length,
        });
        expect(output.dropped?.quarantined.map((q) => q.name)).toEqual(quarantinedNames.slice(0, output.dropped?.quarantined.length));
        const summary = feedbackSummaryLines(output).join('\n');
        if (processed.length + duplicates.length + quarantinedNames.length + changing.length > 0)
          expect(summary).toContain(
            `${processed.length} processed, ${duplicates.length} seen before (skipped), ${quarantinedNames.length} quarantined`,
          );
      }),
      { numRuns: 25 },
    );
  });

  it('reads a result from before the lists were bounded by the lengths of its lists', () => {
    expect(
      droppedCounts({
        processed: ['a'],
        duplicates: [],
        quarantined: [
          { name: 'b', reason: 'r' },
          { name: 'c', reason: 'r' },
        ],
      }),
    ).toEqual({
      processed: 1,
      duplicates: 0,
      quarantined: 2,
      changing: 0,
    });
  });
});
