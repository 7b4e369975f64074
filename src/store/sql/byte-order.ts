import type { SqlDb } from '../../db/sql-db';

/**
 * `column` for an ORDER BY that compares bytes (UTF-8, so by code point) in both engines. SQLite's
 * default collation (BINARY) does; PostgreSQL's follows the database's locale (`en_US.UTF-8` puts
 * `a.csv` before `B.csv` and ignores punctuation at first), so it is asked for "C", its byte order.
 */
export function byteOrder(db: Pick<SqlDb, 'dialect'>, column: string): string {
  return db.dialect === 'postgres' ? `${column} COLLATE "C"` : column;
}
