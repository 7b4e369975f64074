import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import fc from 'fast-check';
import { escapeFormulaCell, FORMULA_SAFE_CSV, unescapeFormulaCell } from '../../../src/csv/formula-cells';

// The formula injections of the security review, and properties over any text: what a spreadsheet
// sees never starts with a formula character, and an importer gets the raw value back exactly.

const FORMULA_START = /^[=+\-@\t\r\uFF1D\uFF0B\uFF0D\uFF20]/;
const cellText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 20 }),
  fc.tuple(fc.constantFrom('=', '+', '-', '@', '\t', '\r', "'", "''", '\uFF1D', ' ='), fc.string({ maxLength: 10 })).map(([a, b]) => a + b),
);

describe('escapeFormulaCell', () => {
  it.each([
    ['=HYPERLINK("http://evil.example","click")', '\'=HYPERLINK("http://evil.example","click")'],
    ["=cmd|'/C calc'!A0", "'=cmd|'/C calc'!A0"],
    ['+1+2', "'+1+2"],
    ['-1+2', "'-1+2"],
    ['@SUM(1,2)', "'@SUM(1,2)"],
    ['\t=1', "'\t=1"],
    ['\r=1', "'\r=1"],
    ['\uFF1D1+1', "'\uFF1D1+1"],
    ["'quoted", "''quoted"],
    ['anna@example.com', 'anna@example.com'],
    ['', ''],
  ])('writes %j as %j', (value, cell) => {
    expect(escapeFormulaCell(value)).toBe(cell);
    expect(unescapeFormulaCell(cell)).toBe(value);
  });

  it('never leaves a formula character first, and unescaping gives the value back', () => {
    fc.assert(
      fc.property(cellText, (value) => {
        const cell = escapeFormulaCell(value);
        expect(cell).not.toMatch(FORMULA_START);
        expect(unescapeFormulaCell(cell)).toBe(value);
      }),
      { numRuns: 2000 },
    );
  });

  it('survives a csv-stringify / csv-parse round trip with the shared options, numbers left as numbers', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(cellText, fc.integer({ min: -1000, max: 1000 })), { maxLength: 10 }), (rows) => {
        const text = stringify(rows, { ...FORMULA_SAFE_CSV });
        const back = parse(text, { relax_column_count: true }) as string[][];
        expect(back.map(([value, n]) => [unescapeFormulaCell(value ?? ''), Number(n)])).toEqual(rows);
        for (const [cell] of back) expect(cell).not.toMatch(FORMULA_START);
      }),
      { numRuns: 500 },
    );
  });
});
