import { openSqlDb } from '../../src/db/open-sql-db';
import { createStateStore, stateStoreMigrations, type SnapshotRow } from '../../src/store';
import { aRun, collect, recipientRows } from './store-builders';
import { useStore, type StoreHarness } from './store-harness';

const meta = { client: '2002', listKey: 'shared', runId: 'day-1' };

/** Rows and bytes the snapshot tables hold: what a day adds is the difference. */
async function footprint(config: Parameters<typeof openSqlDb>[0]) {
  const db = openSqlDb(config);
  try {
    const [contents] = await db.all<{ n: number | string }>('SELECT COUNT(*) AS n FROM snapshot_contents');
    const [chunks] = await db.all<{ n: number | string; bytes: number | string | null }>(
      'SELECT COUNT(*) AS n, SUM(LENGTH(content_ids)) AS bytes FROM snapshot_chunks',
    );
    return { contents: Number(contents?.n), chunks: Number(chunks?.n), chunkBytes: Number(chunks?.bytes ?? 0) };
  } finally {
    await db.close();
  }
}

export function describeSnapshotSharingContract(harness: StoreHarness): void {
  describe('SnapshotStore: rows stored once per list', () => {
    const subject = useStore(harness);
    const snapshots = () => subject.store.snapshots;
    const day1 = recipientRows(2500);

    it('stores an unchanged list again as chunks of a few bytes, no new rows', async () => {
      await snapshots().write(meta, day1);
      const before = await footprint(subject.config);
      const again = await snapshots().write({ ...meta, runId: 'day-2' }, day1);
      const after = await footprint(subject.config);
      expect(after.contents).toBe(before.contents);
      expect(after.chunks - before.chunks).toBe(3);
      expect(after.chunkBytes - before.chunkBytes).toBeLessThanOrEqual(3 * 12);
      expect(await collect(snapshots().batches(again.snapshotRef))).toEqual([
        { offset: 0, rows: day1.slice(0, 1000) },
        { offset: 1000, rows: day1.slice(1000, 2000) },
        { offset: 2000, rows: day1.slice(2000) },
      ]);
    });

    it('stores only the changed and new rows of a churned list, in the order written', async () => {
      const churned: SnapshotRow[] = [...day1.slice(0, 1200), ...recipientRows(25, 9000), ...day1.slice(1230)];
      churned[5] = { ...churned[5], attributes: { firstName: 'Changed' } };
      const before = await footprint(subject.config);
      const summary = await snapshots().write({ ...meta, runId: 'day-3' }, churned);
      expect((await footprint(subject.config)).contents - before.contents).toBe(26);
      expect(await snapshots().readBatch(summary.snapshotRef, 0, 3000)).toEqual(churned);
      expect(await snapshots().verify(summary.snapshotRef)).toEqual(summary);
    });

    it('keeps rows another snapshot still holds when snapshots are deleted, and sweeps the rest', async () => {
      const only = recipientRows(10, 50_000);
      const kept = await snapshots().write({ ...meta, runId: 'kept' }, day1.slice(0, 10));
      await snapshots().write({ ...meta, runId: 'gone' }, [...day1.slice(0, 10), ...only]);
      const before = await footprint(subject.config);
      await snapshots().deleteOlderThan(new Date(Date.now() + 60_000).toISOString(), { keep: [kept.snapshotRef] });
      const after = await footprint(subject.config);
      expect(after.contents).toBe(10);
      expect(before.contents - after.contents).toBeGreaterThanOrEqual(only.length);
      expect(await snapshots().verify(kept.snapshotRef, kept)).toEqual(kept);
    });

    it('leaves the rows of a list whose sync is open to its writer', async () => {
      const list = { client: '2003', listKey: 'busy', runId: 'busy-run' };
      await subject.store.runs.upsert(aRun({ runId: 'busy-run', client: '2003', listKey: 'busy', status: 'running' }));
      const gone = await snapshots().write(list, recipientRows(5));
      await snapshots().delete(gone.snapshotRef);
      const before = await footprint(subject.config);
      await snapshots().deleteOlderThan('2000-01-01T00:00:00Z');
      expect((await footprint(subject.config)).contents).toBe(before.contents);
      await subject.store.runs.upsert(aRun({ runId: 'busy-run', client: '2003', listKey: 'busy', status: 'failed' }));
      await snapshots().deleteOlderThan('2000-01-01T00:00:00Z');
      expect(before.contents - (await footprint(subject.config)).contents).toBe(5);
    });
  });

  describe('SnapshotStore: migration from one row per ordinal', () => {
    it('converts finished snapshots so they read back with their checksum', async () => {
      const config = await harness.freshConfig();
      const rows = recipientRows(1003);
      const legacy = await createLegacySnapshot(config, rows);
      const store = await createStateStore(config);
      try {
        expect(await store.snapshots.verify(legacy.snapshotRef, legacy)).toEqual(legacy);
        expect(await store.snapshots.readBatch(legacy.snapshotRef, 998, 10)).toEqual(rows.slice(998));
        const next = await store.snapshots.write({ client: '1001', listKey: 'newsletter', runId: 'after' }, rows.slice(0, 3));
        expect(await store.snapshots.readBatch(next.snapshotRef, 0, 3)).toEqual(rows.slice(0, 3));
      } finally {
        await store.close();
      }
    });
  });
}

/** A snapshot as migrations 1-9 stored it: one `snapshot_rows` row per ordinal. */
async function createLegacySnapshot(config: Parameters<typeof openSqlDb>[0], rows: SnapshotRow[]) {
  const { canonicalJson, RowChecksum } = await import('../../src/store/canonical-json');
  const db = openSqlDb(config);
  try {
    await db.migrate(stateStoreMigrations(config.kind).filter((m) => m.version <= 9));
    const checksum = new RowChecksum();
    const snapshotRef = 'snap-legacy';
    const texts = rows.map((row) => canonicalJson(row));
    texts.forEach((text) => checksum.add(text));
    await db.insertRows({
      table: 'snapshot_rows',
      columns: ['snapshot_ref', 'ordinal', 'row_json'],
      rows: texts.map((text, ordinal) => [snapshotRef, ordinal, text]),
    });
    const summary = { snapshotRef, count: rows.length, checksum: checksum.digest() };
    await db.run(
      `INSERT INTO snapshots (snapshot_ref, client, list_key, run_id, status, row_count, checksum, created_at, completed_at)
       VALUES (?, '1001', 'newsletter', 'legacy-run', 'complete', ?, ?, ?, ?)`,
      [snapshotRef, summary.count, summary.checksum, new Date().toISOString(), new Date().toISOString()],
    );
    return summary;
  } finally {
    await db.close();
  }
}
