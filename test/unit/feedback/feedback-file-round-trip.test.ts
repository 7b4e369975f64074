import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { readFeedbackFile, writeFeedbackFile, type FeedbackFileRow } from '../../../src/feedback/feedback-file';

// bounces.csv and unsubscribes.csv are written from ClosedLoop rows and read back: whatever a
// recipient id holds (formula characters, quotes, separators, line breaks, padding), the row read
// back is the row Optimizely sent, or it is rejected with a reason; never another recipient.

const NOW = Date.parse('2026-11-30T06:00:00Z');
const text = fc.string({
  maxLength: 12,
  unit: fc.constantFrom('a', '@', '=', '+', '-', "'", '"', ',', ' ', '\t', '\n', '\r', '＝', 'é', '.'),
});

describe('feedback files we write', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cs-feedback-trip-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  let n = 0;

  it('read back every row as written', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            recipientId: text,
            mailingId: text,
            category: text,
            listId: fc.nat(1000),
            ms: fc.integer({ min: Date.UTC(2020, 0, 1), max: NOW }),
          }),
          { maxLength: 20 },
        ),
        async (rows) => {
          const file = join(dir, `f-${++n}.csv`);
          const written: FeedbackFileRow[] = rows.map((r) => ({
            recipientId: r.recipientId,
            mailingId: r.mailingId,
            timestamp: new Date(r.ms).toISOString().replace('Z', '+00:00'),
            recipientListId: String(r.listId),
            category: r.category,
          }));
          await writeFeedbackFile(
            file,
            (async function* () {
              yield written;
            })(),
          );
          const read = [];
          for await (const line of readFeedbackFile(file, { nowMs: NOW, formulaEscaped: true })) read.push(line);
          expect(read).toHaveLength(rows.length);
          read.forEach((line, i) => {
            const r = rows[i]!;
            if (r.recipientId.trim() === '') expect(line).toMatchObject({ ok: false, reason: 'missing_recipient_id' });
            else
              expect(line).toMatchObject({
                ok: true,
                row: { recipientId: r.recipientId.trim(), listId: r.listId, occurredAt: new Date(r.ms).toISOString() },
              });
          });
        },
      ),
      { numRuns: 200 },
    );
  });
});
