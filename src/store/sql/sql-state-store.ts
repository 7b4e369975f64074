import type { SqlDb } from '../../db/sql-db';
import type { StateStore } from '../state-store';
import { createSqlControlStore } from './sql-control-store';
import { createSqlIncidentStore } from './sql-incident-store';
import { createSqlFeedbackIntakeStore } from './sql-feedback-intake-store';
import { createSqlLedgerStore } from './sql-ledger-store';
import { createSqlRefusalStore } from './sql-refusal-store';
import { createSqlRunStore } from './sql-run-store';
import { createSqlSlotLeaseStore } from './sql-slot-lease-store';
import { createSqlSnapshotStore } from './sql-snapshot-store';
import { createSqlSuppressionStore } from './sql-suppression-store';
import { createSqlWatermarkStore } from './sql-watermark-store';

/**
 * One implementation for both engines: the SQL is the portable subset SQLite and PostgreSQL share
 * (ON CONFLICT upserts, partial unique indexes, keyset pages); only the schema text and the driver differ.
 */
export function createSqlStateStore(db: SqlDb): StateStore {
  return {
    dialect: db.dialect,
    runs: createSqlRunStore(db),
    ledger: createSqlLedgerStore(db),
    snapshots: createSqlSnapshotStore(db),
    watermarks: createSqlWatermarkStore(db),
    controls: createSqlControlStore(db),
    suppressions: createSqlSuppressionStore(db),
    feedbackIntake: createSqlFeedbackIntakeStore(db),
    incidents: createSqlIncidentStore(db),
    slotLeases: createSqlSlotLeaseStore(db),
    refusals: createSqlRefusalStore(db),
    close: () => db.close(),
  };
}
