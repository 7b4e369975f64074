import { openSqlDb } from '../../src/db/open-sql-db';
import { createStateStore, stateStoreMigrations } from '../../src/store';
import { aRun } from './store-builders';
import { useStore, type StoreHarness } from './store-harness';

export function describeMigrationContract(harness: StoreHarness): void {
  describe('state store migrations', () => {
    const subject = useStore(harness);

    it('records every migration version once', async () => {
      const db = openSqlDb(subject.config);
      try {
        const rows = await db.all<{ version: number | string }>('SELECT version FROM schema_migrations ORDER BY version');
        expect(rows.map((row) => Number(row.version))).toEqual(stateStoreMigrations(subject.config.kind).map((m) => m.version));
      } finally {
        await db.close();
      }
    });

    it('applies nothing when migrating an up-to-date database again', async () => {
      const db = openSqlDb(subject.config);
      try {
        expect(await db.migrate(stateStoreMigrations(subject.config.kind))).toEqual([]);
      } finally {
        await db.close();
      }
    });

    it('migrates once when two stores open a fresh database at the same time', async () => {
      const config = await harness.freshConfig();
      const stores = await Promise.all([createStateStore(config), createStateStore(config)]);
      await Promise.all(stores.map((store) => store.close()));
      const db = openSqlDb(config);
      try {
        const rows = await db.all<{ n: number | string }>('SELECT COUNT(*) AS n FROM schema_migrations');
        expect(Number(rows[0]?.n)).toBe(stateStoreMigrations(config.kind).length);
      } finally {
        await db.close();
      }
    });

    it('raises StoreMigrationError for a failing migration and records nothing of it', async () => {
      const db = openSqlDb(subject.config);
      const broken = { version: 999, name: 'broken', sql: 'CREATE TABLE half_done (id INTEGER); CREATE TABLE (' };
      try {
        await expect(db.migrate([broken])).rejects.toMatchObject({ name: 'StoreMigrationError', version: 999 });
        expect(await db.all('SELECT version FROM schema_migrations WHERE version = 999')).toEqual([]);
        // Raw driver errors: better-sqlite3's SqliteError comes from the first test file that loaded the
        // addon, so in a shared jest process it fails `instanceof Error` here; compare the message.
        await expect(db.all('SELECT * FROM half_done')).rejects.toMatchObject({ message: expect.stringMatching(/half_done/) });
      } finally {
        await db.close();
      }
    });

    it('keeps existing records when a second store opens the same database', async () => {
      await subject.store.runs.upsert(aRun({ runId: 'kept' }));
      const second = await createStateStore(subject.config);
      try {
        expect((await second.runs.get('kept'))?.runId).toBe('kept');
      } finally {
        await second.close();
      }
    });

    it("indexes the suppression ledger by client and recording time (the refill's ask before each batch)", async () => {
      const db = openSqlDb(subject.config);
      try {
        const sql =
          subject.config.kind === 'postgres'
            ? "SELECT indexdef AS def FROM pg_indexes WHERE indexname = 'suppressions_by_recorded_at'"
            : "SELECT sql AS def FROM sqlite_master WHERE type = 'index' AND name = 'suppressions_by_recorded_at'";
        const [index] = await db.all<{ def: string }>(sql);
        expect(index?.def).toMatch(/ON (public\.)?suppressions .*\(client, recorded_at\)/);
      } finally {
        await db.close();
      }
    });
  });
}
