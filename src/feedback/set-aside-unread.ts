import { createHash } from 'node:crypto';
import type { FeedbackIntakeStore } from '../store/state-store';
import type { FeedbackFileRecord } from '../store/types';
import { forgetChanging } from './changing-files';
import { quarantineDropped } from './dropped-file';

// Some dropped files are set aside in quarantine/ without a checksum of their own: a name that reads
// as feedback but is not named so, a name that is no regular file (a link, a FIFO: never opened), a
// file that kept changing on too many polls (what it holds is not known). They were moved without a
// record, so an import that died right after the move left them in quarantine/ with their reason,
// reported by no attempt. Now each is recorded first under a key of its run and name, like the files
// set aside for review: the intent (`quarantined`, with the reason), then the reason file, the move,
// then `processed` (done). A retry of the run reports the records it did not meet in the folder, and
// carries out an intent whose file is still there (with the recorded reason: the decision is made once).

const UNREAD = 'unread:';

/** The store key of a file set aside unread by the run: never a SHA-256 of bytes (those are bare hex). */
export function unreadSetAsideKey(runId: string, name: string): string {
  return (
    UNREAD +
    createHash('sha256')
      .update(JSON.stringify([runId, name]))
      .digest('hex')
  );
}

/** Whether the record is the intent to set a file aside unread, not known done. */
export const isUnreadIntent = (record: FeedbackFileRecord): boolean =>
  record.checksum.startsWith(UNREAD) && record.status === 'quarantined';

/** The run's unread set-asides an earlier attempt recorded and may not have done, by name. */
export function unreadIntentsOf(records: readonly FeedbackFileRecord[]): Map<string, FeedbackFileRecord> {
  return new Map(records.filter(isUnreadIntent).map((record) => [record.name, record]));
}

export interface SetAsideUnreadPorts {
  client: string;
  folder: string;
  runId: string;
  intake: FeedbackIntakeStore;
  now: () => Date;
}

/**
 * Sets the name aside in quarantine/ with its reason, recorded before and after; the record's key, and
 * whether this import moved it (not when it was gone: another import of the client moved it).
 */
export async function setAsideUnread(ports: SetAsideUnreadPorts, name: string, reason: string): Promise<{ key: string; moved: boolean }> {
  const checksum = unreadSetAsideKey(ports.runId, name);
  const record = (status: FeedbackFileRecord['status'], why: string) =>
    ports.intake.recordFile({
      client: ports.client,
      checksum,
      name,
      // Not read: no size is known of what it holds.
      size: 0,
      runId: ports.runId,
      status,
      reason: why,
      recordedAt: ports.now().toISOString(),
    });
  await record('quarantined', reason);
  const moved = await quarantineDropped(ports.folder, name, reason, ports.now());
  await forgetChanging(ports.folder, name);
  // Gone before the move: the import that moved it names it. Done without a reason, so that a retry
  // of this run (dying later in the attempt) does not name it too (setAsideFiles wants a reason).
  await record('processed', moved === undefined ? '' : reason);
  return { key: checksum, moved: moved !== undefined };
}
