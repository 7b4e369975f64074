import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import { FORMULA_SAFE_CSV } from '../../csv/formula-cells';
import { CrmExchangeEncodingError } from '../../errors/crm-exchange-encoding-error';
import type { CsvFormat } from '../crm-config';

/**
 * Writes rows as a CSV file for the CRM to import. The file name carries a hash of the content, so
 * writing the same rows again finds the file already there: that makes the exchange idempotent.
 * Resolves to true when a new file was written. Text cells are formula-escaped (docs/crm.md, "Formula
 * cells in the files we write"): the CRM import strips the apostrophe where it needs the raw value.
 */
export async function writeExchangeFile(
  outbox: string,
  prefix: string,
  columns: readonly string[],
  rows: readonly (readonly unknown[])[],
  format: CsvFormat,
): Promise<boolean> {
  return (await writeExchangeFileNamed(outbox, prefix, columns, rows, format)) !== undefined;
}

/** As writeExchangeFile; resolves to the new file's name in the outbox, undefined when it was there already. */
export async function writeExchangeFileNamed(
  outbox: string,
  prefix: string,
  columns: readonly string[],
  rows: readonly (readonly unknown[])[],
  format: CsvFormat,
): Promise<string | undefined> {
  if (format.encoding === 'latin1') assertLatin1(prefix, columns, rows);
  const text = stringify([columns, ...rows], {
    delimiter: format.delimiter,
    quote: format.quote,
    escape: format.escape,
    bom: false,
    ...FORMULA_SAFE_CSV,
  });
  const bytes = Buffer.from(format.bom && format.encoding === 'utf8' ? `\uFEFF${text}` : text, format.encoding);
  const hash = createHash('sha256').update(bytes).digest('hex').slice(0, 16);
  const name = `${prefix}-${hash}.csv`;
  const file = join(outbox, name);
  if (existsSync(file)) return undefined;
  await mkdir(outbox, { recursive: true });
  // Written under a temporary name first so the CRM never imports half a file.
  await writeFile(`${file}.part`, bytes);
  await rename(`${file}.part`, file);
  return name;
}

const beyondLatin1 = (text: string): boolean => [...text].some((ch) => (ch.codePointAt(0) ?? 0) > 0xff);

function assertLatin1(prefix: string, columns: readonly string[], rows: readonly (readonly unknown[])[]): void {
  rows.forEach((row, r) =>
    row.forEach((value, c) => {
      if (beyondLatin1(String(value))) throw new CrmExchangeEncodingError(`${prefix} file`, r + 1, columns[c] ?? String(c));
    }),
  );
}
