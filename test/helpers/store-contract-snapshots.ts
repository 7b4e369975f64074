import { createHash } from 'node:crypto';
import { openSqlDb } from '../../src/db/open-sql-db';
import { SnapshotChecksumError } from '../../src/errors/snapshot-checksum-error';
import { SnapshotNotFoundError } from '../../src/errors/snapshot-not-found-error';
import { canonicalJson, type SnapshotRow } from '../../src/store';
import { decodeContentIds } from '../../src/store/sql/content-id-ranges';
import { asAsync, collect, recipientRows } from './store-builders';
import { useStore, type StoreHarness } from './store-harness';

const meta = { client: '1001', listKey: 'newsletter', runId: 'run-1' };
const sha256 = (rows: SnapshotRow[]) =>
  createHash('sha256')
    .update(rows.map((row) => `${canonicalJson(row)}\n`).join(''))
    .digest('hex');

export function describeSnapshotContract(harness: StoreHarness): void {
  describe('SnapshotStore', () => {
    const subject = useStore(harness);
    const snapshots = () => subject.store.snapshots;
    const rows = recipientRows(2500);

    it('round-trips a few thousand rows with their count and checksum', async () => {
      const summary = await snapshots().write(meta, asAsync(rows));
      expect(summary).toEqual({ snapshotRef: expect.stringMatching(/^snap-/), count: 2500, checksum: sha256(rows) });
      expect(await snapshots().readBatch(summary.snapshotRef, 0, 3)).toEqual(rows.slice(0, 3));
      expect(await snapshots().readBatch(summary.snapshotRef, 2498, 1000)).toEqual(rows.slice(2498));
      const batches = await collect(snapshots().batches(summary.snapshotRef, { fromOffset: 300 }));
      expect(batches.map((batch) => [batch.offset, batch.rows.length])).toEqual([
        [300, 1000],
        [1300, 1000],
        [2300, 200],
      ]);
      expect(batches.flatMap((batch) => batch.rows)).toEqual(rows.slice(300));
      expect(await snapshots().verify(summary.snapshotRef, summary)).toEqual(summary);
      expect(await snapshots().get(summary.snapshotRef)).toMatchObject({ ...meta, ...summary });
    });

    it('gives the same checksum whatever the key order of the rows', async () => {
      const a = await snapshots().write(meta, [{ b: 1, a: { d: 2, c: [3, 'é "q" \\ {x}'] } }]);
      const b = await snapshots().write(meta, [{ a: { c: [3, 'é "q" \\ {x}'], d: 2 }, b: 1 }]);
      expect(await snapshots().readBatch(b.snapshotRef, 0, 1)).toEqual([{ a: { c: [3, 'é "q" \\ {x}'], d: 2 }, b: 1 }]);
      expect(b.checksum).toBe(a.checksum);
    });

    it('lists the finished snapshots of one run of one list, by start time (ofRun)', async () => {
      // A run of its own: the store is shared by this block's tests.
      const meta = { client: '1001', listKey: 'newsletter', runId: 'run-of-run' };
      const first = await snapshots().write(meta, rows.slice(0, 3));
      const second = await snapshots().write(meta, rows.slice(3, 5));
      // Not of the run: another run, another list, another client, and one never finished.
      await snapshots().write({ ...meta, runId: 'run-2' }, rows.slice(0, 1));
      await snapshots().write({ ...meta, listKey: 'offers' }, rows.slice(0, 1));
      await snapshots().write({ ...meta, client: '1002' }, rows.slice(0, 1));
      const open = await snapshots().open(meta);
      await open.append(rows.slice(0, 2));
      const listed = await snapshots().ofRun(meta);
      // Two writes within one millisecond share a start time: their order is then not set.
      const byRef = (a: [string, number], b: [string, number]) => a[0].localeCompare(b[0]);
      expect(listed.map((info): [string, number] => [info.snapshotRef, info.count]).sort(byRef)).toEqual(
        (
          [
            [first.snapshotRef, 3],
            [second.snapshotRef, 2],
          ] as Array<[string, number]>
        ).sort(byRef),
      );
      expect(listed.map((info) => info.createdAt)).toEqual(listed.map((info) => info.createdAt).sort());
      expect(listed.find((info) => info.snapshotRef === first.snapshotRef)).toMatchObject({ ...meta, checksum: first.checksum });
      expect(await snapshots().ofRun({ ...meta, runId: 'run-none' })).toEqual([]);
      await open.abort();
    });

    it('caps batches at 1000 rows', async () => {
      const { snapshotRef } = await snapshots().write(meta, rows.slice(0, 1200));
      const sizes = (await collect(snapshots().batches(snapshotRef, { batchSize: 5000 }))).map((batch) => batch.rows.length);
      expect(sizes).toEqual([1000, 200]);
    });

    it('writes an empty snapshot with count 0 and the checksum of nothing', async () => {
      const summary = await snapshots().write(meta, []);
      expect(summary).toMatchObject({ count: 0, checksum: sha256([]) });
      expect(await collect(snapshots().batches(summary.snapshotRef))).toEqual([]);
    });

    it('returns the same summary when a writer is finished twice', async () => {
      const writer = await snapshots().open(meta);
      await writer.append(rows.slice(0, 5));
      const first = await writer.finish();
      expect(await writer.finish()).toEqual(first);
      await expect(writer.append(rows.slice(0, 1))).rejects.toThrow(/already finished/);
    });

    it('hides a snapshot until it is finished and drops it on abort', async () => {
      const writer = await snapshots().open(meta);
      await writer.append(rows.slice(0, 10));
      expect(await snapshots().get(writer.snapshotRef)).toBeUndefined();
      await expect(snapshots().readBatch(writer.snapshotRef, 0, 10)).rejects.toBeInstanceOf(SnapshotNotFoundError);
      await writer.abort();
      const db = openSqlDb(subject.config);
      try {
        expect(await db.all('SELECT 1 FROM snapshot_chunks WHERE snapshot_ref = ?', [writer.snapshotRef])).toEqual([]);
      } finally {
        await db.close();
      }
    });

    it('fails verification when a stored row was changed or the expected checksum differs', async () => {
      const summary = await snapshots().write(meta, rows.slice(0, 20));
      await expect(snapshots().verify(summary.snapshotRef, { count: 20, checksum: 'f'.repeat(64) })).rejects.toBeInstanceOf(
        SnapshotChecksumError,
      );
      const db = openSqlDb(subject.config);
      try {
        // The content row at ordinal 7 (rows are stored by content; ordinal 7 is the chunk's eighth id).
        const [chunk] = await db.all<{ content_ids: string }>('SELECT content_ids FROM snapshot_chunks WHERE snapshot_ref = ?', [
          summary.snapshotRef,
        ]);
        const id = decodeContentIds(chunk?.content_ids ?? '')[7];
        await db.run("UPDATE snapshot_contents SET row_json = '{}' WHERE id = ?", [id ?? -1]);
      } finally {
        await db.close();
      }
      await expect(snapshots().verify(summary.snapshotRef)).rejects.toThrow(/failed verification: expected 20 rows/);
    });

    it('deletes one snapshot, or all created before a time except those kept', async () => {
      const one = await snapshots().write(meta, rows.slice(0, 2));
      const two = await snapshots().write(meta, rows.slice(0, 2));
      expect(await snapshots().delete(one.snapshotRef)).toBe(true);
      expect(await snapshots().delete(one.snapshotRef)).toBe(false);
      await expect(snapshots().readBatch(one.snapshotRef, 0, 1)).rejects.toBeInstanceOf(SnapshotNotFoundError);
      const future = new Date(Date.now() + 60_000).toISOString();
      expect(await snapshots().deleteOlderThan('2000-01-01T00:00:00Z')).toBe(0);
      const deleted = await snapshots().deleteOlderThan(future, { keep: [two.snapshotRef] });
      expect(deleted).toBeGreaterThan(0);
      expect((await snapshots().get(two.snapshotRef))?.count).toBe(2);
    });
  });
}
