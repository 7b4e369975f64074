// Configured statements use named parameters (`:entityId`); drivers want positional ones (`?` for
// SQLite, `$1` for PostgreSQL). The scan skips quoted text and comments, and PostgreSQL's `::type`
// casts, so a colon there is never taken for a parameter.

export interface CompiledStatement {
  sql: string;
  /** Parameter names in the order of their placeholders (repeats included for `?`). */
  names: string[];
}

export type Dialect = 'sqlite' | 'postgres';

const NAME = /[A-Za-z_][A-Za-z0-9_]*/y;

export function compileNamedParameters(sql: string, dialect: Dialect): CompiledStatement {
  const names: string[] = [];
  const pgIndex = new Map<string, number>();
  let out = '';
  let i = 0;
  while (i < sql.length) {
    const ch = sql[i] as string;
    const skipped = skipLiteral(sql, i);
    if (skipped > i) {
      out += sql.slice(i, skipped);
      i = skipped;
    } else if (ch === ':' && sql[i + 1] === ':') {
      out += '::';
      i += 2;
    } else if (ch === ':' && matchName(sql, i + 1) !== undefined) {
      const name = matchName(sql, i + 1) as string;
      out += placeholder(name, dialect, names, pgIndex);
      i += 1 + name.length;
    } else {
      out += ch;
      i += 1;
    }
  }
  return { sql: out, names };
}

/** Positional values for a compiled statement; throws on a name the caller does not provide. */
export function bindValues(compiled: CompiledStatement, params: Readonly<Record<string, unknown>>): unknown[] {
  const { names } = compiled;
  const values = new Array<unknown>(names.length);
  for (let i = 0; i < names.length; i += 1) {
    const name = names[i] as string;
    // Own properties only: `in` would find :constructor or :toString on the prototype and bind a function.
    if (!Object.hasOwn(params, name)) throw new RangeError(`unknown parameter :${name}`);
    values[i] = params[name];
  }
  return values;
}

function placeholder(name: string, dialect: Dialect, names: string[], pgIndex: Map<string, number>): string {
  if (dialect === 'sqlite') {
    names.push(name);
    return '?';
  }
  let index = pgIndex.get(name);
  if (index === undefined) {
    names.push(name);
    index = names.length;
    pgIndex.set(name, index);
  }
  return `$${index}`;
}

function matchName(sql: string, at: number): string | undefined {
  NAME.lastIndex = at;
  return NAME.exec(sql)?.[0];
}

/** Returns the index after a quoted string or comment starting at `i`, or `i` when none starts there. */
function skipLiteral(sql: string, i: number): number {
  const ch = sql[i];
  if (ch === "'" || ch === '"') {
    let j = i + 1;
    while (j < sql.length) {
      if (sql[j] === ch && sql[j + 1] === ch) j += 2;
      else if (sql[j] === ch) return j + 1;
      else j += 1;
    }
    return sql.length;
  }
  if (ch === '-' && sql[i + 1] === '-') {
    const end = sql.indexOf('\n', i);
    return end === -1 ? sql.length : end;
  }
  if (ch === '/' && sql[i + 1] === '*') {
    const end = sql.indexOf('*/', i + 2);
    return end === -1 ? sql.length : end + 2;
  }
  return i;
}
