import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import type { FeedbackEvent } from '../../../src/crm/crm-port';
import { FEEDBACK_COLUMNS } from '../../../src/feedback/feedback-columns';
import { createStateStore } from '../../../src/store';
import type { StateStore } from '../../../src/store/state-store';
import { importDroppedFolder, recordingCrm } from '../../helpers/feedback-harness';

// A dropped feedback file whose last line is cut short and stays so (an export job that stopped
// writing, a transfer that broke off): its size no longer changes, so nothing tells it from a finished
// file but the missing line break. The columns come in any order, so the cut may fall in a recipient
// id (`sent-12@x.test` read as `sent-1`), a list id (`78` read as `7`), a time or a bounce category
// (`softbounce` read as `soft`, a hard bounce). Whatever the cut, the import applies and ledgers only
// events the whole file names: nothing the cut line would name as something else.

const NOW = Date.parse('2026-11-30T06:00:00.000Z');
const LIST_IDS = ['0', '7', '8', '78', '70', '80'];
const TIMES = ['2026-11-29T10:15:00Z', '2026-11-29T10:15:00.000+00:00', '2026-11-29 11:45:30+01:30', '2026-11-29T10:15:00.123Z'];
const CATEGORIES = ['softbounce', 'hardbounce', 'soft bounce', ''];

const aRow = fc.record({
  recipient: fc.constantFrom('sent-1@x.test', 'sent-12@x.test', 'sent-123@x.test', 'other@x.test'),
  mailingId: fc.constantFrom('1', '42'),
  timestamp: fc.constantFrom(...TIMES),
  recipientListId: fc.constantFrom(...LIST_IDS),
  category: fc.constantFrom(...CATEGORIES),
});

const aDrop = fc.record({
  kind: fc.constantFrom('unsubscribes', 'bounces'),
  order: fc.shuffledSubarray([...FEEDBACK_COLUMNS], { minLength: FEEDBACK_COLUMNS.length }),
  rows: fc.array(aRow, { minLength: 1, maxLength: 4 }),
  eol: fc.constantFrom('\n', '\r\n'),
  cut: fc.nat(),
});

type Row = { recipient: string; mailingId: string; timestamp: string; recipientListId: string; category: string };
const cellOf = (row: Row, column: (typeof FEEDBACK_COLUMNS)[number]): string => (column === 'recipientId' ? row.recipient : row[column]);

/** One night's import of a folder holding `file` with `text`: the CRM's events and the ledger's entries. */
async function night(dir: string, name: string, file: string, text: string): Promise<{ events: FeedbackEvent[]; ledger: string[] }> {
  const folder = join(dir, `drop-${name}`);
  mkdirSync(folder, { recursive: true });
  writeFileSync(join(folder, file), text);
  const store: StateStore = await createStateStore({ kind: 'sqlite', file: ':memory:' });
  const crm = recordingCrm();
  try {
    await importDroppedFolder({ folder, store, crm, runDir: join(dir, `run-${name}`), runId: name, nowMs: NOW });
    const ledger: string[] = [];
    for (const kind of ['unsubscribe', 'bounce'] as const) {
      for (const key of await store.suppressions.recipientKeys('acme', { kind, limit: 100 })) {
        for (const e of await store.suppressions.events('acme', key))
          ledger.push(`${e.kind}:${e.recipientKey}:${e.listId}:${e.occurredAt}`);
      }
    }
    return { events: crm.events, ledger: [...new Set(ledger)] };
  } finally {
    await store.close();
  }
}

describe('a dropped feedback file whose last line is cut short', () => {
  let dir: string;
  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'cs-cut-last-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('applies and ledgers only what the whole file names, wherever the cut falls and whatever the column order', async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(aDrop, async ({ kind, order, rows, eol, cut }) => {
        const lines = [order.join(','), ...rows.map((row) => order.map((c) => cellOf(row, c)).join(','))];
        const whole = lines.join(eol);
        const lastStart = whole.length - (lines[lines.length - 1] as string).length;
        // Cut anywhere in the last line, from its first character to its end (a line not ended by a break).
        const cutText = whole.slice(0, lastStart + 1 + (cut % (whole.length - lastStart)));
        const file = `${kind}-1.csv`;
        const full = await night(dir, `full-${++n}`, file, whole + eol);
        const partial = await night(dir, `cut-${n}`, file, cutText);
        const fullEvents = new Set(full.events.map((e) => JSON.stringify(e)));
        expect(partial.events.map((e) => JSON.stringify(e)).filter((e) => !fullEvents.has(e))).toEqual([]);
        expect(partial.ledger.filter((entry) => !full.ledger.includes(entry))).toEqual([]);
      }),
      { numRuns: 120 },
    );
  });
});
