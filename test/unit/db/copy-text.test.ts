import fc from 'fast-check';
import { assertCopyable, copyTextLine, copyTextValue } from '../../../src/db/copy-text';
import type { SqlValue } from '../../../src/db/sql-db';
import { CopyValueError } from '../../../src/errors/copy-value-error';

/** PostgreSQL's reading of one text-format field (the escapes copyTextValue writes, and \N). */
function readField(field: string): string | null {
  if (field === '\\N') return null;
  return field.replace(/\\(.)/gs, (_, c: string) => ({ t: '\t', n: '\n', r: '\r', '\\': '\\' })[c] ?? c);
}

const text = fc.string({ unit: 'binary' }).filter((s) => !s.includes('\u0000'));
const value: fc.Arbitrary<SqlValue> = fc.oneof(
  text,
  fc.constant(null),
  fc.integer(),
  fc.constantFrom('\\N', '\\.', '\t', '\n', '\r\n', '\\'),
);

describe('copyTextLine', () => {
  it('writes one line per row, one tab-separated field per column, and each field reads back as the value', () => {
    fc.assert(
      fc.property(fc.array(value, { minLength: 1, maxLength: 6 }), (row) => {
        const line = copyTextLine(row, row.length);
        expect(line.endsWith('\n')).toBe(true);
        const fields = line.slice(0, -1).split('\t');
        expect(fields).toHaveLength(row.length);
        expect(line.slice(0, -1)).not.toMatch(/[\n\r]/);
        expect(fields.map(readField)).toEqual(row.map((v) => (v === null ? null : String(v))));
      }),
    );
  });

  it('writes a missing trailing value as NULL', () => {
    expect(copyTextLine(['a'], 2)).toBe('a\t\\N\n');
  });

  it('never lets a value read as the NULL marker or the end-of-data marker', () => {
    expect(copyTextValue('\\N')).toBe('\\\\N');
    expect(copyTextValue('\\.')).toBe('\\\\.');
  });
});

describe('assertCopyable', () => {
  it('refuses any text holding NUL, naming the table, column and row but not the value', () => {
    fc.assert(
      fc.property(text, text, fc.nat({ max: 3 }), (before, after, at) => {
        const rows: SqlValue[][] = [
          ['x', 'y'],
          ['x', 'y'],
          ['x', 'y'],
          ['x', 'y'],
        ];
        (rows[at] as SqlValue[])[1] = `${before}\u0000${after}`;
        let caught: unknown;
        try {
          assertCopyable('people', ['id', 'email'], rows);
        } catch (error) {
          caught = error;
        }
        expect(caught).toBeInstanceOf(CopyValueError);
        expect(caught).toMatchObject({ table: 'people', column: 'email', row: at });
        expect((caught as Error).message).toContain('people.email');
        if (before.length + after.length > 0) expect((caught as Error).message).not.toContain(`${before}\u0000${after}`);
      }),
    );
  });

  it('refuses a non-finite number and a row wider than the columns', () => {
    expect(() => assertCopyable('t', ['n'], [[Number.NaN]])).toThrow(/t\.n of row 0: NaN is not a finite number/);
    expect(() => assertCopyable('t', ['a'], [['x', 'y']])).toThrow(CopyValueError);
  });

  it('accepts every other value', () => {
    fc.assert(fc.property(fc.array(fc.array(value, { minLength: 3, maxLength: 3 })), (rows) => assertCopyable('t', ['a', 'b', 'c'], rows)));
  });
});
