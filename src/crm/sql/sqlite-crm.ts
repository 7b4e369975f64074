import Database from 'better-sqlite3';
import { CrmListUnknownError } from '../../errors/crm-list-unknown-error';
import { CrmStatementError } from '../../errors/crm-statement-error';
import { configuredList, type SqliteCrmConfig } from '../crm-config';
import type { CrmPort, CrmRow } from '../crm-port';
import { checkSelectionColumnNames } from '../selection-column-names';
import { applyEventBatch, applyFeedbackEvents, applyResponseEvents, campaignFor } from './apply-sql-events';
import type { StatementName } from './default-statements';
import { createSerialQueue } from './serial-queue';
import type { ReturnedRows, SqlExecutor } from './sql-executor';
import { statementRefusal } from './statement-refusal';
import { compileStatements } from './statement-set';

/** Opens the CRM in a SQLite file (the embedded default and the demo CRM). */
export function openSqliteCrm(config: SqliteCrmConfig): CrmPort {
  const db = new Database(config.file, { fileMustExist: true });
  db.pragma('busy_timeout = 5000');
  const statements = compileStatements(config.statements, 'sqlite');
  const serial = createSerialQueue();

  const prepared = new Map<StatementName, Database.Statement>();
  const prepare = (name: StatementName): Database.Statement => {
    const cached = prepared.get(name);
    if (cached !== undefined) return cached;
    try {
      const statement = exactIntegers(db.prepare(statements.sql(name)));
      prepared.set(name, statement);
      return statement;
    } catch (cause) {
      throw new CrmStatementError(name, (cause as Error).message, { cause });
    }
  };
  const refusing = <T>(name: StatementName, params: Readonly<Record<string, unknown>>, work: (s: Database.Statement) => T): T => {
    const statement = prepare(name);
    try {
      return work(statement);
    } catch (cause) {
      throw statementRefusal(name, cause, params);
    }
  };
  // Synchronous, as better-sqlite3 is: no promise per statement (sql-executor.ts).
  const executor: SqlExecutor = {
    run: (name, params) => refusing(name, params, (s) => s.run(...statements.values(name, params)).changes),
    get: (name, params) => refusing(name, params, (s) => s.get(...statements.values(name, params)) as Record<string, unknown> | undefined),
    ...(statements.has('responseBatch') ? { all: (name, params) => refusing(name, params, (s) => returnedRows(name, s, params)) } : {}),
  };
  const returnedRows = (name: StatementName, s: Database.Statement, params: Readonly<Record<string, unknown>>): ReturnedRows => {
    if (!s.reader) throw new CrmStatementError(name, 'returns no rows (it must return the parameters of each event it recorded)');
    return { rows: s.all(...statements.values(name, params)) as Record<string, unknown>[], columns: columnNames(s) };
  };
  const inTransaction = <T>(work: () => Promise<T>): Promise<T> =>
    serial(async () => {
      db.exec('BEGIN IMMEDIATE');
      try {
        const result = await work();
        db.exec('COMMIT');
        return result;
      } catch (error) {
        db.exec('ROLLBACK');
        throw error;
      }
    });

  return {
    exportSelection: (listKey) => streamSelection(config, listKey),
    applyFeedback: (events) => inTransaction(() => applyFeedbackEvents(executor, events)),
    applyResponses: (events) => inTransaction(() => applyResponseEvents(executor, events)),
    applyEvents: (batch) => inTransaction(() => applyEventBatch(executor, batch)),
    campaignForMailing: (mailingId) => serial(() => campaignFor(executor, mailingId)),
    close: async () => {
      await serial(async () => db.close());
    },
  };
}

/**
 * INTEGER values come back as bigints: as JavaScript numbers, ids past 2^53 (64-bit CRM keys) would
 * be rounded, two entities would share one id, and an opt-out would reach the wrong one. A bigint
 * has an exact text form (cellText); small values read the same as before.
 */
function exactIntegers(statement: Database.Statement): Database.Statement {
  return statement.safeIntegers(true);
}

// A read-only connection of its own: better-sqlite3 keeps a connection busy while a statement
// iterates, and the export must not block feedback writes for its whole duration.
async function* streamSelection(config: SqliteCrmConfig, listKey: string): AsyncGenerator<CrmRow> {
  const list = configuredList(config.lists, listKey);
  if (list === undefined) throw new CrmListUnknownError(listKey);
  const db = new Database(config.file, { readonly: true, fileMustExist: true });
  try {
    const statement = exactIntegers(db.prepare(list.query));
    // Row objects keep one value per name: a column read twice must be refused before it is lost.
    checkSelectionColumnNames(listKey, columnNames(statement), list.attributes);
    for (const row of statement.iterate()) yield row as CrmRow;
  } finally {
    db.close();
  }
}

/** The selection's column names in order (a statement that returns no data has none). */
function columnNames(statement: Database.Statement): string[] {
  return statement.reader ? statement.columns().map((column) => column.name) : [];
}
