import fc from 'fast-check';
import { openSqlDb } from '../../src/db/open-sql-db';
import type { SnapshotRow } from '../../src/store';
import { decodeContentIds } from '../../src/store/sql/content-id-ranges';
import { collect, recipientRows } from './store-builders';
import { useStore, type StoreHarness } from './store-harness';

const meta = { client: '3003', listKey: 'chunked', runId: 'day-1' };

/**
 * Snapshots of one list whose chunks name their rows in every shape the reads meet: one stretch of
 * consecutive ids (a fresh list), a few stretches (some rows changed), many short pieces (every
 * third row changed: more spans than one read asks for one by one), stretches with gaps (every
 * seventh row gone) and ids running backwards (the rows of an earlier day in reverse order).
 */
function days(): SnapshotRow[][] {
  const day1 = recipientRows(2600);
  const fewChanged = day1.map((row, i) => (i % 900 === 450 ? { ...row, attributes: { firstName: `changed-${i}` } } : row));
  const manyChanged = day1.map((row, i) => (i % 3 === 0 ? { ...row, attributes: { firstName: `third-${i}` } } : row));
  const gaps = day1.filter((_, i) => i % 7 !== 3);
  const reversed = [...day1.slice(0, 1500).reverse(), ...recipientRows(40, 90_000), ...day1.slice(1500)];
  return [day1, fewChanged, manyChanged, gaps, reversed];
}

export function describeChunkedReadsContract(harness: StoreHarness): void {
  describe('SnapshotStore: chunked reads', () => {
    const subject = useStore(harness);
    const snapshots = () => subject.store.snapshots;
    const written: Array<{ ref: string; rows: SnapshotRow[] }> = [];

    beforeAll(async () => {
      for (const [day, rows] of days().entries()) {
        const summary = await snapshots().write({ ...meta, runId: `day-${day + 1}` }, rows);
        written.push({ ref: summary.snapshotRef, rows });
      }
    });

    it('return exactly the snapshot, in order, each row once, in any batch size and from any offset to any end', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.integer({ min: 0, max: 4 }),
          fc.integer({ min: 0, max: 2700 }),
          fc.integer({ min: 0, max: 2700 }),
          fc.integer({ min: 1, max: 1000 }),
          fc.boolean(),
          async (day, a, b, batchSize, bounded) => {
            const { ref, rows } = written[day]!;
            const [from, end] = [Math.min(a, b), Math.max(a, b)];
            const batches = await collect(
              snapshots().batches(ref, { fromOffset: from, batchSize, ...(bounded ? { endOffset: end } : {}) }),
            );
            const want = rows.slice(from, bounded ? end : undefined);
            expect(batches.flatMap((batch) => batch.rows)).toEqual(want);
            batches.forEach((batch, i) => {
              expect(batch.offset).toBe(from + i * batchSize);
              expect(batch.rows.length).toBe(Math.min(batchSize, want.length - i * batchSize));
            });
            expect(await snapshots().readBatch(ref, from, end - from)).toEqual(rows.slice(from, end));
          },
        ),
        { numRuns: 60 },
      );
    });

    it('fail loudly when a content row or a chunk is gone, never reading as fewer rows', async () => {
      const db = openSqlDb(subject.config);
      try {
        for (const { ref } of [written[0]!, written[2]!]) {
          const [chunk] = await db.all<{ content_ids: string }>(
            'SELECT content_ids FROM snapshot_chunks WHERE snapshot_ref = ? AND chunk_no = 1',
            [ref],
          );
          const id = decodeContentIds(chunk?.content_ids ?? '')[500];
          await db.run('DELETE FROM snapshot_contents WHERE id = ?', [id ?? -1]);
          await expect(snapshots().readBatch(ref, 1000, 1000)).rejects.toThrow(/cannot be read back: content row/);
          await expect(collect(snapshots().batches(ref))).rejects.toThrow(/cannot be read back: content row/);
        }
        const { ref } = written[4]!;
        await db.run('DELETE FROM snapshot_chunks WHERE snapshot_ref = ? AND chunk_no = 1', [ref]);
        await expect(collect(snapshots().batches(ref, { fromOffset: 900 }))).rejects.toThrow(/cannot be read back: chunk 1 is missing/);
      } finally {
        await db.close();
      }
    });
  });
}
