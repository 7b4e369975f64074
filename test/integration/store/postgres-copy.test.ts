import fc from 'fast-check';
import { Pool } from 'pg';
import { withTransaction } from '../../../src/db/postgres-db';
import { copyRows, copyRowsSkippingConflicts } from '../../../src/db/postgres-copy';
import type { SqlValue } from '../../../src/db/sql-db';
import { CopyValueError } from '../../../src/errors/copy-value-error';
import { startTestPostgres, type TestPostgres } from '../../helpers/postgres';

// Valid Unicode (whole code points, astral planes included) without NUL: everything PostgreSQL text holds.
const text = fc.string({ unit: 'binary', maxLength: 40 }).filter((s) => !s.includes('\u0000'));
const nullableText = fc.option(fc.oneof(text, fc.constantFrom('\\N', '\\.', '\t\n\r\\', '')), { nil: null });

describe('COPY into PostgreSQL', () => {
  let server: TestPostgres | undefined;
  let pool: Pool;
  beforeAll(async () => {
    server = await startTestPostgres();
    pool = new Pool({ connectionString: server.url, max: 2 });
    await pool.query('CREATE TABLE copied (id BIGINT PRIMARY KEY, a TEXT, b TEXT)');
    await pool.query('CREATE TABLE inserted (id BIGINT PRIMARY KEY, a TEXT, b TEXT)');
  });
  afterAll(async () => {
    await pool?.end();
    await server?.stop();
  });
  beforeEach(async () => {
    await pool.query('TRUNCATE copied, inserted');
  });

  const table = (name: string) =>
    pool.query<{ id: string; a: string | null; b: string | null }>(`SELECT id, a, b FROM ${name} ORDER BY id`);

  it('stores every Unicode string exactly, and exactly what INSERT stores', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(nullableText, nullableText), { minLength: 1, maxLength: 30 }), async (pairs) => {
        await pool.query('TRUNCATE copied, inserted');
        const rows: SqlValue[][] = pairs.map(([a, b], id) => [id, a, b]);
        const copied = await withTransaction(pool, (client) => copyRows(client, 'copied', ['id', 'a', 'b'], rows));
        for (const row of rows) await pool.query('INSERT INTO inserted (id, a, b) VALUES ($1, $2, $3)', row);
        expect(copied).toBe(rows.length);
        const fromCopy = (await table('copied')).rows;
        expect(fromCopy).toEqual((await table('inserted')).rows);
        expect(fromCopy.map((r) => [Number(r.id), r.a, r.b])).toEqual(rows);
      }),
      { numRuns: 40 },
    );
  });

  it('refuses a value holding NUL before writing anything, naming its column and row', async () => {
    const rows: SqlValue[][] = [
      [1, 'fine', 'fine'],
      [2, 'fine', 'bad\u0000value'],
    ];
    await expect(withTransaction(pool, (client) => copyRows(client, 'copied', ['id', 'a', 'b'], rows))).rejects.toThrow(
      new CopyValueError('copied', 'b', 1, 'text contains U+0000 (NUL), which PostgreSQL text cannot hold'),
    );
    expect((await table('copied')).rows).toEqual([]);
  });

  it('skips rows already stored and repeated rows, like INSERT ... ON CONFLICT DO NOTHING, in one transaction', async () => {
    await pool.query("INSERT INTO copied (id, a) VALUES (2, 'before'), (4, 'before')");
    const rows: SqlValue[][] = [1, 2, 3, 4, 5, 3].map((id) => [id, `new ${id}`, null]);
    const inserted = await withTransaction(pool, (client) =>
      copyRowsSkippingConflicts(client, { table: 'copied', columns: ['id', 'a', 'b'], rows }),
    );
    expect(inserted).toBe(3);
    expect((await table('copied')).rows.map((r) => `${r.id}:${r.a}`)).toEqual(['1:new 1', '2:before', '3:new 3', '4:before', '5:new 5']);
    // The same batch again (a retried write) changes nothing and fails nothing.
    expect(
      await withTransaction(pool, (client) => copyRowsSkippingConflicts(client, { table: 'copied', columns: ['id', 'a', 'b'], rows })),
    ).toBe(0);
  });

  it('keeps the caller transaction: a later failure leaves none of the copied rows', async () => {
    const rows: SqlValue[][] = [[1, 'a', 'b']];
    await expect(
      withTransaction(pool, async (client) => {
        await copyRowsSkippingConflicts(client, { table: 'copied', columns: ['id', 'a', 'b'], rows });
        throw new Error('later step failed');
      }),
    ).rejects.toThrow('later step failed');
    expect((await table('copied')).rows).toEqual([]);
  });

  it('streams a batch larger than one chunk', async () => {
    const rows: SqlValue[][] = Array.from({ length: 2500 }, (_, id) => [id, `row ${id}\t${id}`, null]);
    expect(
      await withTransaction(pool, (client) => copyRowsSkippingConflicts(client, { table: 'copied', columns: ['id', 'a', 'b'], rows })),
    ).toBe(2500);
    const [last] = (await pool.query<{ a: string }>('SELECT a FROM copied WHERE id = 2499')).rows;
    expect(last?.a).toBe('row 2499\t2499');
  });
});
