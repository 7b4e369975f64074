import type { SqlDb } from '../../db/sql-db';
import { whereClause } from '../../db/where';
import { runRecordSchema, stepRecordSchema } from '../schemas';
import type { RunStore } from '../state-store';
import { deleteRunsStartedBefore } from './sql-run-retention';
import { runConsentField, type RunConsentColumns } from './run-consent-columns';
import type { RunFilter, RunKind, RunRecord, RunStatus, StepRecord, StepStatus } from '../run-types';

interface RunRow extends RunConsentColumns {
  run_id: string;
  kind: RunKind;
  client: string;
  list_key: string | null;
  status: RunStatus;
  started_at: string;
  ended_at: string | null;
  counts: string;
  snapshot_ref: string | null;
  snapshot_count: number | string | null;
  snapshot_checksum: string | null;
}

interface StepRow {
  run_id: string;
  name: string;
  status: StepStatus;
  started_at: string;
  ended_at: string | null;
  details: string;
}

const RUN_COLUMNS =
  'run_id, kind, client, list_key, status, started_at, ended_at, counts, snapshot_ref, snapshot_count, snapshot_checksum, opt_in_id, media_type, optimizely_list_id';

function toRun(row: RunRow): RunRecord {
  return {
    runId: row.run_id,
    kind: row.kind,
    client: row.client,
    listKey: row.list_key,
    status: row.status,
    startedAt: row.started_at,
    endedAt: row.ended_at,
    counts: JSON.parse(row.counts) as Record<string, number>,
    snapshot:
      row.snapshot_ref === null
        ? null
        : { snapshotRef: row.snapshot_ref, count: Number(row.snapshot_count), checksum: row.snapshot_checksum ?? '' },
    // Present only when recorded (migrations 14, 15): a run from before has no known consent or list id.
    ...runConsentField(row),
  };
}

function toStep(row: StepRow): StepRecord {
  const { run_id: runId, name, status, started_at: startedAt, ended_at: endedAt } = row;
  return { runId, name, status, startedAt, endedAt, details: JSON.parse(row.details) as StepRecord['details'] };
}

export function createSqlRunStore(db: SqlDb): RunStore {
  return {
    deleteStartedBefore: (before, onProgress) => deleteRunsStartedBefore(db, before, onProgress),

    async upsert(input) {
      const run = runRecordSchema.parse(input);
      const s = run.snapshot;
      await db.run(
        // A consent once recorded is kept by upserts that do not name one (startRun, finishRun); a
        // retried export under another configuration records its own.
        `INSERT INTO runs (${RUN_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (run_id) DO UPDATE SET kind = excluded.kind, client = excluded.client, list_key = excluded.list_key,
           status = excluded.status, ended_at = excluded.ended_at, counts = excluded.counts,
           snapshot_ref = excluded.snapshot_ref, snapshot_count = excluded.snapshot_count,
           snapshot_checksum = excluded.snapshot_checksum,
           opt_in_id = COALESCE(excluded.opt_in_id, runs.opt_in_id), media_type = COALESCE(excluded.media_type, runs.media_type),
           optimizely_list_id = COALESCE(excluded.optimizely_list_id, runs.optimizely_list_id)`,
        [
          run.runId,
          run.kind,
          run.client,
          run.listKey,
          run.status,
          run.startedAt,
          run.endedAt,
          JSON.stringify(run.counts),
          s?.snapshotRef ?? null,
          s?.count ?? null,
          s?.checksum ?? null,
          run.consent?.optInId ?? null,
          run.consent?.mediaType ?? null,
          run.listId ?? null,
        ],
      );
    },

    async get(runId) {
      const rows = await db.all<RunRow>(`SELECT ${RUN_COLUMNS} FROM runs WHERE run_id = ?`, [runId]);
      return rows[0] && toRun(rows[0]);
    },

    async list(filter: RunFilter = {}) {
      const { clause, params } = whereClause([
        ['client = ?', filter.client],
        ['list_key = ?', filter.listKey],
        ['kind = ?', filter.kind],
        ['status = ?', filter.status],
      ]);
      const rows = await db.all<RunRow>(`SELECT ${RUN_COLUMNS} FROM runs ${clause} ORDER BY started_at DESC, run_id DESC LIMIT ?`, [
        ...params,
        filter.limit ?? 50,
      ]);
      return rows.map(toRun);
    },

    async ledgerCompleteSince(client, since) {
      const rows = await db.all<{ complete: string | null }>(
        `SELECT MAX(first) AS complete FROM (SELECT MIN(started_at) AS first FROM runs
           WHERE client = ? AND kind = 'list' AND started_at >= ? GROUP BY list_key) firsts`,
        [client, since ?? ''],
      );
      return rows[0]?.complete ?? undefined;
    },

    async lastGood(client, listKey) {
      const rows = await db.all<RunRow>(
        `SELECT ${RUN_COLUMNS} FROM runs WHERE client = ? AND list_key = ? AND kind = 'list' AND status = 'completed'
           AND snapshot_ref IS NOT NULL ORDER BY started_at DESC, run_id DESC LIMIT 1`,
        [client, listKey],
      );
      return rows[0] && toRun(rows[0]);
    },

    async upsertStep(input) {
      const step = stepRecordSchema.parse(input);
      await db.run(
        `INSERT INTO run_steps (run_id, name, status, started_at, ended_at, details) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (run_id, name) DO UPDATE SET status = excluded.status, ended_at = excluded.ended_at, details = excluded.details`,
        [step.runId, step.name, step.status, step.startedAt, step.endedAt, JSON.stringify(step.details)],
      );
    },

    async steps(runId) {
      const rows = await db.all<StepRow>(
        'SELECT run_id, name, status, started_at, ended_at, details FROM run_steps WHERE run_id = ? ORDER BY started_at, name',
        [runId],
      );
      return rows.map(toStep);
    },
  };
}
