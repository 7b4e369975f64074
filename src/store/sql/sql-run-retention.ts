import type { SqlDb } from '../../db/sql-db';
import { isoTimestamp } from '../schemas';
import { OPEN_RUN_STATUSES, type RunRetentionResult } from '../run-types';
import { runSlots } from './ledger-run-slots';

/** Ledger spans deleted per statement: keeps each statement short, so other work interleaves. */
const DELETE_CHUNK = 5_000;

/**
 * Deletes runs started before `before` with their ledger entries, sent batches and steps, except runs
 * still open and the newest completed list run of each list with a snapshot (the guard's reference
 * size). The run row goes last, so an interrupted prune is finished by the next one.
 */
export async function deleteRunsStartedBefore(db: SqlDb, before: string, onProgress?: () => void): Promise<RunRetentionResult> {
  const cutoff = isoTimestamp.parse(before);
  const result: RunRetentionResult = { runs: 0, ledgerEntries: 0 };
  const keep = new Set((await db.all<{ run_id: string }>(LAST_GOOD_PER_LIST)).map((row) => row.run_id));
  const old = await db.all<{ run_id: string }>(
    `SELECT run_id FROM runs WHERE started_at < ? AND status NOT IN (${OPEN_RUN_STATUSES.map(() => '?').join(', ')}) ORDER BY started_at`,
    [cutoff, ...OPEN_RUN_STATUSES],
  );
  for (const { run_id: runId } of old) {
    if (keep.has(runId)) continue;
    result.ledgerEntries += await deleteRunLedger(db, runId, onProgress);
    await db.atomic([
      { sql: 'DELETE FROM ledger_runs WHERE run_id = ?', params: [runId] },
      { sql: 'DELETE FROM sent_batches WHERE run_id = ?', params: [runId] },
      { sql: 'DELETE FROM run_steps WHERE run_id = ?', params: [runId] },
      { sql: 'DELETE FROM runs WHERE run_id = ?', params: [runId] },
    ]);
    result.runs += 1;
  }
  return result;
}

/**
 * Deletes the spans only this run still needs (no other run of the list within their seqs) and
 * returns how many entries the run had. Its ledger_runs row goes with the run row afterwards, so an
 * interrupted prune finds the run again and finishes it.
 */
async function deleteRunLedger(db: SqlDb, runId: string, onProgress?: () => void): Promise<number> {
  let entries = 0;
  for (const slot of await runSlots(db, runId)) {
    const inRun = [slot.listId, slot.seq, slot.seq];
    const [count] = await db.all<{ n: number | string }>(
      'SELECT COUNT(*) AS n FROM ledger_spans s WHERE s.list_id = ? AND s.first_seq <= ? AND s.last_seq >= ?',
      inRun,
    );
    entries += Number(count?.n ?? 0);
    const orphans = await db.all<{ id: number | string }>(
      `SELECT s.id FROM ledger_spans s WHERE s.list_id = ? AND s.first_seq <= ? AND s.last_seq >= ?
         AND NOT EXISTS (SELECT 1 FROM ledger_runs lr WHERE lr.list_id = s.list_id AND lr.seq >= s.first_seq AND lr.seq <= s.last_seq AND lr.seq <> ?)`,
      [...inRun, slot.seq],
    );
    for (let i = 0; i < orphans.length; i += DELETE_CHUNK) {
      const ids = orphans.slice(i, i + DELETE_CHUNK).map((row) => Number(row.id));
      await db.run(`DELETE FROM ledger_spans WHERE id IN (${ids.map(() => '?').join(', ')})`, ids);
      onProgress?.();
    }
  }
  onProgress?.();
  return entries;
}

/** Per (client, list): the newest completed list run that exported a snapshot (same order as `lastGood`). */
const LAST_GOOD_PER_LIST = `
  SELECT r.run_id FROM runs r
  WHERE r.kind = 'list' AND r.status = 'completed' AND r.snapshot_ref IS NOT NULL
    AND NOT EXISTS (
      SELECT 1 FROM runs n
      WHERE n.client = r.client AND n.list_key = r.list_key AND n.kind = 'list' AND n.status = 'completed'
        AND n.snapshot_ref IS NOT NULL
        AND (n.started_at > r.started_at OR (n.started_at = r.started_at AND n.run_id > r.run_id))
    )`;
