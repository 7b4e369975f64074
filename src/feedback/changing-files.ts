import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

// A dropped file that changes while it is read is left in the folder for the next run (an export job
// still writing it). One that changes on every read (a job that never stops appending, one that
// rewrites the file on every poll, a file written to by two jobs) was left so forever: never moved,
// never reported but as "still being written", and a job that rewrites it dropped every version but
// the copies read. Each time the import finds it changing it is counted in a small note under
// `changing/` in the feedback folder (the name's hash: any name fits), and once it was found changing
// on CHANGING_POLLS polls over at least CHANGING_SPAN_MS, it is quarantined with a reason that says
// so. A note is forgotten once the file is processed, seen before or quarantined, and when the file
// was not found changing for STALE_MS (a note the file left behind when it was renamed away).

/** Polls that found the file changing before it is quarantined (this one included). */
export const CHANGING_POLLS = 3;
/** ...and the time from the first of them: a big export still being written is not cut short. */
export const CHANGING_SPAN_MS = 60 * 60 * 1000;
/** A note not touched for this long is from another file of that name. */
export const STALE_MS = 7 * 24 * 60 * 60 * 1000;

export interface ChangingNote {
  /** The first poll that found it changing, and how many did. */
  firstSeen: string;
  lastSeen: string;
  polls: number;
}

const noteOf = (folder: string, name: string) =>
  join(folder, 'changing', `${createHash('sha256').update(name).digest('hex').slice(0, 32)}.json`);

/** Counts one more poll that found `name` changing; the note as it is now. */
export async function countChanging(folder: string, name: string, at: Date): Promise<ChangingNote> {
  const path = noteOf(folder, name);
  const before = await readNote(path, name);
  const fresh = before === undefined || at.getTime() - Date.parse(before.lastSeen) > STALE_MS;
  const note: ChangingNote = {
    firstSeen: fresh ? at.toISOString() : before.firstSeen,
    lastSeen: at.toISOString(),
    polls: fresh ? 1 : before.polls + 1,
  };
  await mkdir(join(folder, 'changing'), { recursive: true });
  // Written aside and renamed: a crash leaves the former note or this one, never half of one.
  await writeFile(`${path}.part`, JSON.stringify({ name, ...note }));
  await rename(`${path}.part`, path);
  return note;
}

/** Whether the file has changed on enough polls over enough time to be set aside. */
export function changedTooLong(note: ChangingNote): boolean {
  return note.polls >= CHANGING_POLLS && Date.parse(note.lastSeen) - Date.parse(note.firstSeen) >= CHANGING_SPAN_MS;
}

export function changingReason(note: ChangingNote): string {
  return (
    `the file changed while it was read on each of ${note.polls} polls since ${note.firstSeen} (an export job that never ` +
    `finishes it, or rewrites it on every poll): set aside so it is not left unread for ever. No copy read while it changed ` +
    `was applied; rows of copies that stayed whole while read were applied and count as repeated when the finished file ` +
    `is dropped again. Have the job write elsewhere and rename the file when done, then drop it again`
  );
}

/** Forgets the note of a file that is done with (processed, seen before or quarantined). */
export async function forgetChanging(folder: string, name: string): Promise<void> {
  await rm(noteOf(folder, name), { force: true });
}

async function readNote(path: string, name: string): Promise<ChangingNote | undefined> {
  try {
    const note = JSON.parse(await readFile(path, 'utf8')) as Partial<ChangingNote> & { name?: unknown };
    const { firstSeen, lastSeen, polls } = note;
    // Another name that hashed alike, or a note someone changed: counted afresh.
    if (note.name !== name || typeof polls !== 'number' || !Number.isSafeInteger(polls) || polls < 1) return undefined;
    if (
      typeof firstSeen !== 'string' ||
      typeof lastSeen !== 'string' ||
      Number.isNaN(Date.parse(firstSeen)) ||
      Number.isNaN(Date.parse(lastSeen))
    )
      return undefined;
    return { firstSeen, lastSeen, polls };
  } catch {
    return undefined;
  }
}
