import { createHash } from 'node:crypto';
import type { SqlDb } from '../../db/sql-db';
import { SnapshotChecksumError } from '../../errors/snapshot-checksum-error';
import { decodeContentIds, mergeRanges } from './content-id-ranges';

/** Rows per chunk of a snapshot's membership: chunk k holds the content ids of ordinals k*1000 .. k*1000+999. */
export const CHUNK_ROWS = 1000;
/** Parameters per look-up statement, far below both engines' limits. */
const IDS_PER_QUERY = 500;

/** sha256 of a row's canonical JSON (base64): the content's address within its list. */
export function contentHash(canonicalRow: string): string {
  return createHash('sha256').update(canonicalRow).digest('base64');
}

/**
 * The content id of each row text (canonical JSON) within one list, inserting the texts not stored
 * yet: an unchanged recipient's row is stored once however many snapshots hold it.
 */
export async function contentIds(db: SqlDb, listId: number, texts: readonly string[]): Promise<number[]> {
  const hashes = texts.map(contentHash);
  const known = await idsByHash(db, listId, [...new Set(hashes)]);
  const missing = new Map<string, string>();
  hashes.forEach((hash, i) => {
    if (!known.has(hash)) missing.set(hash, texts[i] as string);
  });
  if (missing.size > 0) {
    await db.insertRows({
      table: 'snapshot_contents',
      columns: ['list_id', 'hash', 'row_json'],
      rows: [...missing].map(([hash, text]) => [listId, hash, text]),
    });
    for (const [hash, id] of await idsByHash(db, listId, [...missing.keys()])) known.set(hash, id);
  }
  return hashes.map((hash) => {
    const id = known.get(hash);
    if (id === undefined) throw new Error(`Snapshot content of list ${listId} was not stored`);
    return id;
  });
}

async function idsByHash(db: SqlDb, listId: number, hashes: readonly string[]): Promise<Map<string, number>> {
  const found = new Map<string, number>();
  for (let i = 0; i < hashes.length; i += IDS_PER_QUERY) {
    const part = hashes.slice(i, i + IDS_PER_QUERY);
    const rows = await db.all<{ id: number | string; hash: string }>(
      `SELECT id, hash FROM snapshot_contents WHERE list_id = ? AND hash IN (${part.map(() => '?').join(', ')})`,
      [listId, ...part],
    );
    for (const row of rows) found.set(row.hash, Number(row.id));
  }
  return found;
}

/**
 * The stored texts of ordinals `offset` .. `offset + limit - 1` in order (fewer at the end of the
 * snapshot). A missing chunk or content row fails loudly: a snapshot must never read as fewer rows.
 */
export async function snapshotRowTexts(db: SqlDb, snapshotRef: string, offset: number, limit: number): Promise<string[]> {
  if (limit <= 0) return [];
  const firstChunk = Math.floor(offset / CHUNK_ROWS);
  const chunks = await db.all<{ chunk_no: number | string; content_ids: string }>(
    'SELECT chunk_no, content_ids FROM snapshot_chunks WHERE snapshot_ref = ? AND chunk_no >= ? AND chunk_no <= ? ORDER BY chunk_no',
    [snapshotRef, firstChunk, Math.floor((offset + limit - 1) / CHUNK_ROWS)],
  );
  const ids: number[] = [];
  chunks.forEach((chunk, i) => {
    const chunkNo = Number(chunk.chunk_no);
    if (chunkNo !== firstChunk + i) throw damaged(snapshotRef, `chunk ${firstChunk + i} is missing`);
    const chunkIds = decodeContentIds(chunk.content_ids);
    const from = Math.max(0, offset - chunkNo * CHUNK_ROWS);
    const to = Math.min(chunkIds.length, offset + limit - chunkNo * CHUNK_ROWS);
    for (let k = from; k < to; k += 1) ids.push(chunkIds[k] as number);
  });
  const texts = await textsById(db, ids);
  return ids.map((id) => {
    const text = texts.get(id);
    if (text === undefined) throw damaged(snapshotRef, `content row ${id} is missing`);
    return text;
  });
}

/** Reads contents by id, asking for runs of consecutive ids as ranges (an unchanged chunk is one range). */
async function textsById(db: SqlDb, ids: readonly number[]): Promise<Map<number, string>> {
  const texts = new Map<number, string>();
  const ranges = mergeRanges(ids.map((id): [number, number] => [id, id]));
  const singles = ranges.filter(([first, last]) => first === last).map(([id]) => id);
  const spans = ranges.filter(([first, last]) => first < last);
  const read = async (where: string, params: number[]) => {
    const rows = await db.all<{ id: number | string; row_json: string }>(
      `SELECT id, row_json FROM snapshot_contents WHERE ${where}`,
      params,
    );
    for (const row of rows) texts.set(Number(row.id), row.row_json);
  };
  for (let i = 0; i < spans.length; i += 100) {
    const part = spans.slice(i, i + 100);
    await read(part.map(() => '(id >= ? AND id <= ?)').join(' OR '), part.flat());
  }
  for (let i = 0; i < singles.length; i += IDS_PER_QUERY) {
    const part = singles.slice(i, i + IDS_PER_QUERY);
    await read(`id IN (${part.map(() => '?').join(', ')})`, part);
  }
  return texts;
}

function damaged(snapshotRef: string, what: string): SnapshotChecksumError {
  const error = new SnapshotChecksumError(snapshotRef, { count: 0, checksum: what }, { count: 0, checksum: what });
  error.message = `Snapshot ${snapshotRef} cannot be read back: ${what}`;
  return error;
}
