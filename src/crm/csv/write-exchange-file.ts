import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { stringify } from 'csv-stringify/sync';
import type { CsvFormat } from '../crm-config';

/**
 * Writes rows as a CSV file for the CRM to import. The file name carries a hash of the content, so
 * writing the same rows again finds the file already there: that makes the exchange idempotent.
 * Resolves to true when a new file was written.
 */
export async function writeExchangeFile(
  outbox: string,
  prefix: string,
  columns: readonly string[],
  rows: readonly (readonly unknown[])[],
  format: CsvFormat,
): Promise<boolean> {
  const text = stringify([columns, ...rows], { delimiter: format.delimiter, quote: format.quote, escape: format.escape, bom: false });
  const bytes = Buffer.from(format.bom && format.encoding === 'utf8' ? `\uFEFF${text}` : text, format.encoding);
  const hash = createHash('sha256').update(bytes).digest('hex').slice(0, 16);
  const file = join(outbox, `${prefix}-${hash}.csv`);
  if (existsSync(file)) return false;
  await mkdir(outbox, { recursive: true });
  // Written under a temporary name first so the CRM never imports half a file.
  await writeFile(`${file}.part`, bytes);
  await rename(`${file}.part`, file);
  return true;
}
