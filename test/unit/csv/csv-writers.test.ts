import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { crmConfigSchema, type CsvFormat } from '../../../src/crm/crm-config';
import { writeExchangeFileNamed } from '../../../src/crm/csv/write-exchange-file';
import { escapeFormulaCell } from '../../../src/csv/formula-cells';
import { FEEDBACK_COLUMNS, writeFeedbackFile } from '../../../src/feedback/feedback-file';
import { RejectLog } from '../../../src/feedback/reject-log';
import { writeLedgerCsv, LEDGER_CSV_COLUMNS } from '../../../src/cli/ledger-csv';
import { diffCsvWriter } from '../../../src/plan/diff-csv';
import type { StateStore } from '../../../src/store/state-store';
import { anExcluded } from '../../helpers/store-builders';
import { hostileText } from '../../helpers/hostile-text';

// Every CSV file campaign-sync writes, in one property: cells from outside (ids, URLs, names, fault
// texts) holding delimiters, quotes, line breaks, controls or formulas. Each file must read back, with
// the format it was written in, as exactly the cells written (formula cells with their escape), and no
// cell may start a formula. The exchange outbox is written in the CRM's configured format: every
// format the configuration accepts must be one a cell cannot break (a delimiter of `"` or a line
// break was accepted and wrote files that read back as other cells, or not at all).

const FORMULA_LEAD = /^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/;
/** What UTF-8 can carry: a lone surrogate is written as U+FFFD by any writer. */
const utf8 = (text: string) => Buffer.from(text, 'utf8').toString('utf8');
const written = (cell: string) => utf8(escapeFormulaCell(cell));

const aFormat = fc
  .record({
    delimiter: fc.constantFrom(',', ';', '\t', '|', ';;', ', ', '"', "'", '\\', '\n', '\r\n', ';\n', 'x"'),
    encoding: fc.constantFrom('utf8', 'latin1'),
    bom: fc.boolean(),
    quote: fc.constantFrom('"', "'", '\n'),
    escape: fc.constantFrom('"', '\\', "'", '\r'),
  })
  .map((format) => crmConfigSchema.safeParse({ kind: 'csv', lists: {}, outbox: 'o', format }))
  .filter((parsed) => parsed.success)
  .map((parsed) => (parsed.data as { format: CsvFormat }).format);

const latin1Only = (text: string) => [...text].filter((ch) => (ch.codePointAt(0) ?? 0) <= 0xff).join('');

describe('every CSV campaign-sync writes', () => {
  let dir: string;
  let n = 0;
  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'cs-csv-writers-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads back as the cells written, in any format the configuration accepts, and starts no formula', async () => {
    const cells = fc.array(fc.array(hostileText, { minLength: 3, maxLength: 3 }), { minLength: 1, maxLength: 5 });
    await fc.assert(
      fc.asyncProperty(aFormat, cells, async (format, raw) => {
        const rows = format.encoding === 'latin1' ? raw.map((row) => row.map(latin1Only)) : raw;
        const outbox = join(dir, `outbox-${n++}`);
        await writeExchangeFileNamed(outbox, 'feedback', ['a', 'b', 'c'], rows, format);
        const [name] = readdirSync(outbox);
        const text = readFileSync(join(outbox, name!)).toString(format.encoding === 'latin1' ? 'latin1' : 'utf8');
        const back = parse(text, {
          delimiter: format.delimiter,
          quote: format.quote,
          escape: format.escape,
          bom: true,
          relax_column_count: true,
        });
        expect(back).toEqual([['a', 'b', 'c'], ...rows.map((row) => row.map(written))]);
        for (const cell of back.flat()) expect(cell).not.toMatch(FORMULA_LEAD);
      }),
      { numRuns: 300 },
    );
  });

  it('writes report --csv, the plan diff, the feedback files and their rejected lines so that they read back exactly', async () => {
    const lines = fc.array(fc.tuple(hostileText, hostileText, hostileText, hostileText, hostileText), { minLength: 1, maxLength: 5 });
    await fc.assert(
      fc.asyncProperty(lines, async (cellRows) => {
        const at = (name: string) => join(dir, `${name}-${n++}.csv`);
        const read = (file: string) => parse(readFileSync(file, 'utf8'), { relax_column_count: true }) as string[][];
        const check = (file: string, expected: string[][]) => {
          const back = read(file);
          expect(back).toEqual(expected);
          for (const cell of back.flat()) expect(cell).not.toMatch(FORMULA_LEAD);
        };

        const ledger = at('ledger');
        const entries = cellRows.map(([recipientId, entityId, reason, field], i) =>
          anExcluded(i + 1, reason, { recipientId, entityId, field }),
        );
        const store = {
          ledger: {
            stream: async function* () {
              yield* entries;
            },
          },
        } as unknown as StateStore;
        await writeLedgerCsv(store, 'run-1', ledger);
        check(ledger, [
          LEDGER_CSV_COLUMNS,
          ...entries.map((e) => [
            'run-1',
            'newsletter',
            'excluded',
            written(e.recipientId),
            'lead',
            written(e.entityId),
            '',
            String(e.rowNumber),
            written(e.reason),
            written(e.field ?? ''),
          ]),
        ]);

        const diff = at('diff');
        const writer = diffCsvWriter(diff);
        for (const [recipientId, f1, f2] of cellRows) await writer.write({ change: 'update', recipientId, fields: [f1, f2] });
        await writer.close();
        check(diff, [
          ['change', 'recipientId', 'fields'],
          ...cellRows.map(([id, f1, f2]) => ['update', written(id), written(`${f1} ${f2}`)]),
        ]);

        const feedback = at('feedback');
        const feedbackRows = cellRows.map(
          (row) => Object.fromEntries(FEEDBACK_COLUMNS.map((c, i) => [c, row[i]!])) as Record<(typeof FEEDBACK_COLUMNS)[number], string>,
        );
        await writeFeedbackFile(
          feedback,
          (async function* () {
            yield feedbackRows;
          })(),
        );
        check(feedback, [[...FEEDBACK_COLUMNS], ...cellRows.map((row) => row.map(written))]);

        const rejected = at('rejected');
        const log = new RejectLog(rejected);
        for (const [i, [, , , , detail]] of cellRows.entries()) await log.write(i + 2, 'column_count', detail);
        await log.close();
        check(rejected, [
          ['line', 'reason', 'detail'],
          ...cellRows.map(([, , , , detail], i) => [String(i + 2), 'column_count', written(detail)]),
        ]);
      }),
      { numRuns: 150 },
    );
  });
});
