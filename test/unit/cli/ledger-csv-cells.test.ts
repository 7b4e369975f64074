import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { writeLedgerCsv } from '../../../src/cli/ledger-csv';
import { needsFormulaEscape, unescapeFormulaCell } from '../../../src/csv/formula-cells';
import { createStateStore } from '../../../src/store';
import { aRun, anExcluded } from '../../helpers/store-builders';
import { hostileText } from '../../helpers/hostile-text';

// report --csv over any ledger text: one CSV row per ledger entry whatever the values hold (a line
// break inside a value forges no row), no cell a spreadsheet would read as a formula, and every
// value recoverable exactly (unescapeFormulaCell). Control characters stay in the file as the ledger
// holds them: a CSV is data for a spreadsheet or a script, not terminal output (docs/cli.md).

const cellText = fc.oneof(
  hostileText,
  fc.constantFrom('=1+1', '+1', '-1', '@SUM(A1)', '\t=1', '\r=1', "'=1", "''", '＝1', '＋1', '－1', '＠x', '"=1"', 'a\n=1', '\n'),
);
// The ledger holds text as SQLite stores it: no lone surrogates (they come back as U+FFFD).
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
// An entry needs a recipient id and a reason: an empty one is given a letter.
const wellFormed = cellText.filter((text) => !LONE_SURROGATE.test(text)).map((text) => text || 'x');

describe('report --csv cells', () => {
  it('writes one row per entry, no formula cell, every value recoverable', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ledger-csv-'));
    try {
      let file = 0;
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.tuple(wellFormed, wellFormed, wellFormed, wellFormed), { minLength: 1, maxLength: 6 }),
          async (rows) => {
            const store = await createStateStore({ kind: 'sqlite', file: ':memory:' });
            try {
              await store.runs.upsert(aRun({ client: 'demo' }));
              const entries = rows.map(([recipientId, entityId, reason, field], i) =>
                anExcluded(i + 1, reason, { recipientId, entityId, field }),
              );
              await store.ledger.record(entries);
              const path = join(dir, `ledger-${(file += 1)}.csv`);
              expect(await writeLedgerCsv(store, 'run-1', path)).toBe(entries.length);
              const written = parse(readFileSync(path, 'utf8'), { columns: true, relax_column_count: false }) as Array<
                Record<string, string>
              >;
              expect(written).toHaveLength(entries.length);
              for (const row of written)
                for (const cell of Object.values(row)) expect(needsFormulaEscape(cell) && !cell.startsWith("'")).toBe(false);
              const back = written.map((row) =>
                [row.recipientId, row.entityId, row.reason, row.field].map((c) => unescapeFormulaCell(c ?? '')),
              );
              expect(back.sort()).toEqual(rows.map((r) => [...r]).sort());
            } finally {
              await store.close();
            }
          },
        ),
        { numRuns: 60 },
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
