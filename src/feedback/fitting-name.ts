import { createHash } from 'node:crypto';

// A dropped file's name may be as long as the file system allows (255 bytes), but the import makes
// names from it: `dropped-<name>` in the run folder, `<name>.rejected.csv` beside that, `<name>.2`
// and `<name>.reason.txt` in quarantine/ and processed/. Past 255 bytes each of those failed with
// ENAMETOOLONG, which failed the whole import, every run, and with it every later file's opt-outs.
// A name longer than LONGEST_KEPT_NAME is stood in for by a hash of it (the reason file and the run's
// report keep the name itself), so whatever is added to it still fits.

/** Leaves room for `dropped-`, `.rejected.csv`, a `.<n>` suffix and `.reason.txt` within 255 bytes. */
export const LONGEST_KEPT_NAME = 200;

/** The name as the import's own files are named after it: itself, or a stand-in of fixed length for a long one. */
export function fittingName(name: string): string {
  if (Buffer.byteLength(name) <= LONGEST_KEPT_NAME) return name;
  return `long-name-${createHash('sha256').update(name).digest('hex').slice(0, 32)}.csv`;
}

/** The run folder's copy of a dropped file: what was read, kept as the audit artefact. */
export function droppedCopyName(name: string): string {
  return `dropped-${fittingName(name)}`;
}
