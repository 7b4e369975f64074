import { createHash } from 'node:crypto';
import type { SqlDb } from '../../db/sql-db';
import { SnapshotChecksumError } from '../../errors/snapshot-checksum-error';
import { decodeRanges } from './content-id-ranges';
import { readSpans } from './sql-snapshot-spans';

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
      // One id range per write even while another list's export writes too: a chunk reads as one span.
      consecutiveIds: true,
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
  const spans: Array<[number, number]> = [];
  chunks.forEach((chunk, i) => {
    const chunkNo = Number(chunk.chunk_no);
    if (chunkNo !== firstChunk + i) throw damaged(snapshotRef, `chunk ${firstChunk + i} is missing`);
    const start = chunkNo * CHUNK_ROWS;
    appendSpans(spans, decodeRanges(chunk.content_ids), offset - start, offset + limit - start);
  });
  const texts = await readSpans(db, spans);
  const missing = texts.indexOf(undefined);
  if (missing >= 0) throw damaged(snapshotRef, `content row ${idAt(spans, missing)} is missing`);
  return texts as string[];
}

/**
 * Appends the content id spans of ordinals [from, to) of one chunk (ordinals relative to the chunk)
 * to `spans`, in ordinal order, joining a span that continues the previous one: an unchanged list
 * read across chunks is one span, without listing its ids one by one.
 */
export function appendSpans(
  spans: Array<[number, number]>,
  ranges: ReadonlyArray<readonly [number, number]>,
  from: number,
  to: number,
): void {
  let position = 0;
  for (const [first, last] of ranges) {
    const lo = Math.max(from, position);
    const hi = Math.min(to, position + last - first + 1);
    if (lo < hi) {
      const span: [number, number] = [first + lo - position, first + hi - 1 - position];
      const tail = spans[spans.length - 1];
      if (tail && tail[1] + 1 === span[0]) tail[1] = span[1];
      else spans.push(span);
    }
    position += last - first + 1;
    if (position >= to) return;
  }
}

/** The id at position `k` of the spans read one after another. */
function idAt(spans: ReadonlyArray<readonly [number, number]>, k: number): number {
  let left = k;
  for (const [first, last] of spans) {
    if (left <= last - first) return first + left;
    left -= last - first + 1;
  }
  return Number.NaN;
}

function damaged(snapshotRef: string, what: string): SnapshotChecksumError {
  const error = new SnapshotChecksumError(snapshotRef, { count: 0, checksum: what }, { count: 0, checksum: what });
  error.message = `Snapshot ${snapshotRef} cannot be read back: ${what}`;
  return error;
}
