import type { SqlDb } from '../../db/sql-db';
import { storeListId } from './store-lists';

/**
 * Where a run's entries for one list live in the span layout: the list's id and the run's place in
 * that list's sequence of runs (`seq`, increasing, never reused, gaps allowed).
 */
export interface RunSlot {
  runId: string;
  listKey: string;
  listId: number;
  seq: number;
}

interface SlotRow {
  run_id: string;
  list_key: string;
  list_id: number | string;
  seq: number | string;
}

const toSlot = (row: SlotRow): RunSlot => ({ runId: row.run_id, listKey: row.list_key, listId: Number(row.list_id), seq: Number(row.seq) });

/** The slots of a run (one per list it recorded entries for), optionally of one list only. */
export async function runSlots(db: SqlDb, runId: string, listKey?: string): Promise<RunSlot[]> {
  const rows = await db.all<SlotRow>(
    `SELECT run_id, list_key, list_id, seq FROM ledger_runs WHERE run_id = ? ${listKey === undefined ? '' : 'AND list_key = ?'} ORDER BY id`,
    listKey === undefined ? [runId] : [runId, listKey],
  );
  return rows.map(toSlot);
}

/**
 * The run's slot for a list, registered on its first entry: the list is the run's client (from
 * `runs`, '' for a run not recorded there) and list key; the seq comes from the list's counter in
 * the same transaction, so two runs of one list can never share or reorder seqs.
 */
export async function registerRunSlot(db: SqlDb, runId: string, listKey: string): Promise<RunSlot> {
  const [known] = await runSlots(db, runId, listKey);
  if (known) return known;
  const [run] = await db.all<{ client: string }>('SELECT client FROM runs WHERE run_id = ?', [runId]);
  const listId = await storeListId(db, run?.client ?? '', listKey);
  await db.atomic([
    { sql: 'UPDATE store_lists SET ledger_seq = ledger_seq + 1 WHERE id = ?', params: [listId] },
    {
      sql: `INSERT INTO ledger_runs (run_id, list_key, list_id, seq)
            SELECT ?, ?, id, ledger_seq FROM store_lists WHERE id = ? ON CONFLICT DO NOTHING`,
      params: [runId, listKey, listId],
    },
  ]);
  const [slot] = await runSlots(db, runId, listKey);
  if (!slot) throw new Error(`Run ${runId} has no ledger slot for list ${listKey} right after registering it`);
  return slot;
}

/** The seq of the list's run before `seq` (gaps are wasted or pruned seqs), or null for its first run. */
export async function previousSeq(db: SqlDb, slot: RunSlot): Promise<number | null> {
  const [row] = await db.all<{ seq: number | string | null }>('SELECT MAX(seq) AS seq FROM ledger_runs WHERE list_id = ? AND seq < ?', [
    slot.listId,
    slot.seq,
  ]);
  return row?.seq == null ? null : Number(row.seq);
}
