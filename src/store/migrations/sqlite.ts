import type { Migration } from '../../db/sql-db';

/** SQLite schema, one entry per version. Applied migrations are never edited: add a new version. */
export const sqliteMigrations: readonly Migration[] = [
  {
    version: 1,
    name: 'runs, steps, ledger, snapshots, watermarks, controls',
    sql: `
      CREATE TABLE runs (
        run_id TEXT PRIMARY KEY, kind TEXT NOT NULL, client TEXT NOT NULL, list_key TEXT,
        status TEXT NOT NULL, started_at TEXT NOT NULL, ended_at TEXT, counts TEXT NOT NULL,
        snapshot_ref TEXT, snapshot_count INTEGER, snapshot_checksum TEXT
      );
      CREATE INDEX runs_by_list ON runs (client, list_key, started_at);
      CREATE TABLE run_steps (
        run_id TEXT NOT NULL, name TEXT NOT NULL, status TEXT NOT NULL, started_at TEXT NOT NULL,
        ended_at TEXT, details TEXT NOT NULL, PRIMARY KEY (run_id, name)
      );
      CREATE TABLE ledger_entries (
        id INTEGER PRIMARY KEY, run_id TEXT NOT NULL, list_key TEXT NOT NULL, recipient_id TEXT NOT NULL,
        entity_type TEXT NOT NULL, entity_id TEXT NOT NULL, outcome TEXT NOT NULL,
        result_code INTEGER, row_no INTEGER, reason TEXT, field TEXT
      );
      CREATE UNIQUE INDEX ledger_sent_key ON ledger_entries (run_id, list_key, recipient_id) WHERE outcome = 'sent';
      CREATE UNIQUE INDEX ledger_excluded_key ON ledger_entries (run_id, list_key, row_no) WHERE outcome = 'excluded';
      CREATE INDEX ledger_by_run ON ledger_entries (run_id, id);
      CREATE INDEX ledger_by_recipient ON ledger_entries (recipient_id);
      CREATE INDEX ledger_by_entity ON ledger_entries (entity_id, entity_type);
      CREATE TABLE snapshots (
        snapshot_ref TEXT PRIMARY KEY, client TEXT NOT NULL, list_key TEXT NOT NULL, run_id TEXT NOT NULL,
        status TEXT NOT NULL, row_count INTEGER, checksum TEXT, created_at TEXT NOT NULL, completed_at TEXT
      );
      CREATE TABLE snapshot_rows (
        snapshot_ref TEXT NOT NULL, ordinal INTEGER NOT NULL, row_json TEXT NOT NULL,
        PRIMARY KEY (snapshot_ref, ordinal)
      ) WITHOUT ROWID;
      CREATE TABLE watermarks (
        client TEXT NOT NULL, kind TEXT NOT NULL, at TEXT NOT NULL, at_ms INTEGER NOT NULL,
        updated_at TEXT NOT NULL, PRIMARY KEY (client, kind)
      );
      CREATE TABLE list_controls (
        client TEXT NOT NULL, list_key TEXT NOT NULL, paused INTEGER NOT NULL, paused_by TEXT NOT NULL,
        reason TEXT NOT NULL, at TEXT NOT NULL, PRIMARY KEY (client, list_key)
      );
      CREATE TABLE operator_actions (
        id INTEGER PRIMARY KEY, action_id TEXT UNIQUE, actor TEXT NOT NULL, action TEXT NOT NULL,
        client TEXT NOT NULL, list_key TEXT, reason TEXT NOT NULL, at TEXT NOT NULL, details TEXT NOT NULL
      );
      CREATE INDEX operator_actions_by_list ON operator_actions (client, list_key, id);
      CREATE TRIGGER operator_actions_no_update BEFORE UPDATE ON operator_actions
        BEGIN SELECT RAISE(ABORT, 'operator_actions is append-only'); END;
      CREATE TRIGGER operator_actions_no_delete BEFORE DELETE ON operator_actions
        BEGIN SELECT RAISE(ABORT, 'operator_actions is append-only'); END;
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
        client TEXT NOT NULL, kind TEXT NOT NULL, recipient_key TEXT NOT NULL, list_id INTEGER NOT NULL,
        occurred_at TEXT NOT NULL, occurred_at_ms INTEGER NOT NULL, source TEXT NOT NULL, recorded_at TEXT NOT NULL,
        PRIMARY KEY (client, kind, recipient_key, list_id, occurred_at_ms)
      );
    `,
  },
  {
    version: 5,
    name: 'feedback intake: dropped feedback files by checksum, applied feedback event keys',
    sql: `
      CREATE TABLE feedback_files (
        client TEXT NOT NULL, checksum TEXT NOT NULL, name TEXT NOT NULL, size INTEGER NOT NULL,
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
        expires_at_ms INTEGER NOT NULL, PRIMARY KEY (budget, holder)
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
  {
    version: 10,
    name: 'content-addressed snapshots: rows stored once per list by hash, a snapshot is chunks of content ids',
    // Existing rows are converted as they are (hash NULL: never shared); ids follow the ordinals, so a
    // converted chunk is one id range. Their snapshots age out with the snapshot retention.
    sql: `
      CREATE TABLE store_lists (
        id INTEGER PRIMARY KEY, client TEXT NOT NULL, list_key TEXT NOT NULL, ledger_seq INTEGER NOT NULL DEFAULT 0,
        UNIQUE (client, list_key)
      );
      CREATE TABLE snapshot_contents (id INTEGER PRIMARY KEY, list_id INTEGER NOT NULL, hash TEXT, row_json TEXT NOT NULL);
      CREATE UNIQUE INDEX snapshot_contents_by_hash ON snapshot_contents (list_id, hash);
      CREATE TABLE snapshot_chunks (
        snapshot_ref TEXT NOT NULL, chunk_no INTEGER NOT NULL, content_ids TEXT NOT NULL,
        PRIMARY KEY (snapshot_ref, chunk_no)
      ) WITHOUT ROWID;
      INSERT INTO store_lists (client, list_key) SELECT DISTINCT client, list_key FROM snapshots ORDER BY client, list_key;
      CREATE TEMPORARY TABLE legacy_rows AS
        SELECT r.snapshot_ref, r.ordinal, r.row_json, l.id AS list_id,
          ROW_NUMBER() OVER (ORDER BY r.snapshot_ref, r.ordinal) AS content_id
        FROM snapshot_rows r JOIN snapshots s ON s.snapshot_ref = r.snapshot_ref
        JOIN store_lists l ON l.client = s.client AND l.list_key = s.list_key;
      INSERT INTO snapshot_contents (id, list_id, hash, row_json) SELECT content_id, list_id, NULL, row_json FROM legacy_rows;
      INSERT INTO snapshot_chunks (snapshot_ref, chunk_no, content_ids)
        SELECT snapshot_ref, ordinal / 1000,
          CASE WHEN MIN(content_id) = MAX(content_id) THEN CAST(MIN(content_id) AS TEXT)
               ELSE CAST(MIN(content_id) AS TEXT) || '-' || CAST(MAX(content_id) AS TEXT) END
        FROM legacy_rows GROUP BY snapshot_ref, ordinal / 1000;
      DROP TABLE legacy_rows;
      DROP TABLE snapshot_rows;
    `,
  },
  {
    version: 11,
    name: 'ledger spans: an entry is stored once for the consecutive runs of its list that have it',
    // Existing entries are converted: runs numbered per list in recording order, equal entries of
    // consecutive runs merged into one span (gaps and islands).
    sql: `
      CREATE TABLE ledger_runs (
        id INTEGER PRIMARY KEY, run_id TEXT NOT NULL, list_key TEXT NOT NULL, list_id INTEGER NOT NULL, seq INTEGER NOT NULL,
        UNIQUE (run_id, list_key), UNIQUE (list_id, seq)
      );
      CREATE TABLE ledger_spans (
        id INTEGER PRIMARY KEY, list_id INTEGER NOT NULL, outcome TEXT NOT NULL, recipient_id TEXT NOT NULL,
        entity_type TEXT NOT NULL, entity_id TEXT NOT NULL, result_code INTEGER, row_no INTEGER, reason TEXT, field TEXT,
        first_seq INTEGER NOT NULL, last_seq INTEGER NOT NULL
      );
      CREATE UNIQUE INDEX ledger_spans_sent_key ON ledger_spans (recipient_id, list_id, first_seq) WHERE outcome = 'sent';
      CREATE UNIQUE INDEX ledger_spans_excluded_key ON ledger_spans (list_id, row_no, first_seq) WHERE outcome = 'excluded';
      CREATE UNIQUE INDEX ledger_spans_sanitized_key ON ledger_spans (list_id, row_no, field, first_seq) WHERE outcome = 'sanitized';
      CREATE UNIQUE INDEX ledger_spans_kept_key ON ledger_spans (recipient_id, list_id, first_seq) WHERE outcome = 'kept';
      CREATE UNIQUE INDEX ledger_spans_removed_key ON ledger_spans (recipient_id, list_id, first_seq) WHERE outcome = 'removed';
      CREATE INDEX ledger_spans_other_by_recipient ON ledger_spans (recipient_id) WHERE outcome <> 'sent';
      CREATE INDEX ledger_spans_by_entity ON ledger_spans (entity_id, entity_type);
      CREATE INDEX ledger_spans_by_list ON ledger_spans (list_id, first_seq);
      INSERT INTO store_lists (client, list_key)
        SELECT DISTINCT COALESCE(r.client, ''), l.list_key FROM ledger_entries l LEFT JOIN runs r ON r.run_id = l.run_id
        ON CONFLICT DO NOTHING;
      INSERT INTO ledger_runs (id, run_id, list_key, list_id, seq)
        SELECT ROW_NUMBER() OVER (ORDER BY e.first_id), e.run_id, e.list_key, sl.id,
          ROW_NUMBER() OVER (PARTITION BY sl.id ORDER BY e.first_id)
        FROM (
          SELECT l.run_id, l.list_key, COALESCE(r.client, '') AS client, MIN(l.id) AS first_id
          FROM ledger_entries l LEFT JOIN runs r ON r.run_id = l.run_id GROUP BY l.run_id, l.list_key, r.client
        ) e JOIN store_lists sl ON sl.client = e.client AND sl.list_key = e.list_key;
      UPDATE store_lists SET ledger_seq = COALESCE((SELECT MAX(seq) FROM ledger_runs WHERE list_id = store_lists.id), 0);
      INSERT INTO ledger_spans (id, list_id, outcome, recipient_id, entity_type, entity_id, result_code, row_no, reason, field, first_seq, last_seq)
        SELECT ROW_NUMBER() OVER (ORDER BY MIN(first_id)), list_id, outcome, recipient_id, entity_type, entity_id,
          result_code, row_no, reason, field, MIN(seq), MAX(seq)
        FROM (
          SELECT lr.list_id, l.outcome, l.recipient_id, l.entity_type, l.entity_id, l.result_code, l.row_no, l.reason, l.field,
            lr.seq, l.id AS first_id,
            lr.seq - ROW_NUMBER() OVER (
              PARTITION BY lr.list_id, l.outcome, l.recipient_id, l.entity_type, l.entity_id, l.result_code, l.row_no, l.reason, l.field
              ORDER BY lr.seq) AS island
          FROM ledger_entries l JOIN ledger_runs lr ON lr.run_id = l.run_id AND lr.list_key = l.list_key
        ) x
        GROUP BY list_id, outcome, recipient_id, entity_type, entity_id, result_code, row_no, reason, field, island;
      DROP TABLE ledger_entries;
    `,
  },
  {
    version: 12,
    name: 'suppressions by recording time: the refill asks for opt-outs recorded since its last batch',
    sql: `CREATE INDEX suppressions_by_recorded_at ON suppressions (client, recorded_at);`,
  },
  {
    version: 13,
    name: "ledger spans: a reconcile's unchanged recipient continues its sent span (kept_from) instead of starting a kept span",
    // Null on every existing span: they answer as before. No index: read with the span, never searched by.
    sql: `ALTER TABLE ledger_spans ADD COLUMN kept_from INTEGER;`,
  },
  {
    version: 14,
    name: 'runs.opt_in_id and runs.media_type: the consent a list or restore run sent its recipients under',
    // Null on every existing run: its consent is unknown, and feedback withdraws the consent configured today, as before.
    sql: `
      ALTER TABLE runs ADD COLUMN opt_in_id TEXT;
      ALTER TABLE runs ADD COLUMN media_type TEXT;
    `,
  },
  {
    version: 15,
    name: 'runs.optimizely_list_id: the Optimizely list a list or restore run sent its recipients to',
    // Null on every existing run: an opt-out reported for a list no longer configured cannot be
    // tied to such a run's recipients, and is reported as unresolved instead of guessed.
    sql: `ALTER TABLE runs ADD COLUMN optimizely_list_id INTEGER;`,
  },
  {
    version: 16,
    name: 'crm_withdrawals: the withdrawals the CRM stated per consent and recipient key, so clearing the flag without a newer consent reverses none',
    // One row per key, the latest export that read the withdrawal; never pruned, like the suppressions.
    sql: `
      CREATE TABLE crm_withdrawals (
        client TEXT NOT NULL, opt_in_id TEXT NOT NULL, media_type TEXT NOT NULL, recipient_key TEXT NOT NULL,
        withdrawn_at_ms INTEGER NOT NULL, withdrawn_at TEXT NOT NULL,
        PRIMARY KEY (client, opt_in_id, media_type, recipient_key)
      );
    `,
  },
];
