import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { importFeedback } from '../../../src/feedback/import-feedback';
import { MAX_FEEDBACK_CELL } from '../../../src/feedback/feedback-row';
import { formatClosedLoopTime } from '../../../src/optimizely/api/closed-loop-columns';
import { createStateStore } from '../../../src/store';
import { createFakeOptimizely } from '../../helpers/fake-optimizely';
import { feedbackClient, fakeLedger, recordingCrm } from '../../helpers/feedback-harness';

// A ClosedLoop page may hold a cell of any size (a page may be megabytes). The rows are written to the
// run's own feedback file and read back, and a record over the reader's bound made that whole file
// unreadable: the import failed, on every retry of the same window, and none of the page's good rows
// (opt-outs among them) reached the CRM or the suppression ledger. Whatever a row's cells hold, the
// import must finish and account for every row: the oversized ones rejected, the others applied.

const NOW = Date.parse('2026-11-30T06:00:00.000Z');
const AT = formatClosedLoopTime(NOW - 3_600_000);

/** A cell of a row: ordinary, or oversized by up to 100 KB (quotes and commas too). */
const oversized = fc
  .tuple(fc.integer({ min: MAX_FEEDBACK_CELL + 1, max: 100_000 }), fc.constantFrom('x', '"', ',', '\n', 'é', '='))
  .map(([n, ch]) => ch.repeat(n));

const aRow = fc.record({
  huge: fc.option(fc.tuple(fc.constantFrom(0, 1, 2, 3), oversized), { nil: undefined }),
});

describe('ClosedLoop rows with oversized cells', () => {
  let dir: string;
  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'cs-huge-cells-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('are rejected one by one as value_too_long; the import finishes and applies every other row', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(aRow, { minLength: 1, maxLength: 8 }), async (rows) => {
        const store = await createStateStore({ kind: 'sqlite', file: ':memory:' });
        try {
          const optimizely = createFakeOptimizely();
          optimizely.now = NOW;
          rows.forEach(({ huge }, i) => {
            const cells = [`sent-${i}@x.test`, '', AT, '7'];
            if (huge) cells[huge[0]] = huge[1];
            optimizely.closedLoopRows.getUnsubscribes.push(cells);
          });
          const crm = recordingCrm();
          const result = await importFeedback({
            client: feedbackClient(),
            optimizely,
            store: { ...store, ledger: fakeLedger() },
            crm,
            runDir: join(dir, `run-${++run}`),
            runId: `r${run}`,
            now: () => new Date(NOW),
          });
          const hugeRows = rows.filter((r) => r.huge).length;
          expect(result.unsubscribes).toMatchObject({ rows: rows.length, applied: rows.length - hugeRows });
          expect(result.unsubscribes.rejected.value_too_long).toBe(hugeRows);
          const applied = crm.events.map((e) => e.recipientId).sort();
          expect(applied).toEqual(rows.flatMap((r, i) => (r.huge ? [] : [`sent-${i}@x.test`])).sort());
        } finally {
          await store.close();
        }
      }),
      { numRuns: 30 },
    );
  });
});
