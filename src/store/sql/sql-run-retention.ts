import type { SqlDb } from '../../db/sql-db';
import { isoTimestamp } from '../schemas';
import { OPEN_RUN_STATUSES, type RunRetentionResult } from '../run-types';

/** Ledger rows deleted per statement: keeps each statement short, so other work interleaves. */
const DELETE_CHUNK = 10_000;

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
    for (;;) {
      const deleted = await db.run(
        // run_id in the outer condition too: PostgreSQL's key is (run_id, id), so `id IN` alone scans.
        'DELETE FROM ledger_entries WHERE run_id = ? AND id IN (SELECT id FROM ledger_entries WHERE run_id = ? ORDER BY id LIMIT ?)',
        [runId, runId, DELETE_CHUNK],
      );
      result.ledgerEntries += deleted;
      onProgress?.();
      if (deleted < DELETE_CHUNK) break;
    }
    await db.atomic([
      { sql: 'DELETE FROM sent_batches WHERE run_id = ?', params: [runId] },
      { sql: 'DELETE FROM run_steps WHERE run_id = ?', params: [runId] },
      { sql: 'DELETE FROM runs WHERE run_id = ?', params: [runId] },
    ]);
    result.runs += 1;
  }
  return result;
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
