import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { FeedbackFileUnreadableError } from '../../../src/errors/feedback-file-unreadable-error';
import { FEEDBACK_COLUMNS } from '../../../src/feedback/feedback-columns';
import { inspectFeedbackFile } from '../../../src/feedback/feedback-file';

// Why a feedback file is unreadable is kept in the state store, in the activity's result (the
// workflow history) and in the log, so it must name lines, columns and our own column names, never
// a cell of the file: a file without a header starts with a data row (recipient ids, addresses),
// and the CSV parser's own messages quote the field it stopped in.

const NOW = Date.parse('2026-11-30T06:00:00Z');
const HEADER = FEEDBACK_COLUMNS.join(',');

/** A recipient value with a digit (our column names have none), so finding it in a reason is a leak. */
const token = fc.stringMatching(/^[a-z0-9]{6,12}$/).filter((t) => /\d/.test(t));
const secretOf = fc.constantFrom(
  (t: string) => t,
  (t: string) => `${t}@example.org`,
  (t: string) => `Jane ${t}`,
  (t: string) => `CRM-${t}`,
);
const dataRow = (secret: string) => `${secret},4711,2026-11-01T10:00:00Z,100,hard`;
/** Files that cannot be read as a whole, each with the secret where the trouble is. */
const layouts: Array<(secret: string) => string> = [
  (s) => `${dataRow(s)}\n${dataRow(s)}\n`,
  (s) => `${HEADER.replace('recipientListId', s)}\n`,
  (s) => `${s},${s},timestamp,recipientListId,category\n`,
  (s) => `${HEADER},${s}\n`,
  (s) => `${HEADER}\nab"${s},1,2,3,4\n`,
  (s) => `${HEADER}\n"${s}"x,1,2,3,4\n`,
  (s) => `${HEADER}\n1,2,3,4,"${s}\n`,
  (s) => `\uFEFF${dataRow(s)}\r\n`,
];

describe('reasons for an unreadable feedback file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cs-feedback-reasons-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  let n = 0;

  it('name lines and columns but never quote a cell of the file', async () => {
    await fc.assert(
      fc.asyncProperty(
        token,
        secretOf,
        fc.constantFrom(...layouts.keys()),
        fc.string({ maxLength: 20 }),
        async (t, secretFrom, layout, noise) => {
          const file = join(dir, `f-${++n}.csv`);
          const text = (layouts[layout] as (s: string) => string)(secretFrom(t));
          writeFileSync(file, layout === 0 ? `${text}${noise.replace(/\n/g, '')}\n` : text);
          const error = await inspectFeedbackFile(file, { nowMs: NOW }).catch((e: unknown) => e);
          expect(error).toBeInstanceOf(FeedbackFileUnreadableError);
          expect((error as FeedbackFileUnreadableError).reason).not.toContain(t);
          expect((error as Error).message).not.toContain(t);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('quotes a header that is our column name written another way, and only a column number for anything else', async () => {
    const file = join(dir, 'renamed.csv');
    writeFileSync(file, `${HEADER.replace('recipientListId', 'listId').replace('category', 'jane@example.org')}\n`);
    const error = (await inspectFeedbackFile(file, { nowMs: NOW }).catch((e: unknown) => e)) as FeedbackFileUnreadableError;
    expect(error.reason).toBe(
      'header is not recipientId,mailingId,timestamp,recipientListId,category: missing "recipientListId", "category"; unexpected "listId", column 5',
    );
  });

  it('names the line and the parser code of a broken quote, without the field', async () => {
    const file = join(dir, 'quote.csv');
    writeFileSync(file, `${HEADER}\nab"jane@example.org,1,2,3,4\n`);
    const error = (await inspectFeedbackFile(file, { nowMs: NOW }).catch((e: unknown) => e)) as FeedbackFileUnreadableError;
    expect(error.reason).toBe('not readable as CSV (INVALID_OPENING_QUOTE) at line 2');
  });
});
