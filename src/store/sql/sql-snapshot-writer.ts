import { randomUUID } from 'node:crypto';
import type { SqlDb } from '../../db/sql-db';
import { canonicalJson, RowChecksum } from '../canonical-json';
import type { SnapshotWriter } from '../state-store';
import type { SnapshotMeta, SnapshotSummary } from '../snapshot-types';

/** Opens a snapshot in state `writing`; its rows become readable when `finish` marks it complete. */
export async function openSqlSnapshotWriter(db: SqlDb, meta: SnapshotMeta): Promise<SnapshotWriter> {
  const snapshotRef = `snap-${randomUUID()}`;
  await db.run("INSERT INTO snapshots (snapshot_ref, client, list_key, run_id, status, created_at) VALUES (?, ?, ?, ?, 'writing', ?)", [
    snapshotRef,
    meta.client,
    meta.listKey,
    meta.runId,
    new Date().toISOString(),
  ]);
  const checksum = new RowChecksum();
  // Appends are chained so ordinals stay in call order even if a caller does not await each one.
  let tail: Promise<void> = Promise.resolve();
  let closed = false;
  let finished: Promise<SnapshotSummary> | undefined;

  const append = async (rows: readonly Parameters<typeof canonicalJson>[0][]) => {
    if (closed) throw new Error(`Snapshot ${snapshotRef} is already finished or aborted`);
    const values = rows.map((row) => {
      const text = canonicalJson(row);
      const ordinal = checksum.count;
      checksum.add(text);
      return [snapshotRef, ordinal, text];
    });
    await db.insertRows({
      table: 'snapshot_rows',
      columns: ['snapshot_ref', 'ordinal', 'row_json'],
      rows: values,
    });
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
      await db.atomic([
        { sql: 'DELETE FROM snapshot_rows WHERE snapshot_ref = ?', params: [snapshotRef] },
        { sql: 'DELETE FROM snapshots WHERE snapshot_ref = ?', params: [snapshotRef] },
      ]);
    },
  };
}
