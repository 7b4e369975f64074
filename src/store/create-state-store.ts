import { z } from 'zod';
import { openSqlDb } from '../db/open-sql-db';
import { postgresMigrations } from './migrations/postgres';
import { sqliteMigrations } from './migrations/sqlite';
import { createSqlStateStore } from './sql/sql-state-store';
import type { StateStore } from './state-store';

/** Where the state store lives: a SQLite file (one worker host) or PostgreSQL (required for several). */
export const stateStoreConfigSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('sqlite'), file: z.string().min(1) }),
  z.object({ kind: z.literal('postgres'), url: z.string().min(1), poolSize: z.number().int().min(1).max(100).optional() }),
]);

export type StateStoreConfig = z.infer<typeof stateStoreConfigSchema>;

/** Opens the store and applies any pending migrations before returning it. */
export async function createStateStore(config: StateStoreConfig): Promise<StateStore> {
  const parsed = stateStoreConfigSchema.parse(config);
  const db = openSqlDb(parsed);
  try {
    await db.migrate(parsed.kind === 'sqlite' ? sqliteMigrations : postgresMigrations);
  } catch (error) {
    await db.close().catch(() => undefined);
    throw error;
  }
  return createSqlStateStore(db);
}

/** The migrations of a dialect, for tools that report the schema version. */
export function stateStoreMigrations(kind: StateStoreConfig['kind']) {
  return kind === 'sqlite' ? sqliteMigrations : postgresMigrations;
}
