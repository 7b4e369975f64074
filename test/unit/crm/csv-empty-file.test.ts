import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { exportCsvSelection } from '../../helpers/export-csv-selection';

// An exchange file without a header (no bytes at all, a BOM, blank lines) is no export: a CRM's export
// writes its header even when it selects nobody, so such a file is a writer that has not written yet
// or an upload that broke off. It fails the export (CrmSelectionHeaderError, before the guard and the
// clear); a file with a header and no rows is an empty selection, left to the guard.

const HEADER = 'recipient_id,email,opt_in_id,description,media_type,entity_type,entity_id';
/** No bytes, a BOM, empty lines (LF or CRLF). */
const blank = fc
  .tuple(fc.constantFrom('', '\uFEFF'), fc.array(fc.constantFrom('\n', '\r\n'), { maxLength: 5 }))
  .map(([bom, lines]) => bom + lines.join(''));

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'cs-csv-empty-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('a CSV selection file without a header', () => {
  it('fails the export naming the file, whatever blank content it holds', async () => {
    await fc.assert(
      fc.asyncProperty(blank, async (content) => {
        const path = join(dir, 'selection.csv');
        writeFileSync(path, content);
        const { counts, error } = await exportCsvSelection(dir, path, 10);
        expect({ content, counts, error: error?.name }).toEqual({ content, counts: undefined, error: 'CrmSelectionHeaderError' });
        expect(error?.message).toContain(path);
      }),
      { numRuns: 60 },
    );
  });

  it('reads a file with a header and no rows as an empty selection, whatever its BOM and line end', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom('', '\uFEFF'), fc.constantFrom('', '\n', '\r\n', '\n\n'), async (bom, end) => {
        const path = join(dir, 'selection.csv');
        writeFileSync(path, `${bom}${HEADER}${end}`);
        const { counts, error } = await exportCsvSelection(dir, path, 10);
        expect(error).toBeUndefined();
        expect(counts?.rowsRead).toBe(0);
      }),
    );
  });
});
