import { CrmStatementError } from '../../errors/crm-statement-error';
import type { CrmStatements } from '../crm-config';
import type { StatementName } from './default-statements';
import { bindValues, compileNamedParameters, type CompiledStatement, type Dialect } from './named-parameters';

/** The configured statements compiled once for one dialect. */
export interface StatementSet {
  sql(name: StatementName): string;
  values(name: StatementName, params: Readonly<Record<string, unknown>>): unknown[];
}

export function compileStatements(statements: CrmStatements, dialect: Dialect): StatementSet {
  const compiled = new Map<StatementName, CompiledStatement>();
  for (const [name, sql] of Object.entries(statements) as [StatementName, string][]) {
    compiled.set(name, compileNamedParameters(sql, dialect));
  }
  const get = (name: StatementName): CompiledStatement => {
    const c = compiled.get(name);
    if (c === undefined) throw new CrmStatementError(name, 'not configured');
    return c;
  };
  return {
    sql: (name) => get(name).sql,
    values: (name, params) => {
      try {
        return bindValues(get(name), params);
      } catch (cause) {
        throw new CrmStatementError(name, (cause as Error).message, { cause });
      }
    },
  };
}
