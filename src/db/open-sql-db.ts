import { openPostgresDb } from './postgres-db';
import type { SqlDb } from './sql-db';
import { openSqliteDb } from './sqlite-db';

export type SqlDbConfig = { kind: 'sqlite'; file: string } | { kind: 'postgres'; url: string; poolSize?: number };

/** Opens the engine a configuration names; the caller applies its own migrations. */
export function openSqlDb(config: SqlDbConfig): SqlDb {
  return config.kind === 'sqlite' ? openSqliteDb(config.file) : openPostgresDb(config.url, { poolSize: config.poolSize });
}
