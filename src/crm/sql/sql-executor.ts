import type { StatementName } from './default-statements';

/** The two operations the shared feedback/response logic needs from a SQL connection. */
export interface SqlExecutor {
  /** Runs a configured write statement; resolves to the number of rows it changed. */
  run(name: StatementName, params: Readonly<Record<string, unknown>>): Promise<number>;
  /** Runs a configured query; resolves to its first row, if any. */
  get(name: StatementName, params: Readonly<Record<string, unknown>>): Promise<Record<string, unknown> | undefined>;
}

/** Runs `work` inside one database transaction, committed when it resolves. */
export type InTransaction = <T>(work: (executor: SqlExecutor) => Promise<T>) => Promise<T>;
