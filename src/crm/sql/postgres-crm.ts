import { Pool, types, type PoolClient } from 'pg';
import Cursor from 'pg-cursor';
import { withTransaction } from '../../db/postgres-db';
import { CrmListUnknownError } from '../../errors/crm-list-unknown-error';
import { CrmStatementError } from '../../errors/crm-statement-error';
import { configuredList, type PostgresCrmConfig } from '../crm-config';
import type { CrmPort, CrmRow } from '../crm-port';
import { checkSelectionColumnNames } from '../selection-column-names';
import { applyEventBatch, applyFeedbackEvents, applyResponseEvents, campaignFor } from './apply-sql-events';
import type { SqlExecutor } from './sql-executor';
import { CONSENT_GRANTED_AT } from '../../validation/suppressions';
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

/** A value of a type without zone as PostgreSQL wrote it: its fields, no instant. */
class NaiveTimestamp {
  constructor(
    readonly text: string,
    readonly oid: number,
  ) {}
}

/**
 * The selection's type parsers: pg's own, except that a `timestamp without time zone` or a `date`
 * is first kept as written. pg would build a Date from it in the worker's time zone: the consent time
 * would name a different instant on a worker in another zone (docs/crm.md, "Consent time without zone").
 */
function selectionTypes(seen: { naive: number }) {
  return {
    getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
      WITHOUT_ZONE.has(oid)
        ? (text: string) => ((seen.naive += 1), new NaiveTimestamp(text, oid))
        : types.getTypeParser(oid, format)) as typeof types.getTypeParser,
  };
}

/**
 * `consent_granted_at` keeps the text (the consent rule reads a time without zone on its own terms,
 * src/validation/suppressions.ts consentGrantedSpan; a date alone is no consent time); any other such
 * column becomes the Date pg always gave it, so attribute values are unchanged.
 */
function settleNaiveTimestamps(row: Record<string, unknown>): void {
  for (const [column, value] of Object.entries(row)) {
    if (value instanceof NaiveTimestamp)
      row[column] = column === CONSENT_GRANTED_AT ? value.text : types.getTypeParser(value.oid, 'text')(value.text);
  }
}

// A cursor reads `chunkSize` rows per round trip, so memory stays flat whatever the list size.
async function* streamSelection(pool: Pool, config: PostgresCrmConfig, listKey: string): AsyncGenerator<CrmRow> {
  const list = configuredList(config.lists, listKey);
  if (list === undefined) throw new CrmListUnknownError(listKey);
  const client = await pool.connect();
  const seen = { naive: 0 };
  const cursor = client.query(new Cursor<Record<string, unknown>>(list.query, undefined, { types: selectionTypes(seen) }));
  try {
    for (let first = true; ; first = false) {
      const { rows, fields } = await readRows(cursor, config.chunkSize).catch((cause: unknown) => {
        throw selectionFailure(listKey, cause);
      });
      // Row objects keep one value per name: a column read twice must be refused before it is lost.
      if (first && fields) checkSelectionColumnNames(listKey, fields, list.attributes);
      if (rows.length === 0) return;
      // Only a selection with such a column pays for the pass over its rows.
      if (seen.naive > 0) rows.forEach(settleNaiveTimestamps);
      yield* rows;
    }
  } finally {
    await cursor.close().catch(() => undefined);
    client.release();
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
