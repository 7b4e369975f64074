import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { crmConfigSchema, type CsvCrmConfig } from '../../../src/crm/crm-config';
import { openCsvCrm } from '../../../src/crm/csv/csv-crm';
import { CrmSelectionHeaderError } from '../../../src/errors/crm-selection-header-error';

// A selection file whose lines end in a CR alone (an old Mac writer, a converter gone wrong) is one
// line to a reader of LF and CRLF lines: its header then holds every row. When no two of its cells
// happened to share a name, that loaded as a header with no rows, an empty export, and the file's
// recipients and opt-outs said nothing. It is refused, naming the header and the CR.

const COLUMNS = [
  'recipient_id',
  'email',
  'opt_in_id',
  'description',
  'media_type',
  'entity_type',
  'entity_id',
  'first_name',
  'unsubscribed',
];

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'csv-cr-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a CSV selection whose lines end in CR alone', () => {
  it('is refused naming the header, never read as a file of no rows', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 4 }), fc.boolean(), fc.boolean(), async (people, endsWithBreak, mixed) => {
        // Values unique across the file, so no two cells of the joined line share a name.
        const rows = Array.from({ length: people }, (_, n) =>
          [`p${n}@x.com`, `q${n}@x.com`, '11', `d${n}`, `E-Mail`, `Contact`, `e${n}`, `Anna${n}`, `${n % 2 === 0 ? 'yes' : 'no'}`].join(
            ',',
          ),
        );
        const lines = [COLUMNS.join(','), ...rows];
        // `mixed`: the header ends in a bare CR, the rows in LF.
        const text = mixed ? `${lines[0]}\r${lines.slice(1).join('\n')}` : lines.join('\r');
        const file = join(dir, 'selection.csv');
        writeFileSync(file, text + (endsWithBreak ? (mixed ? '\n' : '\r') : ''));
        const config = crmConfigSchema.parse({
          kind: 'csv',
          outbox: dir,
          lists: { l: { file, attributes: { first_name: 'firstname' }, lastLineWithoutEnd: 'read' } },
        }) as CsvCrmConfig;
        const rowsRead: unknown[] = [];
        let error: unknown;
        try {
          for await (const row of openCsvCrm(config).exportSelection('l')) rowsRead.push(row);
        } catch (caught) {
          error = caught;
        }
        expect(error).toBeInstanceOf(CrmSelectionHeaderError);
        expect((error as Error).message).toMatch(/header at line 1 cannot be read \(a line break that is a CR alone: .* in field 9\)/);
        expect((error as Error).message).not.toMatch(/@x\.com|Anna/);
      }),
      { numRuns: 50 },
    );
  });
});
