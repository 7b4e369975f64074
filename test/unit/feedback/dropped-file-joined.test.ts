import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { FEEDBACK_COLUMNS, type FeedbackColumn } from '../../../src/feedback/feedback-columns';
import { createStateStore } from '../../../src/store';
import { importDroppedFolder, recordingCrm } from '../../helpers/feedback-harness';

// Two exports joined into one dropped file (`cat a.csv b.csv`): the second file's header is a line
// among the rows, and its columns may stand in another order. The rows after it were read by the
// first header: a list id read from the mailing-id column, a time from the list-id column; the header
// line itself was a row rejected for its list id. Such a file is not understood as a whole: it is
// quarantined, the reason naming the line, nothing applied. Each file dropped on its own is applied.

const NOW = Date.parse('2026-11-30T06:00:00.000Z');

const aRow = fc.record({
  recipientId: fc.constantFrom('sent-1@x.test', 'sent-2@x.test', 'sent-3@x.test'),
  mailingId: fc.constantFrom('4711', '90001', ''),
  timestamp: fc.constantFrom('2026-11-29T10:15:00Z', '2026-11-29T11:45:30+01:30'),
  recipientListId: fc.constantFrom('0', '7', '8'),
  category: fc.constantFrom('', 'softbounce', 'hardbounce'),
});
type Row = Record<FeedbackColumn, string>;
const ORDER = fc.shuffledSubarray([...FEEDBACK_COLUMNS], { minLength: FEEDBACK_COLUMNS.length });

/** A file's text: its header (as the job writes it) and rows. */
const aPart = fc.record({
  order: ORDER,
  rows: fc.array(aRow, { minLength: 1, maxLength: 4 }),
  spelling: fc.constantFrom<(h: string) => string>(
    (h) => h,
    (h) => h.toUpperCase(),
    (h) => h.toLowerCase(),
    (h) => `\uFEFF${h}`,
    (h) => h.replace(/,/g, ', '),
  ),
});
type Part = { order: FeedbackColumn[]; rows: Row[]; spelling: (h: string) => string };
const text = (part: Part, first: boolean) =>
  [first ? part.order.join(',') : part.spelling(part.order.join(',')), ...part.rows.map((row) => part.order.map((c) => row[c]).join(','))]
    .map((line) => `${line}\n`)
    .join('');

describe('two feedback files joined into one dropped file', () => {
  let dir: string;
  let n = 0;
  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'cs-joined-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is quarantined naming the second header line, nothing applied; the first file alone is applied', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('unsubscribes', 'bounces'), aPart, aPart, fc.boolean(), async (kind, a: Part, b: Part, joined) => {
        const folder = join(dir, `case-${++n}`, 'drop');
        mkdirSync(folder, { recursive: true });
        const file = `${kind}-1.csv`;
        writeFileSync(join(folder, file), joined ? text(a, true) + text(b, false) : text(a, true));
        const store = await createStateStore({ kind: 'sqlite', file: ':memory:' });
        const crm = recordingCrm();
        try {
          const result = await importDroppedFolder({ folder, store, crm, runDir: join(folder, '..', 'run'), runId: 'r1', nowMs: NOW });
          const processed = existsSync(join(folder, 'processed')) ? readdirSync(join(folder, 'processed')) : [];
          if (!joined) {
            expect(processed).toEqual([file]);
            expect(crm.events.length).toBeGreaterThan(0);
            return;
          }
          let ledger = 0;
          for (const k of ['unsubscribe', 'bounce'] as const)
            ledger += (await store.suppressions.recipientKeys('acme', { kind: k, limit: 100 })).length;
          expect({ events: crm.events.length, ledger, processed }).toEqual({ events: 0, ledger: 0, processed: [] });
          const line = a.rows.length + 2;
          expect(result.dropped.quarantined).toEqual([
            { name: file, reason: expect.stringMatching(new RegExp(`^line ${line} holds header names \\(`)) },
          ]);
          expect(readFileSync(join(folder, 'quarantine', file), 'utf8')).toBe(text(a, true) + text(b, false));
        } finally {
          await store.close();
        }
      }),
      { numRuns: 80 },
    );
  });
});
