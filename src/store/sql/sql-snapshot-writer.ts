import { randomUUID } from 'node:crypto';
import type { SqlDb } from '../../db/sql-db';
import { canonicalJson, RowChecksum } from '../canonical-json';
import type { SnapshotWriter } from '../state-store';
import type { SnapshotMeta, SnapshotSummary } from '../snapshot-types';
import { encodeContentIds } from './content-id-ranges';
import { CHUNK_ROWS, contentIds } from './sql-snapshot-contents';
import { storeListId } from './store-lists';

/**
 * Opens a snapshot in state `writing`; its rows become readable when `finish` marks it complete.
 * Rows are stored once per list by content (`snapshot_contents`); the snapshot itself is its chunks
 * of content ids in ordinal order (`snapshot_chunks`), so an unchanged list costs a few bytes a day.
 */
export async function openSqlSnapshotWriter(db: SqlDb, meta: SnapshotMeta): Promise<SnapshotWriter> {
  const snapshotRef = `snap-${randomUUID()}`;
  await db.run("INSERT INTO snapshots (snapshot_ref, client, list_key, run_id, status, created_at) VALUES (?, ?, ?, ?, 'writing', ?)", [
    snapshotRef,
    meta.client,
    meta.listKey,
    meta.runId,
    new Date().toISOString(),
  ]);
  const listId = await storeListId(db, meta.client, meta.listKey);
  const checksum = new RowChecksum();
  const pending: number[] = [];
  let chunkNo = 0;
  // Appends are chained so ordinals stay in call order even if a caller does not await each one.
  let tail: Promise<void> = Promise.resolve();
  let closed = false;
  let finished: Promise<SnapshotSummary> | undefined;

  const writeChunks = async (all: boolean) => {
    const rows: (string | number)[][] = [];
    while (pending.length >= CHUNK_ROWS || (all && pending.length > 0)) {
      rows.push([snapshotRef, chunkNo, encodeContentIds(pending.splice(0, CHUNK_ROWS))]);
      chunkNo += 1;
    }
    if (rows.length > 0) await db.insertRows({ table: 'snapshot_chunks', columns: ['snapshot_ref', 'chunk_no', 'content_ids'], rows });
  };

  const append = async (rows: readonly Parameters<typeof canonicalJson>[0][]) => {
    if (closed) throw new Error(`Snapshot ${snapshotRef} is already finished or aborted`);
    const texts = rows.map((row) => canonicalJson(row));
    for (const text of texts) checksum.add(text);
    pending.push(...(await contentIds(db, listId, texts)));
    await writeChunks(false);
  };

  return {
    snapshotRef,
    append(rows) {
      tail = tail.then(() => append(rows));
      return tail;
    },
    finish() {
      // A second call returns the first result: the hash can be digested only once.
      finished ??= (async () => {
        await tail;
        closed = true;
        await writeChunks(true);
        const summary = { snapshotRef, count: checksum.count, checksum: checksum.digest() };
        await db.run("UPDATE snapshots SET status = 'complete', row_count = ?, checksum = ?, completed_at = ? WHERE snapshot_ref = ?", [
          summary.count,
          summary.checksum,
          new Date().toISOString(),
          snapshotRef,
        ]);
        return summary;
      })();
      return finished;
    },
    async abort() {
      closed = true;
      await tail.catch(() => undefined);
      // Content rows stay: other snapshots may share them; the retention's sweep removes the unshared ones.
      await db.atomic([
        { sql: 'DELETE FROM snapshot_chunks WHERE snapshot_ref = ?', params: [snapshotRef] },
        { sql: 'DELETE FROM snapshots WHERE snapshot_ref = ?', params: [snapshotRef] },
      ]);
    },
  };
}
