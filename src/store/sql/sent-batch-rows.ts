import type { SqlValue } from '../../db/sql-db';
import type { ResultCode, SentBatch } from '../types';

export interface SentBatchRow {
  run_id: string;
  list_key: string;
  batch_no: number | string;
  snapshot_ref: string;
  result_codes: string;
}

/** Result codes are single digits 0..7, so a batch's codes are stored as one string of up to 1000 digits. */
export function sentBatchValues(batch: SentBatch, recordedAt: string): SqlValue[] {
  const problem = (what: string) => new TypeError(`Sent batch ${batch.batchNo} of list ${batch.listKey}: ${what}`);
  if (!batch.runId || !batch.listKey || !batch.snapshotRef) throw problem('runId, listKey and snapshotRef are required');
  if (!Number.isInteger(batch.batchNo) || batch.batchNo < 0) throw problem('batchNo must be a non-negative integer');
  if (batch.resultCodes.length === 0) throw problem('a batch needs at least one result code');
  const bad = batch.resultCodes.findIndex((code) => !Number.isInteger(code) || code < 0 || code > 7);
  if (bad >= 0) throw problem(`result code at position ${bad} must be 0..7`);
  return [batch.runId, batch.listKey, batch.batchNo, batch.snapshotRef, batch.resultCodes.join(''), recordedAt];
}

export function toSentBatch(row: SentBatchRow): SentBatch {
  return {
    runId: row.run_id,
    listKey: row.list_key,
    batchNo: Number(row.batch_no),
    snapshotRef: row.snapshot_ref,
    resultCodes: Array.from(row.result_codes, (digit) => Number(digit) as ResultCode),
  };
}
