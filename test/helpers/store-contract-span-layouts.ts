import fc from 'fast-check';
import { openSqlDb } from '../../src/db/open-sql-db';
import type { SqlDb } from '../../src/db/sql-db';
import { decodeRanges, encodeContentIds } from '../../src/store/sql/content-id-ranges';
import { CHUNK_ROWS } from '../../src/store/sql/sql-snapshot-contents';
import { collect, recipientRows } from './store-builders';
import { useStore, type StoreHarness } from './store-harness';

/** Content ids stored for the layouts: stretches with gaps between them, so a layout can name a missing id. */
const STORED = Array.from({ length: 1600 }, (_, k) => 10 + k + 3 * Math.floor(k / 50));
const stored = new Set(STORED);
const textOf = (id: number) => JSON.stringify({ recipientId: `r-${id}`, attributes: { n: String(id) } });

/**
 * A snapshot's content ids in ordinal order, in the shapes a store meets and some it should never
 * write: consecutive stretches (a fresh list), stretches of two lists interleaved row by row (two
 * exports drawing on one id sequence at once), ids in any order, the same id more than once.
 */
const layout = fc.oneof(
  fc
    .array(fc.tuple(fc.integer({ min: 0, max: STORED.length - 1 }), fc.integer({ min: 1, max: 900 })), { minLength: 1, maxLength: 6 })
    .map((pieces) => pieces.flatMap(([start, length]) => STORED.slice(start, start + length))),
  fc
    .tuple(fc.integer({ min: 0, max: 1200 }), fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 }))
    .map(([start, mine, theirs]) => STORED.slice(start).filter((_, k) => k % (mine + theirs) < mine)),
  fc.array(fc.constantFrom(...STORED), { minLength: 1, maxLength: 2500 }),
);

/** Writes a complete snapshot naming `ids` straight into the tables, as a writer would leave it. */
async function writeLayout(db: SqlDb, ref: string, ids: readonly number[]): Promise<void> {
  await db.run(
    `INSERT INTO snapshots (snapshot_ref, client, list_key, run_id, status, row_count, checksum, created_at, completed_at)
     VALUES (?, '3003', 'layouts', ?, 'complete', ?, 'not-checked', ?, ?)`,
    [ref, ref, ids.length, new Date().toISOString(), new Date().toISOString()],
  );
  const chunks: (string | number)[][] = [];
  for (let start = 0; start < ids.length; start += CHUNK_ROWS) {
    chunks.push([ref, start / CHUNK_ROWS, encodeContentIds(ids.slice(start, start + CHUNK_ROWS))]);
  }
  await db.insertRows({ table: 'snapshot_chunks', columns: ['snapshot_ref', 'chunk_no', 'content_ids'], rows: chunks });
}

async function withDb<T>(config: Parameters<typeof openSqlDb>[0], use: (db: SqlDb) => Promise<T>): Promise<T> {
  const db = openSqlDb(config);
  try {
    return await use(db);
  } finally {
    await db.close();
  }
}

