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

    it('keeps existing records when a second store opens the same database', async () => {
      await subject.store.runs.upsert(aRun({ runId: 'kept' }));
      const second = await createStateStore(subject.config);
      try {
        expect((await second.runs.get('kept'))?.runId).toBe('kept');
      } finally {
        await second.close();
      }
    });
  });
}
