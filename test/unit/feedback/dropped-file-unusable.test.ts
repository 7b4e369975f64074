import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { FEEDBACK_COLUMNS, type FeedbackColumn } from '../../../src/feedback/feedback-columns';
import { createStateStore } from '../../../src/store';
import { importDroppedFolder, recordingCrm } from '../../helpers/feedback-harness';

// A dropped feedback file that is readable, its header right, and still says nothing true: every row
// rejected (another delimiter in the rows, a blank id, a list id or time in another format), or a
// `feedbackColumns` mapping that swapped two columns (recipient ids read from the list-id column). It
// is quarantined with a reason naming what is wrong, reported, and nothing of it reaches the CRM or the
// suppression ledger; the file stays for the operator, and the same bytes are read again once fixed.

const NOW = Date.parse('2026-11-30T06:00:00.000Z');
const TIMES = ['2026-11-29T10:15:00Z', '2026-11-29T10:15:00.000+00:00', '2026-11-29 11:45:30+01:30'];

const aRow = fc.record({
  recipientId: fc.constantFrom('sent-1@x.test', 'sent-2@x.test', '5001', '5002', 'other@x.test'),
  mailingId: fc.constantFrom('1', '42'),
  timestamp: fc.constantFrom(...TIMES),
  recipientListId: fc.constantFrom('0', '7', '8'),
  category: fc.constantFrom('softbounce', 'hardbounce', ''),
});
type Row = Record<FeedbackColumn, string>;

/** What makes a row unusable: a damaged cell, or cells another delimiter left as one. */
const aDamage = fc.constantFrom('blank_id', 'list_id', 'time', 'delimiter', 'extra_field');

function damaged(row: Row, damage: string, order: readonly FeedbackColumn[]): string {
  const cells = { ...row };
  if (damage === 'blank_id') cells.recipientId = '';
  if (damage === 'list_id') cells.recipientListId = 'list-7';
  if (damage === 'time') cells.timestamp = '29.11.2026 10:15';
  const values = order.map((c) => cells[c]);
  if (damage === 'delimiter') return values.join(';');
  return damage === 'extra_field' ? [...values, 'x'].join(',') : values.join(',');
}

/** One night's import of `text` dropped as `file`: the CRM's events, the ledger's entries, the folder and the report. */
async function night(dir: string, file: string, text: string, client: Record<string, unknown> = {}) {
  const folder = join(dir, 'drop');
  mkdirSync(folder, { recursive: true });
  writeFileSync(join(folder, file), text);
  const store = await createStateStore({ kind: 'sqlite', file: ':memory:' });
  const crm = recordingCrm();
  try {
    const result = await importDroppedFolder({ folder, store, crm, runDir: join(dir, 'run'), runId: 'r1', nowMs: NOW, client });
    let ledger = 0;
    for (const kind of ['unsubscribe', 'bounce'] as const)
      ledger += (await store.suppressions.recipientKeys('acme', { kind, limit: 100 })).length;
    const inside = (sub: string) => (existsSync(join(folder, sub)) ? readdirSync(join(folder, sub)) : []);
    return { events: crm.events.length, ledger, quarantined: inside('quarantine'), processed: inside('processed'), report: result.dropped };
  } finally {
    await store.close();
  }
}

/** More distinct recipient ids never sent (the harness's ledger sent `sent-*`) than sent, and some sent. */
function mostlyUnsent(rows: readonly Row[]): boolean {
  const ids = [...new Set(rows.map((row) => row.recipientId))];
  const sent = ids.filter((id) => id.startsWith('sent-')).length;
  return sent > 0 && ids.length - sent > sent;
}

const ORDER = fc.shuffledSubarray([...FEEDBACK_COLUMNS], { minLength: FEEDBACK_COLUMNS.length });
const KIND = fc.constantFrom('unsubscribes', 'bounces');

describe('a dropped feedback file that says nothing usable', () => {
  let dir: string;
  let n = 0;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), `cs-unusable-${++n}-`))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('is quarantined with its reason when every row is rejected, and nothing of it is applied', async () => {
    await fc.assert(
      fc.asyncProperty(KIND, ORDER, fc.array(fc.tuple(aRow, aDamage), { minLength: 1, maxLength: 6 }), async (kind, order, rows) => {
        const sub = mkdtempSync(join(dir, 'case-'));
        const text = [order.join(','), ...rows.map(([row, damage]) => damaged(row, damage, order))].join('\n') + '\n';
        const file = `${kind}-1.csv`;
        const got = await night(sub, file, text);
        expect({ events: got.events, ledger: got.ledger, processed: got.processed }).toEqual({ events: 0, ledger: 0, processed: [] });
        expect(got.quarantined.sort()).toEqual([file, `${file}.reason.txt`]);
        expect(got.report.quarantined).toEqual([{ name: file, reason: expect.stringMatching(/(every row|may be swapped)/) }]);
        // Nothing lost: the quarantined file holds exactly what was dropped.
        expect(readFileSync(join(sub, 'drop', 'quarantine', file), 'utf8')).toBe(text);
      }),
      { numRuns: 60 },
    );
  });

  it('is quarantined naming feedbackColumns when the mapping swapped two columns, and applied when it did not', async () => {
    const swaps: [FeedbackColumn, FeedbackColumn][] = [
      ['recipientId', 'timestamp'],
      ['recipientId', 'recipientListId'],
      ['recipientListId', 'timestamp'],
    ];
    await fc.assert(
      fc.asyncProperty(
        KIND,
        ORDER,
        fc.array(aRow, { minLength: 1, maxLength: 6 }),
        fc.constantFrom(...swaps),
        fc.boolean(),
        async (kind, order, rows, [a, b], swapped) => {
          const sub = mkdtempSync(join(dir, 'case-'));
          // The job's own names for the two columns; the mapping names them right or swapped.
          const theirs = (c: FeedbackColumn) => (c === a || c === b ? `job-${c}` : c);
          const text = [order.map(theirs).join(','), ...rows.map((row) => order.map((c) => row[c]).join(','))].join('\n') + '\n';
          const feedbackColumns = swapped ? { [a]: `job-${b}`, [b]: `job-${a}` } : { [a]: `job-${a}`, [b]: `job-${b}` };
          const file = `${kind}-1.csv`;
          const got = await night(sub, file, text, { feedbackColumns });
          if (swapped) {
            expect({ events: got.events, ledger: got.ledger, processed: got.processed }).toEqual({ events: 0, ledger: 0, processed: [] });
            expect(got.report.quarantined).toEqual([{ name: file, reason: expect.stringContaining('feedbackColumns.') }]);
          } else if (mostlyUnsent(rows)) {
            // Mapped right, but more of its ids were never sent than were: not applied (dropped-file-swapped-ids.test.ts).
            expect(got.report.quarantined).toEqual([{ name: file, reason: expect.stringMatching(/^most ids in column recipientId/) }]);
          } else {
            expect(got.processed).toEqual([file]);
            expect(got.report.quarantined).toEqual([]);
          }
        },
      ),
      { numRuns: 80 },
    );
  });
});
