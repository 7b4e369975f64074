import { once } from 'node:events';
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { finished } from 'node:stream/promises';
import { stringify } from 'csv-stringify';
import { FORMULA_SAFE_CSV } from '../csv/formula-cells';
import { fileErrorReason, shownInput, SHOWN_PATH_MAX } from '../errors/quoted-text';
import type { DiffEntry } from './diff';

export const DIFF_CSV_COLUMNS = ['change', 'recipientId', 'fields'];

export interface DiffCsvWriter {
  write(entry: DiffEntry): Promise<void>;
  /** Flushes and closes the file, then gives it its name; the number of data rows written. */
  close(): Promise<number>;
  /** The plan failed: the partial file is removed and the file named never appears. */
  abort(): Promise<void>;
}

/**
 * The plan's per-recipient diff as CSV, streamed with backpressure (constant memory at any list
 * size); recipient ids and field names come from outside, so cells are formula-escaped. Rows go to
 * `<file>.partial` first and the file gets its name only once the plan is complete: a plan that fails
 * half-way (Optimizely, the CRM, Ctrl-C) must not leave a diff that looks whole but misses changes.
 */
export function diffCsvWriter(file: string): DiffCsvWriter {
  const partial = `${file}.partial`;
  const csv = stringify({ header: true, columns: DIFF_CSV_COLUMNS, ...FORMULA_SAFE_CSV });
  // The path is the operator's --csv argument: shown bounded on one line, and Node's message, which
  // quotes it again as typed (a NUL byte in it is refused before any file is opened), is replaced by its code.
  const unwritable = (error: unknown) =>
    new Error(`the diff CSV ${shownInput(file, SHOWN_PATH_MAX)} cannot be written: ${fileErrorReason(error)}`);
  let out: ReturnType<typeof createWriteStream>;
  try {
    out = createWriteStream(partial);
  } catch (error) {
    throw unwritable(error);
  }
  // A file that cannot be written (no such folder, no permission) fails the plan with its reason,
  // instead of an unhandled stream error.
  let failure: Error | undefined;
  out.on('error', (error) => (failure ??= error));
  csv.pipe(out);
  let rows = 0;
  const check = () => {
    if (failure) throw unwritable(failure);
  };
  return {
    async write(entry) {
      check();
      rows += 1;
      const ok = csv.write({ change: entry.change, recipientId: entry.recipientId, fields: (entry.fields ?? []).join(' ') });
      if (!ok) await Promise.race([once(csv, 'drain'), once(out, 'error')]);
      check();
    },
    async close() {
      csv.end();
      await finished(out).catch(() => undefined);
      check();
      await rename(partial, file).catch((error: Error) => {
        failure ??= error;
        check();
      });
      return rows;
    },
    async abort() {
      csv.destroy();
      out.destroy();
      await finished(out).catch(() => undefined);
      await rm(partial, { force: true });
    },
  };
}
