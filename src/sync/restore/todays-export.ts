import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openScratch } from '../../db/scratch-sqlite';
import type { StateStore } from '../../store/state-store';
import type { SnapshotRow } from '../../store/types';
import { storableText } from '../../validation/sendability';
import { suppressionKey } from '../../validation/suppressions';

// A restore puts back yesterday's list, but only those of it whom today's export still holds. A CRM
// whose selection drops withdrawn contacts (a view `WHERE consent = granted`) leaves a person who
// withdrew only in the CRM out of the export without excluding them: no exclusion, no suppression,
// only their absence says it. So everyone of the last good list whom an export of the run does not
// hold is left out of the restore (`not_in_todays_export`): consent is never guessed.
// The export always exists at restore time: the clear comes only after it (and its guard) succeeded.

/** Why a recipient of the last good list is left out: an export of the run does not hold its recipient id. */
export const NOT_IN_TODAYS_EXPORT = { reason: 'not_in_todays_export', field: 'recipient_id' } as const;

/** Today's export, as the restore asks it: whether it holds a recipient of the last good list. */
export interface TodaysExport {
  readonly snapshotRef: string;
  holds(row: SnapshotRow): boolean;
  /** Deletes the scratch file; safe to call twice. */
  close(): void;
}

/**
 * The exports of the run `runId`: the one it sent from (its run record's snapshot, the latest) and
 * any earlier one (a run that exported again after a long pause sends the first export's rows
 * narrowed to the re-export, and someone absent from either is in doubt). Their recipient keys go to
 * a scratch SQLite file, so memory does not grow with the list; `holds` answers whether every export
 * held the recipient. Undefined when the export the run sent from does not read back as recorded:
 * then nobody's consent today is known and nothing may be restored.
 */
export async function readTodaysExport(
  store: Pick<StateStore, 'runs' | 'snapshots'>,
  run: { client: string; listKey: string; runId: string },
  options: { directory?: string } = {},
): Promise<TodaysExport | undefined> {
  const recorded = (await store.runs.get(run.runId))?.snapshot;
  if (!recorded || !(await store.snapshots.get(recorded.snapshotRef))) return undefined;
  const earlier = (await store.snapshots.ofRun(run)).filter((info) => info.snapshotRef !== recorded.snapshotRef);
  const exports = [...earlier, recorded];
  const dir = mkdtempSync(join(options.directory ?? tmpdir(), 'campaign-sync-restore-'));
  const db = openScratch(join(dir, 'export.db'));
  const close = () => {
    if (db.open) db.close();
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    db.exec('CREATE TABLE held (id TEXT NOT NULL, export_no INTEGER NOT NULL, PRIMARY KEY (id, export_no)) WITHOUT ROWID');
    const put = db.prepare('INSERT OR IGNORE INTO held (id, export_no) VALUES (?, ?)');
    for (const [n, exported] of exports.entries()) {
      const putAll = db.transaction((rows: readonly SnapshotRow[]) => rows.forEach((row) => put.run(recipientKeyOf(row), n)));
      let read = 0;
      for await (const batch of store.snapshots.batches(exported.snapshotRef)) {
        putAll(batch.rows);
        read += batch.rows.length;
      }
      // A partly read export proves nobody's absence: the restore does not go ahead on it.
      if (read !== exported.count) {
        close();
        return undefined;
      }
    }
    const heldBy = db.prepare('SELECT COUNT(*) FROM held WHERE id = ?').pluck();
    return {
      snapshotRef: recorded.snapshotRef,
      holds: (row) => Number(heldBy.get(recipientKeyOf(row))) === exports.length,
      close,
    };
  } catch (error) {
    close();
    throw error;
  }
}

/**
 * The key a recipient id is compared by: as the suppression ledger folds it (letter case, IDN,
 * bounded storable form), so a recipient written differently by yesterday's export code is still
 * found; two ids that fold alike count as the same recipient.
 */
function recipientKeyOf(row: SnapshotRow): string {
  return suppressionKey(storableText(String(row.recipientId ?? '')));
}
