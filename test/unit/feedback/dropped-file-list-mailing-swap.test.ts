import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { FEEDBACK_COLUMNS, type FeedbackColumn } from '../../../src/feedback/feedback-columns';
import { createStateStore } from '../../../src/store';
import { importDroppedFolder, recordingCrm } from '../../helpers/feedback-harness';

// The list-id and mailing-id columns of a dropped file swapped, by the export job's header or by a
// `feedbackColumns` mapping: both hold integers, so no row was rejected and no doubt was raised. Every
// unsubscribe was read as one from the mailing's id, a list nobody synchronises: counted "never sent",
// the file moved to processed/, the opt-outs lost. Now such a file is quarantined, nothing of it
// applied; the same file with its columns where they belong is applied as it says.

const NOW = Date.parse('2026-11-30T06:00:00.000Z');

const aRow = fc.record({
  recipientId: fc.constantFrom('sent-1@x.test', 'sent-2@x.test', 'sent-3@x.test'),
  // Optimizely's mailing ids; an unsubscribe without a mailing has none.
  mailingId: fc.constantFrom('4711', '90001', '123456789', ''),
  timestamp: fc.constantFrom('2026-11-29T10:15:00Z', '2026-11-29T11:45:30+01:30'),
  recipientListId: fc.constantFrom('0', '7', '8'),
  category: fc.constantFrom('', 'softbounce', 'hardbounce'),
});
type Row = Record<FeedbackColumn, string>;

/** How the two columns came to be swapped, or not. */
const SWAP = fc.constantFrom('none', 'header', 'mapping');
const ORDER = fc.shuffledSubarray([...FEEDBACK_COLUMNS], { minLength: FEEDBACK_COLUMNS.length });
const swapped = (c: FeedbackColumn): FeedbackColumn => (c === 'mailingId' ? 'recipientListId' : c === 'recipientListId' ? 'mailingId' : c);

describe('a dropped file whose list-id and mailing-id columns are swapped', () => {
  let dir: string;
  let n = 0;
  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'cs-list-mailing-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is quarantined with nothing applied when a row names a list of the client; with the columns right it is applied', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('unsubscribes', 'bounces'),
        ORDER,
        fc.array(aRow, { minLength: 1, maxLength: 8 }),
        SWAP,
        async (kind, order, rows: Row[], swap) => {
          const folder = join(dir, `case-${++n}`, 'drop');
          mkdirSync(folder, { recursive: true });
          // 'header': the job writes each column's values under the other's name. 'mapping': the job
          // names them `list` and `mailing`, and feedbackColumns maps them the wrong way round.
          const named = (c: FeedbackColumn) => (swap === 'header' ? swapped(c) : swap === 'mapping' && c === 'mailingId' ? 'mailing' : c);
          const header = order.map((c) => (swap === 'mapping' && c === 'recipientListId' ? 'list' : named(c)));
          const client = swap === 'mapping' ? { feedbackColumns: { recipientListId: 'mailing', mailingId: 'list' } } : {};
          const file = `${kind}-1.csv`;
          writeFileSync(join(folder, file), [header.join(','), ...rows.map((row) => order.map((c) => row[c]).join(','))].join('\n') + '\n');
          const store = await createStateStore({ kind: 'sqlite', file: ':memory:' });
          const crm = recordingCrm();
          try {
            const result = await importDroppedFolder({
              folder,
              store,
              crm,
              runDir: join(folder, '..', 'run'),
              runId: 'r1',
              nowMs: NOW,
              client,
            });
            const ledger = (await store.suppressions.recipientKeys('acme', { kind: 'unsubscribe', limit: 100 })).length;
            const bounced = (await store.suppressions.recipientKeys('acme', { kind: 'bounce', limit: 100 })).length;
            const processed = existsSync(join(folder, 'processed')) ? readdirSync(join(folder, 'processed')) : [];
            if (swap === 'none') {
              expect(processed).toEqual([file]);
              // Each unsubscribe withdraws the consent of the list it names (11: list 7, 12: list 8), both for 0.
              const expected =
                kind === 'bounces'
                  ? rows.map((r) => `bounce:C-${r.recipientId}`)
                  : rows.flatMap((r) =>
                      (r.recipientListId === '0' ? ['11', '12'] : [r.recipientListId === '7' ? '11' : '12']).map(
                        (optIn) => `unsubscribe:C-${r.recipientId}:${optIn}`,
                      ),
                    );
              const got = crm.events.map((e) => (e.kind === 'bounce' ? `bounce:${e.entityId}` : `unsubscribe:${e.entityId}:${e.optInId}`));
              expect(new Set(got)).toEqual(new Set(expected));
              return;
            }
            if (!rows.some((r) => r.recipientListId !== '0')) return;
            expect({ events: crm.events.length, ledger, bounced, processed }).toEqual({ events: 0, ledger: 0, bounced: 0, processed: [] });
            expect(result.dropped.quarantined).toEqual([
              { name: file, reason: expect.stringMatching(/(recipientListId.*mailingId column names its configured lists|^every row)/) },
            ]);
          } finally {
            await store.close();
          }
        },
      ),
      { numRuns: 120 },
    );
  });
});
