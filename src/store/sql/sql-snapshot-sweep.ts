import type { SqlDb } from '../../db/sql-db';
import { OPEN_RUN_STATUSES } from '../run-types';
import { decodeRanges, inRanges, mergeRanges } from './content-id-ranges';

/** Content ids read per window of a sweep, and deleted per statement. */
const SWEEP_WINDOW = 10_000;
const DELETE_IDS = 500;

/**
 * A list whose sync is open (running, held) or that has a snapshot being written is skipped: its
 * writer may be about to reuse a content row no finished snapshot holds. Checked again inside every
 * DELETE, so a writer that starts during the sweep stops it.
 */
const LIST_IS_QUIET = `NOT EXISTS (SELECT 1 FROM snapshots w WHERE w.client = ? AND w.list_key = ? AND w.status = 'writing')
  AND NOT EXISTS (SELECT 1 FROM runs o WHERE o.client = ? AND o.list_key = ? AND o.status IN (${OPEN_RUN_STATUSES.map(() => '?').join(', ')}))`;

/**
 * Deletes the content rows no snapshot (finished or being written) refers to any more, list by
 * list; returns how many. Run after snapshots were deleted.
 */
export async function sweepSnapshotContents(db: SqlDb): Promise<number> {
  const lists = await db.all<{ id: number | string; client: string; list_key: string }>('SELECT id, client, list_key FROM store_lists');
  let deleted = 0;
  for (const list of lists) deleted += await sweepList(db, Number(list.id), list.client, list.list_key);
  return deleted;
}

async function sweepList(db: SqlDb, listId: number, client: string, listKey: string): Promise<number> {
  const quiet = [client, listKey, client, listKey, ...OPEN_RUN_STATUSES];
  const [open] = await db.all(`SELECT 1 AS open WHERE NOT (${LIST_IS_QUIET})`, quiet);
  if (open) return 0;
  const [bounds] = await db.all<{ lo: number | string | null; hi: number | string | null }>(
    'SELECT MIN(id) AS lo, MAX(id) AS hi FROM snapshot_contents WHERE list_id = ?',
    [listId],
  );
  if (bounds?.lo == null || bounds.hi == null) return 0;
  const live = mergeRanges(
    (
      await db.all<{ content_ids: string }>(
        `SELECT c.content_ids FROM snapshot_chunks c JOIN snapshots s ON s.snapshot_ref = c.snapshot_ref
         WHERE s.client = ? AND s.list_key = ?`,
        [client, listKey],
      )
    ).flatMap((chunk) => decodeRanges(chunk.content_ids)),
  );
  let deleted = 0;
  // Ids above the maximum read first belong to writers that started since: never swept here.
  for (let from = Number(bounds.lo); from <= Number(bounds.hi); from += SWEEP_WINDOW) {
    const rows = await db.all<{ id: number | string }>('SELECT id FROM snapshot_contents WHERE list_id = ? AND id >= ? AND id < ?', [
      listId,
      from,
      Math.min(from + SWEEP_WINDOW, Number(bounds.hi) + 1),
    ]);
    const dead = rows.map((row) => Number(row.id)).filter((id) => !inRanges(live, id));
    for (let i = 0; i < dead.length; i += DELETE_IDS) {
      const part = dead.slice(i, i + DELETE_IDS);
      deleted += await db.run(`DELETE FROM snapshot_contents WHERE id IN (${part.map(() => '?').join(', ')}) AND ${LIST_IS_QUIET}`, [
        ...part,
        ...quiet,
      ]);
    }
  }
  return deleted;
}
