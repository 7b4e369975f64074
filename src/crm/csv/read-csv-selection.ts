import { createReadStream } from 'node:fs';
import { parse } from 'csv-parse';
import type { CsvFormat } from '../crm-config';
import type { CrmRow } from '../crm-port';

/**
 * Streams the rows of a CRM export file, header line first. Short or long lines still yield a row
 * (with the fields they have), so validation names the missing field instead of the whole file failing.
 */
export async function* readCsvSelection(file: string, format: CsvFormat): AsyncGenerator<CrmRow> {
  const parser = createReadStream(file).pipe(
    parse({
      columns: (header: string[]) => header.map((name) => name.trim()),
      delimiter: format.delimiter,
      encoding: format.encoding,
      bom: true,
      quote: format.quote,
      escape: format.escape,
      relax_column_count: true,
      skip_empty_lines: true,
    }),
  );
  for await (const record of parser) yield record as CrmRow;
}
