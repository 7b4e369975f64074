import type { SqlDb } from '../../db/sql-db';
import { SnapshotChecksumError } from '../../errors/snapshot-checksum-error';
import { SnapshotNotFoundError } from '../../errors/snapshot-not-found-error';
import { RowChecksum } from '../canonical-json';
import { snapshotMetaSchema, isoTimestamp } from '../schemas';
import type { SnapshotStore } from '../state-store';
import type { SnapshotInfo, SnapshotMeta, SnapshotRow } from '../snapshot-types';
import { snapshotRowTexts } from './sql-snapshot-contents';
import { sweepSnapshotContents } from './sql-snapshot-sweep';
import { openSqlSnapshotWriter } from './sql-snapshot-writer';

export const MAX_SNAPSHOT_BATCH = 1000;
/** Batches `batches()` reads with one look-up: fewer statements per row, a few MB of text at most. */
const READ_AHEAD_BATCHES = 8;

interface HeaderRow {
  snapshot_ref: string;
  client: string;
  list_key: string;
  run_id: string;
  row_count: number | string;
  checksum: string;
  created_at: string;
  completed_at: string;
}

/**
 * A read started now and awaited later: its failure is held (not an unhandled rejection while the
 * caller is busy with the previous read) and thrown when the rows are asked for.
 */
function readAhead(rows: () => Promise<string[]>, offset: number, wanted: number) {
  const settled = rows().then(
    (texts) => ({ texts }),
    (error: unknown) => ({ error }),
  );
  return {
    offset,
    wanted,
    rows: async () => {
      const result = await settled;
      if ('error' in result) throw result.error;
      return result.texts;
    },
  };
}

export function createSqlSnapshotStore(db: SqlDb): SnapshotStore {
  const get = async (ref: string): Promise<SnapshotInfo | undefined> => {
    const [row] = await db.all<HeaderRow>(
      `SELECT snapshot_ref, client, list_key, run_id, row_count, checksum, created_at, completed_at
       FROM snapshots WHERE snapshot_ref = ? AND status = 'complete'`,
      [ref],
    );
    if (!row) return undefined;
    const { snapshot_ref: snapshotRef, client, list_key: listKey, run_id: runId, checksum } = row;
    return {
      snapshotRef,
      client,
      listKey,
      runId,
      checksum,
      count: Number(row.row_count),
      createdAt: row.created_at,
      completedAt: row.completed_at,
    };
  };
  const ofRun = async (meta: SnapshotMeta): Promise<SnapshotInfo[]> => {
    const rows = await db.all<{ snapshot_ref: string }>(
      `SELECT snapshot_ref FROM snapshots WHERE client = ? AND list_key = ? AND run_id = ? AND status = 'complete'
       ORDER BY created_at, snapshot_ref`,
      [meta.client, meta.listKey, meta.runId],
    );
    const infos = await Promise.all(rows.map((row) => get(row.snapshot_ref)));
    return infos.filter((info): info is SnapshotInfo => info !== undefined);
  };
  const mustGet = async (ref: string) => {
    const info = await get(ref);
    if (!info) throw new SnapshotNotFoundError(ref);
    return info;
  };
  // One read of the chunks covering the range, then of the content rows they name.
  const rawRows = (ref: string, offset: number, limit: number) => snapshotRowTexts(db, ref, offset, limit);
  const parse = (rows: string[]) => rows.map((text) => JSON.parse(text) as SnapshotRow);

  const store: SnapshotStore = {
    open: (meta) => openSqlSnapshotWriter(db, snapshotMetaSchema.parse(meta)),

    async write(meta, rows) {
      const writer = await store.open(meta);
      let batch: SnapshotRow[] = [];
      try {
        for await (const row of rows) {
          batch.push(row);
          if (batch.length >= MAX_SNAPSHOT_BATCH) await writer.append(batch.splice(0));
        }
        await writer.append(batch);
        batch = [];
        return await writer.finish();
      } catch (error) {
        await writer.abort().catch(() => undefined);
        throw error;
      }
    },

    get,
    ofRun,

    async readBatch(ref, offset, limit) {
      await mustGet(ref);
      return parse(await rawRows(ref, offset, limit));
    },

    async *batches(ref, options = {}) {
      await mustGet(ref);
      const size = Math.min(Math.max(1, options.batchSize ?? MAX_SNAPSHOT_BATCH), MAX_SNAPSHOT_BATCH);
      const end = options.endOffset ?? Number.POSITIVE_INFINITY;
      // Several batches per read (one chunk query, one content query), handed out one at a time and
      // parsed only when asked for; the next read runs while this one's batches are used, so a
      // caller sending them does not wait for the store between reads.
      const read = (offset: number) => {
        const wanted = Math.min(size * READ_AHEAD_BATCHES, end - offset);
        return readAhead(() => rawRows(ref, offset, wanted), offset, wanted);
      };
      const start = options.fromOffset ?? 0;
      let next = start < end ? read(start) : undefined;
      // Left early, a read still running ends unobserved: its failure was caught when it started.
      while (next) {
        const { offset, wanted } = next;
        const ahead = await next.rows();
        next = ahead.length === wanted && offset + wanted < end ? read(offset + wanted) : undefined;
        for (let i = 0; i < ahead.length; i += size) yield { offset: offset + i, rows: parse(ahead.slice(i, i + size)) };
      }
    },

    async verify(ref, expected) {
      const info = await mustGet(ref);
      const checksum = new RowChecksum();
      // Hashes the stored text itself: it is the canonical JSON written, so no re-serialising is needed.
      for (let offset = 0; ; offset += MAX_SNAPSHOT_BATCH) {
        const rows = await rawRows(ref, offset, MAX_SNAPSHOT_BATCH);
        for (const text of rows) checksum.add(text);
        if (rows.length < MAX_SNAPSHOT_BATCH) break;
      }
      const actual = { count: checksum.count, checksum: checksum.digest() };
      for (const want of [{ count: info.count, checksum: info.checksum }, ...(expected ? [expected] : [])]) {
        if (want.count !== actual.count || want.checksum !== actual.checksum) throw new SnapshotChecksumError(ref, want, actual);
      }
      return { snapshotRef: ref, ...actual };
    },

    async delete(ref) {
      const [, headers] = await db.atomic([
        { sql: 'DELETE FROM snapshot_chunks WHERE snapshot_ref = ?', params: [ref] },
        { sql: 'DELETE FROM snapshots WHERE snapshot_ref = ?', params: [ref] },
      ]);
      return (headers ?? 0) > 0;
    },

    async deleteOlderThan(before, options = {}) {
      const keep = new Set(options.keep ?? []);
      const old = await db.all<{ snapshot_ref: string }>('SELECT snapshot_ref FROM snapshots WHERE created_at < ?', [
        isoTimestamp.parse(before),
      ]);
      let deleted = 0;
      for (const { snapshot_ref: ref } of old) if (!keep.has(ref) && (await store.delete(ref))) deleted += 1;
      // Rows are shared between snapshots: only those no remaining snapshot holds go (aborted writers' too).
      await sweepSnapshotContents(db);
      return deleted;
    },
  };
  return store;
}
