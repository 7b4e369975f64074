/** The two SQL engines campaign-sync speaks: SQLite embedded, PostgreSQL for shared deployments. */
export type SqlDialect = 'sqlite' | 'postgres';

/** Values a statement parameter may take; booleans are stored as 0/1 so both engines agree. */
export type SqlValue = string | number | null;

export interface SqlStatement {
  sql: string;
  params?: readonly SqlValue[];
}

/** One schema change, written once per dialect; `version` orders them and is recorded when applied. */
export interface Migration {
  version: number;
  name: string;
  sql: string;
}

export interface InsertRowsInput {
  table: string;
  columns: readonly string[];
  /**
   * PostgreSQL type of each column (`text`, `bigint`, ...): the driver then sends one array per
   * column. Pays off for many short values; long text with quotes (JSON) is faster without.
   */
  types?: readonly string[];
  rows: readonly (readonly SqlValue[])[];
  /**
   * The call's rows take consecutive values of the table's serial key, in row order: concurrent
   * calls with this set on the same table go in one at a time. PostgreSQL hands out serial values
   * to concurrent inserts interleaved row by row otherwise; SQLite writes one transaction at a time.
   */
  consecutiveIds?: boolean;
}

/**
 * The small SQL surface the state store needs. Statements use `?` placeholders in both dialects
 * (the PostgreSQL driver numbers them), so one store implementation serves both engines.
 */
export interface SqlDb {
  readonly dialect: SqlDialect;
  all<T>(sql: string, params?: readonly SqlValue[]): Promise<T[]>;
  /** Returns the number of rows the statement changed. */
  run(sql: string, params?: readonly SqlValue[]): Promise<number>;
  /** Runs the statements in one transaction; returns each statement's changed-row count. */
  atomic(statements: readonly SqlStatement[]): Promise<number[]>;
  /** Inserts many rows in one transaction, skipping rows that hit a unique key; returns rows inserted. */
  insertRows(input: InsertRowsInput): Promise<number>;
  /** Applies the migrations not applied yet, each in its own transaction, serialised across processes. */
  migrate(migrations: readonly Migration[]): Promise<number[]>;
  close(): Promise<void>;
}

export const MIGRATIONS_TABLE = 'schema_migrations';
