import type { SqlDb } from '../../db/sql-db';
import { whereClause } from '../../db/where';
import { listControlSchema, operatorActionSchema } from '../schemas';
import type { ControlStore } from '../state-store';
import type { ListControl, OperatorAction } from '../control-types';
import type { JsonObject } from '../json-types';

interface ControlRow {
  client: string;
  list_key: string;
  paused: number | string;
  paused_by: string;
  reason: string;
  at: string;
}

interface ActionRow {
  action_id: string | null;
  actor: string;
  action: string;
  client: string;
  list_key: string | null;
  reason: string;
  at: string;
  details: string;
}

const toControl = (row: ControlRow): ListControl => ({
  client: row.client,
  listKey: row.list_key,
  paused: Number(row.paused) === 1,
  by: row.paused_by,
  reason: row.reason,
  at: row.at,
});

function toAction(row: ActionRow): OperatorAction {
  const { actor, action, client, reason, at } = row;
  const details = JSON.parse(row.details) as JsonObject;
  return {
    ...(row.action_id === null ? {} : { actionId: row.action_id }),
    actor,
    action,
    client,
    listKey: row.list_key,
    reason,
    at,
    details,
  };
}

const CONTROL_COLUMNS = 'client, list_key, paused, paused_by, reason, at';

export function createSqlControlStore(db: SqlDb): ControlStore {
  return {
    async setList(input) {
      const c = listControlSchema.parse(input);
      await db.run(
        `INSERT INTO list_controls (${CONTROL_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (client, list_key) DO UPDATE SET paused = excluded.paused, paused_by = excluded.paused_by,
           reason = excluded.reason, at = excluded.at`,
        [c.client, c.listKey, c.paused ? 1 : 0, c.by, c.reason, c.at],
      );
    },

    async getList(client, listKey) {
      const [row] = await db.all<ControlRow>(`SELECT ${CONTROL_COLUMNS} FROM list_controls WHERE client = ? AND list_key = ?`, [
        client,
        listKey,
      ]);
      return row && toControl(row);
    },

    async lists(client) {
      const rows = await db.all<ControlRow>(
        `SELECT ${CONTROL_COLUMNS} FROM list_controls ${client === undefined ? '' : 'WHERE client = ?'} ORDER BY client, list_key`,
        client === undefined ? [] : [client],
      );
      return rows.map(toControl);
    },

    async recordAction(input) {
      const a = operatorActionSchema.parse(input);
      // ON CONFLICT without a target: only action_id is unique besides the generated id.
      await db.run(
        `INSERT INTO operator_actions (action_id, actor, action, client, list_key, reason, at, details)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING`,
        [a.actionId ?? null, a.actor, a.action, a.client, a.listKey, a.reason, a.at, JSON.stringify(a.details ?? {})],
      );
    },

    async actions(filter = {}) {
      const { clause, params } = whereClause([
        ['client = ?', filter.client],
        ['list_key = ?', filter.listKey],
      ]);
      const rows = await db.all<ActionRow>(
        `SELECT action_id, actor, action, client, list_key, reason, at, details FROM operator_actions
         ${clause} ORDER BY id DESC LIMIT ?`,
        [...params, filter.limit ?? 100],
      );
      return rows.map(toAction);
    },
  };
}
