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
  });
});
