import { createHash } from 'node:crypto';
import type { SqlDb } from '../../db/sql-db';
import { SnapshotChecksumError } from '../../errors/snapshot-checksum-error';
import { decodeRanges, mergeRanges } from './content-id-ranges';

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
  const spans: Array<[number, number]> = [];
  chunks.forEach((chunk, i) => {
    const chunkNo = Number(chunk.chunk_no);
    if (chunkNo !== firstChunk + i) throw damaged(snapshotRef, `chunk ${firstChunk + i} is missing`);
    const start = chunkNo * CHUNK_ROWS;
    appendSpans(spans, decodeRanges(chunk.content_ids), offset - start, offset + limit - start);
  });
  return spans.length <= SPAN_QUERIES ? textsOfSpans(db, snapshotRef, spans) : textsOfScattered(db, snapshotRef, spans);
}

/** Spans read one ordered range query each; more (a much-churned list) go through one id look-up. */
const SPAN_QUERIES = 8;

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

/** Each span in id order: its ids are consecutive, so the rows come back in ordinal order as they are. */
async function textsOfSpans(db: SqlDb, snapshotRef: string, spans: ReadonlyArray<readonly [number, number]>): Promise<string[]> {
  const texts: string[] = [];
  for (const [first, last] of spans) {
    const rows = await db.all<{ row_json: string }>('SELECT row_json FROM snapshot_contents WHERE id >= ? AND id <= ? ORDER BY id', [
      first,
      last,
    ]);
    // Ids are unique: as many rows as ids means every id of the span is there.
    if (rows.length !== last - first + 1) throw damaged(snapshotRef, `content rows ${first}-${last} are incomplete`);
    for (const row of rows) texts.push(row.row_json);
  }
  return texts;
}

/** Many short spans: the contents by id, looked up as merged ranges and single ids, then put in order. */
async function textsOfScattered(db: SqlDb, snapshotRef: string, spans: ReadonlyArray<readonly [number, number]>): Promise<string[]> {
  const texts = await textsById(db, spans);
  const ordered: string[] = [];
  for (const [first, last] of spans) {
    for (let id = first; id <= last; id += 1) {
      const text = texts.get(id);
      if (text === undefined) throw damaged(snapshotRef, `content row ${id} is missing`);
      ordered.push(text);
    }
  }
  return ordered;
}

/** Reads contents by id, asking for runs of consecutive ids as ranges (an unchanged chunk is one range). */
async function textsById(db: SqlDb, spans: ReadonlyArray<readonly [number, number]>): Promise<Map<number, string>> {
  const texts = new Map<number, string>();
  const ranges = mergeRanges(spans.map(([first, last]): [number, number] => [first, last]));
  const singles = ranges.filter(([first, last]) => first === last).map(([id]) => id);
  const runs = ranges.filter(([first, last]) => first < last);
  const read = async (where: string, params: number[]) => {
    const rows = await db.all<{ id: number | string; row_json: string }>(
      `SELECT id, row_json FROM snapshot_contents WHERE ${where}`,
      params,
    );
    for (const row of rows) texts.set(Number(row.id), row.row_json);
  };
  for (let i = 0; i < runs.length; i += 100) {
    const part = runs.slice(i, i + 100);
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
