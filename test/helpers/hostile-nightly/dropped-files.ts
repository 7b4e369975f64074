import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { LIST_IDS } from '../sync-stack';

// Dropped feedback files of the hostile nightly property: before a night, the export job drops an
// unsubscribes file of a shape the import quarantines (nothing of it applied) beside a good one
// (applied once). docs/operations.md, "Dropped feedback files".

/** Shapes quarantined whole: no header line, list and mailing columns swapped, a second header line (two exports joined). */
export type QuarantinedShape = 'no header' | 'list and mailing swapped' | 'second header';
export const QUARANTINED_SHAPES: readonly QuarantinedShape[] = ['no header', 'list and mailing swapped', 'second header'];

const HEADER = 'recipientId,mailingId,timestamp,recipientListId,category';
export const feedbackFolderOf = (dir: string) => join(dir, 'feedback');
export const GOOD_FILE = 'unsubscribes-good.csv';
export const BAD_FILE = 'unsubscribes-bad.csv';

const unsubscribe = (id: string, listId: number, mailingId: number | '' = '') =>
  `${id},${mailingId},${new Date(Date.now() - 60_000).toISOString()},${listId},\n`;

/** Drops the good file (an unsubscribe of `good` from the newsletter) and the bad one naming `bad`. */
export function dropFeedbackFiles(dir: string, shape: QuarantinedShape, good: string, bad: string): void {
  const folder = feedbackFolderOf(dir);
  writeFileSync(join(folder, GOOD_FILE), `${HEADER}\n${unsubscribe(good, LIST_IDS.newsletter)}`);
  const badText = {
    // Its rows alone: read as a file of no rows, they were lost with nothing said.
    'no header': '\n\n',
    // The newsletter's id under mailingId: read as an unsubscribe from list 4711, nobody's.
    'list and mailing swapped': `${HEADER}\n${unsubscribe(bad, 4711, LIST_IDS.newsletter)}`,
    'second header': `${HEADER}\n${unsubscribe(bad, LIST_IDS.newsletter)}${HEADER}\n${unsubscribe(bad, LIST_IDS.newsletter)}`,
  }[shape];
  writeFileSync(join(folder, BAD_FILE), badText);
}

export const quarantinedFileKept = (dir: string) => existsSync(join(feedbackFolderOf(dir), 'quarantine', BAD_FILE));
