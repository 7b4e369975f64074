import fc from 'fast-check';
import { bindValues, compileNamedParameters } from '../../../src/crm/sql/named-parameters';

describe('compileNamedParameters', () => {
  it('turns named parameters into ? placeholders for SQLite, repeats included', () => {
    const c = compileNamedParameters('SELECT :a, :b, :a', 'sqlite');
    expect(c).toEqual({ sql: 'SELECT ?, ?, ?', names: ['a', 'b', 'a'] });
  });

  it('numbers each distinct name once for PostgreSQL', () => {
    const c = compileNamedParameters('SELECT :a, :b, :a', 'postgres');
    expect(c).toEqual({ sql: 'SELECT $1, $2, $1', names: ['a', 'b'] });
  });

  it('leaves casts, quoted text and comments alone', () => {
    const sql = 'SELECT :x::text, \':no\', "col:no" -- :no\n/* :no */ FROM t WHERE a = :y';
    const c = compileNamedParameters(sql, 'postgres');
    expect(c.sql).toBe('SELECT $1::text, \':no\', "col:no" -- :no\n/* :no */ FROM t WHERE a = $2');
    expect(c.names).toEqual(['x', 'y']);
  });

  it('binds values in placeholder order and refuses unknown names', () => {
    const c = compileNamedParameters('UPDATE t SET a = :a WHERE b = :b', 'sqlite');
    expect(bindValues(c, { b: 2, a: 1, extra: 3 })).toEqual([1, 2]);
    expect(() => bindValues(c, { a: 1 })).toThrow('unknown parameter :b');
    // Counterexample found by the property below: `in` took :constructor from the prototype and bound a function.
    expect(() => bindValues(compileNamedParameters('UPDATE t SET a = :constructor', 'postgres'), { a: 1 })).toThrow(
      'unknown parameter :constructor',
    );
  });

  it('refuses every name the caller does not provide, names of the prototype included', () => {
    const provided = { kind: 'bounce', recipientId: 'r', entityId: 'C1' };
    const name = fc.oneof(
      fc.constantFrom('constructor', 'toString', 'valueOf', 'hasOwnProperty', '__proto__', '__defineGetter__', 'isPrototypeOf'),
      fc.stringMatching(/^[A-Za-z_][A-Za-z0-9_]{0,12}$/),
    );
    fc.assert(
      fc.property(name, fc.constantFrom<'sqlite' | 'postgres'>('sqlite', 'postgres'), (n, dialect) => {
        const compiled = compileNamedParameters(`SELECT :kind, :${n}`, dialect);
        if (Object.hasOwn(provided, n)) expect(bindValues(compiled, provided)).toEqual(['bounce', provided[n as keyof typeof provided]]);
        else expect(() => bindValues(compiled, provided)).toThrow(`unknown parameter :${n}`);
      }),
    );
  });
});
