import type { Migration } from '../../db/sql-db';

/**
 * PostgreSQL schema, one entry per version; the same tables as the SQLite schema. Timestamps are ISO
 * text in both engines so values round-trip exactly. The ledger's primary key (run_id, id) doubles as
 * the index its per-run streams and counts read, one index fewer to maintain per inserted entry.
 * Applied migrations are never edited.
 */
export const postgresMigrations: readonly Migration[] = [
  {
    version: 1,
    name: 'runs, steps, ledger, snapshots, watermarks, controls',
    sql: `
      CREATE TABLE runs (
        run_id TEXT PRIMARY KEY, kind TEXT NOT NULL, client TEXT NOT NULL, list_key TEXT,
        status TEXT NOT NULL, started_at TEXT NOT NULL, ended_at TEXT, counts TEXT NOT NULL,
        snapshot_ref TEXT, snapshot_count BIGINT, snapshot_checksum TEXT
      );
      CREATE INDEX runs_by_list ON runs (client, list_key, started_at);
      CREATE TABLE run_steps (
        run_id TEXT NOT NULL, name TEXT NOT NULL, status TEXT NOT NULL, started_at TEXT NOT NULL,
        ended_at TEXT, details TEXT NOT NULL, PRIMARY KEY (run_id, name)
      );
      CREATE TABLE ledger_entries (
        id BIGSERIAL, run_id TEXT NOT NULL, list_key TEXT NOT NULL, recipient_id TEXT NOT NULL,
        entity_type TEXT NOT NULL, entity_id TEXT NOT NULL, outcome TEXT NOT NULL,
        result_code SMALLINT, row_no BIGINT, reason TEXT, field TEXT,
        PRIMARY KEY (run_id, id)
      );
      CREATE UNIQUE INDEX ledger_sent_key ON ledger_entries (run_id, list_key, recipient_id) WHERE outcome = 'sent';
      CREATE UNIQUE INDEX ledger_excluded_key ON ledger_entries (run_id, list_key, row_no) WHERE outcome = 'excluded';
      CREATE INDEX ledger_by_recipient ON ledger_entries (recipient_id);
      CREATE INDEX ledger_by_entity ON ledger_entries (entity_id, entity_type);
      CREATE TABLE snapshots (
        snapshot_ref TEXT PRIMARY KEY, client TEXT NOT NULL, list_key TEXT NOT NULL, run_id TEXT NOT NULL,
        status TEXT NOT NULL, row_count BIGINT, checksum TEXT, created_at TEXT NOT NULL, completed_at TEXT
      );
      CREATE TABLE snapshot_rows (
        snapshot_ref TEXT NOT NULL, ordinal BIGINT NOT NULL, row_json TEXT NOT NULL,
        PRIMARY KEY (snapshot_ref, ordinal)
      );
      CREATE TABLE watermarks (
        client TEXT NOT NULL, kind TEXT NOT NULL, at TEXT NOT NULL, at_ms BIGINT NOT NULL,
        updated_at TEXT NOT NULL, PRIMARY KEY (client, kind)
      );
      CREATE TABLE list_controls (
        client TEXT NOT NULL, list_key TEXT NOT NULL, paused SMALLINT NOT NULL, paused_by TEXT NOT NULL,
        reason TEXT NOT NULL, at TEXT NOT NULL, PRIMARY KEY (client, list_key)
      );
      CREATE TABLE operator_actions (
        id BIGSERIAL PRIMARY KEY, action_id TEXT UNIQUE, actor TEXT NOT NULL, action TEXT NOT NULL,
        client TEXT NOT NULL, list_key TEXT, reason TEXT NOT NULL, at TEXT NOT NULL, details TEXT NOT NULL
      );
      CREATE INDEX operator_actions_by_list ON operator_actions (client, list_key, id);
      CREATE FUNCTION operator_actions_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE EXCEPTION 'operator_actions is append-only'; END $$;
      CREATE TRIGGER operator_actions_no_change BEFORE UPDATE OR DELETE ON operator_actions
        FOR EACH ROW EXECUTE FUNCTION operator_actions_append_only();
    `,
  },
  {
    version: 2,
    name: 'sent batches: result codes per refill batch, turned into ledger entries after the verify',
    sql: `
      CREATE TABLE sent_batches (
        run_id TEXT NOT NULL, list_key TEXT NOT NULL, batch_no INTEGER NOT NULL, snapshot_ref TEXT NOT NULL,
        result_codes TEXT NOT NULL, recorded_at TEXT NOT NULL, PRIMARY KEY (run_id, list_key, batch_no)
      );
    `,
  },
  {
    version: 3,
    name: 'sanitized ledger entries: one per accepted row and attribute value the export changed',
    sql: `
      CREATE UNIQUE INDEX ledger_sanitized_key ON ledger_entries (run_id, list_key, row_no, field) WHERE outcome = 'sanitized';
    `,
  },
  {
    version: 4,
    name: 'suppression ledger: Optimizely unsubscribes and bounces per client, never pruned',
    sql: `
      CREATE TABLE suppressions (
        client TEXT NOT NULL, kind TEXT NOT NULL, recipient_key TEXT NOT NULL, list_id BIGINT NOT NULL,
        occurred_at TEXT NOT NULL, occurred_at_ms BIGINT NOT NULL, source TEXT NOT NULL, recorded_at TEXT NOT NULL,
        PRIMARY KEY (client, kind, recipient_key, list_id, occurred_at_ms)
      );
    `,
  },
  {
    version: 5,
    name: 'feedback intake: dropped feedback files by checksum, applied feedback event keys',
    sql: `
      CREATE TABLE feedback_files (
        client TEXT NOT NULL, checksum TEXT NOT NULL, name TEXT NOT NULL, size BIGINT NOT NULL,
        run_id TEXT NOT NULL, status TEXT NOT NULL, reason TEXT NOT NULL, recorded_at TEXT NOT NULL,
        PRIMARY KEY (client, checksum)
      );
      CREATE TABLE feedback_event_keys (
        client TEXT NOT NULL, event_key TEXT NOT NULL, run_id TEXT NOT NULL, recorded_at TEXT NOT NULL,
        PRIMARY KEY (client, event_key)
      );
      CREATE INDEX feedback_event_keys_by_time ON feedback_event_keys (recorded_at);
    `,
  },
  {
    version: 6,
    name: 'alert incidents: the state of each incident and the state last notified, so one incident sends one notice',
    sql: `
      CREATE TABLE alert_incidents (
        client TEXT NOT NULL, incident_key TEXT NOT NULL, state TEXT NOT NULL, notified TEXT,
        run_id TEXT NOT NULL, changed_at TEXT NOT NULL, updated_at TEXT NOT NULL,
        PRIMARY KEY (client, incident_key)
      );
    `,
  },
  {
    version: 7,
    name: 'kept and removed ledger entries (strategy reconcile): unique per run, list and recipient id',
    sql: `
      CREATE UNIQUE INDEX ledger_kept_key ON ledger_entries (run_id, list_key, recipient_id) WHERE outcome = 'kept';
      CREATE UNIQUE INDEX ledger_removed_key ON ledger_entries (run_id, list_key, recipient_id) WHERE outcome = 'removed';
    `,
  },
  {
    version: 8,
    name: 'Optimizely call budget: slot leases per budget and holder, shared by every worker',
    sql: `
      CREATE TABLE optimizely_slot_leases (
        budget TEXT NOT NULL, holder TEXT NOT NULL, slots INTEGER NOT NULL, wanted INTEGER NOT NULL,
        expires_at_ms BIGINT NOT NULL, PRIMARY KEY (budget, holder)
      );
    `,
  },
  {
    version: 9,
    name: 'refused values: per list and recipient, the hash of the values Optimizely last refused, so the export leaves them out',
    sql: `
      CREATE TABLE refused_values (
        client TEXT NOT NULL, list_key TEXT NOT NULL, recipient_key TEXT NOT NULL, values_hash TEXT NOT NULL,
        field TEXT, run_id TEXT NOT NULL, refused_at TEXT NOT NULL,
        PRIMARY KEY (client, list_key, recipient_key)
      );
    `,
  },
];
