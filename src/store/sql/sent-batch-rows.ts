import type { SqlValue } from '../../db/sql-db';
import type { ResultCode, SentBatch } from '../ledger-types';

export interface SentBatchRow {
  run_id: string;
  list_key: string;
  batch_no: number | string;
  snapshot_ref: string;
  result_codes: string;
}

/** A position refused on its own (the recipient is ledgered `rejected`), among the digits. */
const REJECTED_MARK = 'r';
/** A position left out because Optimizely holds the recipient as unsubscribed (ledgered excluded). */
const UNSUBSCRIBED_MARK = 'u';

/**
 * Result codes are single digits 0..7, so a batch's codes are stored as one string of up to 1000
 * characters; `r` marks a rejected position, `u` one left out as unsubscribed at Optimizely.
 */
export function sentBatchValues(batch: SentBatch, recordedAt: string): SqlValue[] {
  const problem = (what: string) => new TypeError(`Sent batch ${batch.batchNo} of list ${batch.listKey}: ${what}`);
  if (!batch.runId || !batch.listKey || !batch.snapshotRef) throw problem('runId, listKey and snapshotRef are required');
  if (!Number.isInteger(batch.batchNo) || batch.batchNo < 0) throw problem('batchNo must be a non-negative integer');
  if (batch.resultCodes.length === 0) throw problem('a batch needs at least one result code');
  const rejected = new Set(batch.rejectedPositions ?? []);
  const left = new Set(batch.unsubscribedPositions ?? []);
  for (const [what, positions] of [
    ['rejected', rejected],
    ['unsubscribed', left],
  ] as const) {
    const outside = [...positions].find((position) => !Number.isInteger(position) || position < 0 || position >= batch.resultCodes.length);
    if (outside !== undefined) throw problem(`${what} position ${outside} is outside the batch`);
  }
  const bad = batch.resultCodes.findIndex(
    (code, i) => !rejected.has(i) && !left.has(i) && (!Number.isInteger(code) || code < 0 || code > 7),
  );
  if (bad >= 0) throw problem(`result code at position ${bad} must be 0..7`);
  const codes = batch.resultCodes
    .map((code, i) => (rejected.has(i) ? REJECTED_MARK : left.has(i) ? UNSUBSCRIBED_MARK : String(code)))
    .join('');
  return [batch.runId, batch.listKey, batch.batchNo, batch.snapshotRef, codes, recordedAt];
}

/** Stored codes with `positions` marked left out (`u`), whatever they held; a position outside the batch is refused. */
export function withLeftOut(codes: string, positions: readonly number[], batch: { listKey: string; batchNo: number }): string {
  const marks = Array.from(codes);
  for (const position of positions) {
    if (!Number.isInteger(position) || position < 0 || position >= marks.length)
      throw new TypeError(`Sent batch ${batch.batchNo} of list ${batch.listKey}: left-out position ${position} is outside the batch`);
    marks[position] = UNSUBSCRIBED_MARK;
  }
  return marks.join('');
}

export function toSentBatch(row: SentBatchRow): SentBatch {
  const marks = Array.from(row.result_codes);
  const rejectedPositions = marks.flatMap((mark, i) => (mark === REJECTED_MARK ? [i] : []));
  const unsubscribedPositions = marks.flatMap((mark, i) => (mark === UNSUBSCRIBED_MARK ? [i] : []));
  return {
    runId: row.run_id,
    listKey: row.list_key,
    batchNo: Number(row.batch_no),
    snapshotRef: row.snapshot_ref,
    // A rejected position keeps 7 (general error), a left-out one 2 (unsubscribed) as its placeholder code.
    resultCodes: marks.map((mark) => (mark === REJECTED_MARK ? 7 : mark === UNSUBSCRIBED_MARK ? 2 : (Number(mark) as ResultCode))),
    ...(rejectedPositions.length > 0 ? { rejectedPositions } : {}),
    ...(unsubscribedPositions.length > 0 ? { unsubscribedPositions } : {}),
  };
}
