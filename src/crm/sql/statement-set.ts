import { CrmStatementError } from '../../errors/crm-statement-error';
import type { CrmStatements } from '../crm-config';
import type { StatementName } from './default-statements';
import { bindValues, compileNamedParameters, type CompiledStatement, type Dialect } from './named-parameters';

/** The configured statements compiled once for one dialect. */
export interface StatementSet {
  sql(name: StatementName): string;
  /** Whether the statement is configured (the optional `responseBatch`). */
  has(name: StatementName): boolean;
  values(name: StatementName, params: Readonly<Record<string, unknown>>): unknown[];
}

export function compileStatements(statements: CrmStatements, dialect: Dialect): StatementSet {
  const compiled = new Map<StatementName, CompiledStatement>();
  for (const [name, sql] of Object.entries(statements) as [StatementName, string | undefined][]) {
    // `responseBatch` is optional: absent, every open and click runs `response` on its own.
    if (sql !== undefined) compiled.set(name, compileNamedParameters(sql, dialect));
  }
  const get = (name: StatementName): CompiledStatement => {
    const c = compiled.get(name);
    if (c === undefined) throw new CrmStatementError(name, 'not configured');
    return c;
  };
  return {
    sql: (name) => get(name).sql,
    has: (name) => compiled.has(name),
    values: (name, params) => {
      try {
        return bindValues(get(name), params);
      } catch (cause) {
        throw new CrmStatementError(name, (cause as Error).message, { cause });
      }
    },
  };
}