export function describeSpanLayoutsContract(harness: StoreHarness): void {
  describe('SnapshotStore: reads over any layout of content ids', () => {
    const subject = useStore(harness);
    let db: SqlDb;
    let n = 0;
    beforeAll(async () => {
      db = openSqlDb(subject.config);
      await db.insertRows({
        table: 'snapshot_contents',
        columns: ['id', 'list_id', 'hash', 'row_json'],
        rows: STORED.map((id) => [id, 1, `h-${id}`, textOf(id)]),
      });
    });
    afterAll(async () => {
      await db.close();
    });

    it('read each ordinal as the row its id names, from any offset to any end, in any batch size', async () => {
      await fc.assert(
        fc.asyncProperty(
          layout,
          fc.nat(),
          fc.nat(),
          fc.integer({ min: 1, max: 1000 }),
          fc.boolean(),
          async (ids, a, b, batchSize, bounded) => {
            const ref = `layout-${++n}`;
            await writeLayout(db, ref, ids);
            const [from, end] = [a % (ids.length + 50), b % (ids.length + 50)].sort((x, y) => x - y) as [number, number];
            const want = ids.slice(from, bounded ? end : undefined).map((id) => JSON.parse(textOf(id)) as unknown);
            const batches = await collect(
              subject.store.snapshots.batches(ref, { fromOffset: from, batchSize, ...(bounded ? { endOffset: end } : {}) }),
            );
            expect(batches.flatMap((batch) => batch.rows)).toEqual(want);
            batches.forEach((batch, i) => expect(batch.offset).toBe(from + i * batchSize));
            expect(await subject.store.snapshots.readBatch(ref, from, end - from)).toEqual(
              ids.slice(from, end).map((id) => JSON.parse(textOf(id)) as unknown),
            );
          },
        ),
        { numRuns: 40 },
      );
    });

    it('fail naming the first id without a content row, never reading as fewer rows', async () => {
      const gaps = [...Array(STORED[STORED.length - 1]).keys()].filter((id) => id > 0 && !stored.has(id));
      await fc.assert(
        fc.asyncProperty(layout, fc.constantFrom(...gaps), fc.nat(), async (ids, missing, at) => {
          const ref = `layout-${++n}`;
          const holed = [...ids];
          holed.splice(at % (ids.length + 1), 0, missing);
          await writeLayout(db, ref, holed);
          await expect(collect(subject.store.snapshots.batches(ref))).rejects.toThrow(
            `Snapshot ${ref} cannot be read back: content row ${missing} is missing`,
          );
        }),
        { numRuns: 25 },
      );
    });

    it('read the next stretch ahead without failing a reader that stops before it, and fail one that reaches it', async () => {
      const ref = `layout-${++n}`;
      const gap = (STORED.find((id, k) => STORED[k + 1] !== id + 1) ?? 0) + 1;
      const ids = [...STORED.slice(0, 1200), ...STORED.slice(0, 1200), gap];
      await writeLayout(db, ref, ids);
      const unhandled: unknown[] = [];
      const onUnhandled = (reason: unknown) => unhandled.push(reason);
      process.on('unhandledRejection', onUnhandled);
      try {
        const seen: number[] = [];
        for await (const batch of subject.store.snapshots.batches(ref, { batchSize: 300 })) {
          seen.push(batch.offset);
          if (seen.length === 8) break; // the read of ordinal 2400 (the gap) is under way
        }
        await new Promise((resolve) => setImmediate(resolve));
        expect(seen).toEqual([0, 300, 600, 900, 1200, 1500, 1800, 2100]);
        expect(unhandled).toEqual([]);
        await expect(collect(subject.store.snapshots.batches(ref, { batchSize: 300 }))).rejects.toThrow(`content row ${gap} is missing`);
      } finally {
        process.off('unhandledRejection', onUnhandled);
      }
    });
  });

  describe('SnapshotStore: content ids of lists written at the same time', () => {
    const subject = useStore(harness);

    it('give each write of new rows one id range, while other lists write at the same time', async () => {
      const batches = 8;
      const write = async (listKey: string, from: number) => {
        const writer = await subject.store.snapshots.open({ client: '3003', listKey, runId: 'together' });
        for (let batch = 0; batch < batches; batch += 1) await writer.append(recipientRows(CHUNK_ROWS, from + batch * CHUNK_ROWS));
        return writer.finish();
      };
      // Three writers at once: on PostgreSQL their inserts overlap and, unserialised, interleave the id sequence.
      const written = await Promise.all(['a', 'b', 'c'].map((list, k) => write(`together-${list}`, k * 100_000)));
      for (const { snapshotRef } of written) {
        const chunks = await withDb(subject.config, (db) =>
          db.all<{ content_ids: string }>('SELECT content_ids FROM snapshot_chunks WHERE snapshot_ref = ? ORDER BY chunk_no', [
            snapshotRef,
          ]),
        );
        expect(chunks.map((chunk) => decodeRanges(chunk.content_ids).length)).toEqual(Array(batches).fill(1));
      }
    });
  });
}
