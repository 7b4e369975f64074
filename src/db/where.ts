import type { SqlValue } from './sql-db';

/**
 * Builds `WHERE a = ? AND b = ?` from optional filters: conditions whose value is undefined are left
 * out. Each condition is SQL with exactly one `?`.
 */
export function whereClause(conditions: readonly (readonly [string, SqlValue | undefined])[]): {
  clause: string;
  params: SqlValue[];
} {
  const used = conditions.filter((condition): condition is readonly [string, SqlValue] => condition[1] !== undefined);
  return {
    clause: used.length ? `WHERE ${used.map(([sql]) => sql).join(' AND ')}` : '',
    params: used.map(([, value]) => value),
  };
}
