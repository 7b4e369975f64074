import type { StatementName } from './default-statements';

/**
 * A value, or a promise of it. A synchronous driver (better-sqlite3) answers at once: a promise and
 * an `await` per event were most of the JavaScript work of applying ten pages of opens and clicks.
 */
export type MaybePromise<T> = T | Promise<T>;

/** What a statement returning rows answered: its rows and its column names (known even when it returned none). */
export interface ReturnedRows {
  rows: readonly Record<string, unknown>[];
  columns: readonly string[];
}

/** The two operations the shared feedback/response logic needs from a SQL connection. */
export interface SqlExecutor {
  /** Runs a configured write statement; the number of rows it changed. */
  run(name: StatementName, params: Readonly<Record<string, unknown>>): MaybePromise<number>;
  /** Runs a configured query; its first row, if any. */
  get(name: StatementName, params: Readonly<Record<string, unknown>>): MaybePromise<Record<string, unknown> | undefined>;
  /**
   * Present when `responseBatch` is configured: runs it, answering every row it returned and its
   * column names (response-batch.ts).
   */
  all?(name: 'responseBatch', params: Readonly<Record<string, unknown>>): MaybePromise<ReturnedRows>;
}

/** Runs `work` inside one database transaction, committed when it resolves. */
export type InTransaction = <T>(work: (executor: SqlExecutor) => Promise<T>) => Promise<T>;
