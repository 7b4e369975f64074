import { Pool, types, type PoolClient } from 'pg';
import Cursor from 'pg-cursor';
import { withTransaction } from '../../db/postgres-db';
import { CrmListUnknownError } from '../../errors/crm-list-unknown-error';
import { CrmStatementError } from '../../errors/crm-statement-error';
import { configuredList, type PostgresCrmConfig } from '../crm-config';
import { UNREAD_CELL, type CrmPort, type CrmRow } from '../crm-port';
import { checkSelectionColumnNames } from '../selection-column-names';
import { applyEventBatch, applyFeedbackEvents, applyResponseEvents, campaignFor } from './apply-sql-events';
import type { SqlExecutor } from './sql-executor';
import { selectionFailure, statementRefusal } from './statement-refusal';
import { compileStatements, type StatementSet } from './statement-set';

/** Opens a CRM in PostgreSQL; `url` is the resolved connection string (see resolveCrmUrl). */
export function openPostgresCrm(config: PostgresCrmConfig, url: string): CrmPort {
  const pool = new Pool({ connectionString: url, max: 4 });
  // An idle connection dropped by the server must not crash the worker; the next query reports it.
  pool.on('error', () => undefined);
  const statements = compileStatements(config.statements, 'postgres');

  const inTransaction = <T>(work: (x: SqlExecutor) => Promise<T>): Promise<T> =>
    withTransaction(pool, (client) => work(executorOn(client, statements)));

  return {
    exportSelection: (listKey) => streamSelection(pool, config, listKey),
    applyFeedback: (events) => inTransaction((x) => applyFeedbackEvents(x, events)),
    applyResponses: (events) => inTransaction((x) => applyResponseEvents(x, events)),
    applyEvents: (batch) => inTransaction((x) => applyEventBatch(x, batch)),
    campaignForMailing: (mailingId) => inTransaction((x) => campaignFor(x, mailingId)),
    close: () => pool.end(),
  };
}

function executorOn(client: PoolClient, statements: StatementSet): SqlExecutor {
  const query = async (name: Parameters<SqlExecutor['run']>[0], params: Readonly<Record<string, unknown>>) => {
    try {
      return await client.query(statements.sql(name), statements.values(name, params));
    } catch (cause) {
      throw statementRefusal(name, cause, params);
    }
  };
  return {
    run: async (name, params) => (await query(name, params)).rowCount ?? 0,
    get: async (name, params) => (await query(name, params)).rows[0] as Record<string, unknown> | undefined,
    ...(statements.has('responseBatch')
      ? {
          all: async (name, params) => {
            const result = await query(name, params);
            // A statement without RETURNING answers no fields: its rows could not tell what it recorded.
            if (result.fields.length === 0)
              throw new CrmStatementError(name, 'returns no rows (it must return the parameters of each event it recorded)');
            return { rows: result.rows as Record<string, unknown>[], columns: result.fields.map((field) => field.name) };
          },
        }
      : {}),
  };
}

/** PostgreSQL's type oids of `timestamp without time zone` and `date`: values without a zone. */
const WITHOUT_ZONE = new Set([1114, 1082]);

/**
 * A value without zone as PostgreSQL writes it under `DateStyle` ISO (`2026-03-01 10:00:00[.ffffff]`,
 * `2026-03-01`, a year beyond 9999 or ` BC`, `infinity`): the only text the adapter takes as such a value.
 */
const ISO_WITHOUT_ZONE = /^(?:\d{4,}-\d{2}-\d{2}(?: \d{2}:\d{2}:\d{2}(?:\.\d{1,6})?)?(?: BC)?|-?infinity)$/u;

/**
 * The selection's type parsers (docs/crm.md, "Dates and times from PostgreSQL"):
 * - a `timestamp without time zone` or a `date` is its text, never an instant: pg built a Date from it
 *   in the worker's time zone, so one CRM value (a consent time, a birthday) read differently on
 *   workers in different zones, and a date became the worker's midnight, another day in UTC;
 * - a value a parser cannot read is an unread cell, never null: pg's date parsers answer null for text
 *   in any other `DateStyle` (`01.03.2026 10:00:00`), and a withdrawal date read as null was "not set"
 *   and sent the person. The selection's session asks for ISO; this holds where that does not stick
 *   (a pooler that hands the next statement another connection).
 */
const selectionTypes = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
    if (WITHOUT_ZONE.has(oid)) return (text: string) => (ISO_WITHOUT_ZONE.test(text) ? text : UNREAD_CELL);
    const parse = types.getTypeParser(oid, format) as (text: string) => unknown;
    return (text: string) => {
      const value = parse(text);
      return value === null || value === undefined ? UNREAD_CELL : value;
    };
  }) as typeof types.getTypeParser,
};

// A cursor reads `chunkSize` rows per round trip, so memory stays flat whatever the list size.
async function* streamSelection(pool: Pool, config: PostgresCrmConfig, listKey: string): AsyncGenerator<CrmRow> {
  const list = configuredList(config.lists, listKey);
  if (list === undefined) throw new CrmListUnknownError(listKey);
  const client = await pool.connect();
  try {
    // Dates and times as the type parsers read them, whatever the database or role sets.
    await client.query('SET DateStyle = ISO');
    const cursor = client.query(new Cursor<Record<string, unknown>>(list.query, undefined, { types: selectionTypes }));
    try {
      for (let first = true; ; first = false) {
        const { rows, fields } = await readRows(cursor, config.chunkSize).catch((cause: unknown) => {
          throw selectionFailure(listKey, cause);
        });
        // Row objects keep one value per name: a column read twice must be refused before it is lost.
        if (first && fields) checkSelectionColumnNames(listKey, fields, list.attributes);
        if (rows.length === 0) return;
        yield* rows;
      }
    } finally {
      await cursor.close().catch(() => undefined);
    }
  } finally {
    // The pool's other statements keep the database's own DateStyle; a connection that cannot say so is dropped.
    const reusable = await client.query('RESET DateStyle').then(
      () => true,
      () => false,
    );
    client.release(!reusable);
  }
}

/** One cursor read with the result's column names in order (pg's row objects keep only one value per name). */
function readRows(cursor: Cursor<Record<string, unknown>>, count: number): Promise<{ rows: Record<string, unknown>[]; fields?: string[] }> {
  return new Promise((resolve, reject) => {
    cursor.read(count, (error, rows, result) => {
      if (error) reject(error);
      else resolve({ rows, ...(result?.fields ? { fields: result.fields.map((field) => field.name) } : {}) });
    });
  });
}
