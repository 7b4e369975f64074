import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { parse } from 'csv-parse/sync';
import { unescapeFormulaCell } from '../../../src/csv/formula-cells';
import { diffCsvWriter } from '../../../src/plan/diff-csv';

describe('the plan diff CSV', () => {
  let dir: string;
  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'diff-csv-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes any recipient id formula-safe and reads back exactly', async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(fc.string({ minLength: 1 }), { minLength: 1, maxLength: 20 }), async (ids) => {
        const file = join(dir, `d${n++}.csv`);
        const writer = diffCsvWriter(file);
        for (const id of ids) await writer.write({ change: 'update', recipientId: id, fields: ['city'] });
        expect(await writer.close()).toBe(ids.length);
        const rows = parse(readFileSync(file), { columns: true, relax_column_count: false }) as {
          change: string;
          recipientId: string;
          fields: string;
        }[];
        expect(rows.map((r) => unescapeFormulaCell(r.recipientId))).toEqual(ids);
        for (const r of rows) expect(r.recipientId).not.toMatch(/^[=+\-@\t\r]/);
      }),
      { numRuns: 40 },
    );
  });

  it('fails with the file and the reason when the file cannot be written', async () => {
    const writer = diffCsvWriter(join(dir, 'no-such-folder', 'plan.csv'));
    await expect(
      (async () => {
        await writer.write({ change: 'remove', recipientId: 'a@x.de' });
        await writer.close();
      })(),
    ).rejects.toThrow(/the diff CSV .*no-such-folder.*cannot be written: ENOENT/);
  });
});

describe('the plan diff CSV of a plan that fails half-way', () => {
  let dir: string;
  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'diff-csv-abort-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  // A diff that misses the changes after the failure must not be read as the whole diff.
  it('leaves no file at all, whatever was written before the failure, and a complete one only after close (property)', async () => {
    let n = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(fc.string({ minLength: 1 }), { maxLength: 30 }), fc.boolean(), async (ids, completes) => {
        const file = join(dir, `d${n++}.csv`);
        const writer = diffCsvWriter(file);
        for (const id of ids) await writer.write({ change: 'add', recipientId: id });
        expect(existsSync(file)).toBe(false);
        if (completes) {
          expect(await writer.close()).toBe(ids.length);
          expect((parse(readFileSync(file), { columns: true }) as unknown[]).length).toBe(ids.length);
        } else {
          await writer.abort();
          expect(existsSync(file)).toBe(false);
        }
        expect(readdirSync(dir).filter((name) => name.endsWith('.partial'))).toEqual([]);
      }),
      { numRuns: 40 },
    );
  });
});
