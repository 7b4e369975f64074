import { Pool, type PoolClient } from 'pg';
import Cursor from 'pg-cursor';
import { withTransaction } from '../../db/postgres-db';
import { CrmListUnknownError } from '../../errors/crm-list-unknown-error';
import { configuredList, type PostgresCrmConfig } from '../crm-config';
import type { CrmPort, CrmRow } from '../crm-port';
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
  };
}

// A cursor reads `chunkSize` rows per round trip, so memory stays flat whatever the list size.
async function* streamSelection(pool: Pool, config: PostgresCrmConfig, listKey: string): AsyncGenerator<CrmRow> {
  const list = configuredList(config.lists, listKey);
  if (list === undefined) throw new CrmListUnknownError(listKey);
  const client = await pool.connect();
  const cursor = client.query(new Cursor<CrmRow>(list.query));
  try {
    for (;;) {
      const rows = await cursor.read(config.chunkSize).catch((cause: unknown) => {
        throw selectionFailure(listKey, cause);
      });
      if (rows.length === 0) return;
      yield* rows;
    }
  } finally {
    await cursor.close().catch(() => undefined);
    client.release();
  }
}
