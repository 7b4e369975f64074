import type { Db } from './database';

export interface ClientRow {
  mandatorId: number;
  username: string;
  password: string;
  hardThreshold: number;
  softThreshold: number;
}

export interface ListRow {
  mandatorId: number;
  listId: number;
  name: string;
  description: string;
  type: 'regular' | 'optin';
  fields: string[];
  idField: string;
  emailField: string;
  isTest: boolean;
  filter: string | null;
}

export interface OptinProcessRow {
  id: number;
  name: string;
  type: 'single' | 'confirmed' | 'double';
  description: string;
}

type RawList = Omit<ListRow, 'fields' | 'isTest'> & { fields: string; isTest: number };

export function createClientStatements(db: Db) {
  const client = db.prepare(
    'SELECT mandator_id AS mandatorId, username, password, hard_threshold AS hardThreshold, soft_threshold AS softThreshold FROM clients WHERE mandator_id = ?',
  );
  const list = db.prepare(
    `SELECT mandator_id AS mandatorId, list_id AS listId, name, description, type, fields, id_field AS idField,
     email_field AS emailField, is_test AS isTest, filter FROM lists WHERE mandator_id = ? AND list_id = ?`,
  );
  const listIds = db.prepare('SELECT list_id AS id, is_test AS isTest FROM lists WHERE mandator_id = ? ORDER BY list_id');
  const optin = db.prepare('SELECT id, name, type, description FROM optin_processes WHERE mandator_id = ? AND id = ?');
  const optinIds = db.prepare('SELECT id FROM optin_processes WHERE mandator_id = ? ORDER BY id');
  return {
    client: (mandatorId: number) => client.get(mandatorId) as ClientRow | undefined,
    list(mandatorId: number, listId: number): ListRow | undefined {
      const raw = list.get(mandatorId, listId) as RawList | undefined;
      return raw && { ...raw, fields: JSON.parse(raw.fields) as string[], isTest: raw.isTest === 1 };
    },
    listIds: (mandatorId: number) => listIds.all(mandatorId) as { id: number; isTest: number }[],
    optinProcess: (mandatorId: number, id: number) => optin.get(mandatorId, id) as OptinProcessRow | undefined,
    optinProcessIds: (mandatorId: number) => (optinIds.all(mandatorId) as { id: number }[]).map((r) => r.id),
  };
}
