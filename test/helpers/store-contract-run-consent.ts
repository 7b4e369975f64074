import { openSqlDb } from '../../src/db/open-sql-db';
import { createStateStore, stateStoreMigrations } from '../../src/store';
import { aRun, aSent } from './store-builders';
import { useStore, type StoreHarness } from './store-harness';

const ELEVEN = { optInId: '11', mediaType: 'email' };
const TWELVE = { optInId: '12', mediaType: 'email' };

/** The consent a run sent under (migration 14), and the ledger's answer carrying it to feedback. */
export function describeRunConsentContract(harness: StoreHarness): void {
  describe('RunStore: the consent a run sent under (migration 14)', () => {
    const subject = useStore(harness);
    const store = () => subject.store;

    it('keeps a recorded consent through upserts that do not name one, and takes the one a retried export names', async () => {
      await store().runs.upsert(aRun({ runId: 'consent-1' }));
      expect((await store().runs.get('consent-1'))?.consent).toBeUndefined();
      await store().runs.upsert(aRun({ runId: 'consent-1', consent: ELEVEN }));
      // finishRun and startRun upsert without a consent.
      await store().runs.upsert(aRun({ runId: 'consent-1', status: 'completed', endedAt: '2026-03-01T07:00:00.000Z' }));
      expect(await store().runs.get('consent-1')).toMatchObject({ status: 'completed', consent: ELEVEN });
      await store().runs.upsert(aRun({ runId: 'consent-1', consent: TWELVE }));
      expect((await store().runs.get('consent-1'))?.consent).toEqual(TWELVE);
    });

    it('keeps a recorded Optimizely list id (migration 15) through upserts that do not name one, and answers it with the sent entity', async () => {
      await store().runs.upsert(aRun({ runId: 'list-id-1', client: 'list-id-c', consent: ELEVEN, listId: 300 }));
      await store().runs.upsert(
        aRun({ runId: 'list-id-1', client: 'list-id-c', status: 'completed', endedAt: '2026-03-01T07:00:00.000Z' }),
      );
      expect(await store().runs.get('list-id-1')).toMatchObject({ status: 'completed', consent: ELEVEN, listId: 300 });
      await store().ledger.record([aSent('gone-list@x.test', 0, { runId: 'list-id-1' })]);
      await store().runs.upsert(aRun({ runId: 'list-id-0', client: 'list-id-c', listKey: 'offers' }));
      await store().ledger.record([aSent('gone-list@x.test', 0, { runId: 'list-id-0', listKey: 'offers' })]);
      const sent = (await store().ledger.sentEntitiesOf({ recipientIds: ['gone-list@x.test'], client: 'list-id-c' })).get(
        'gone-list@x.test',
      );
      expect(sent?.map((s) => [s.listKey, s.listId])).toEqual(
        expect.arrayContaining([
          ['newsletter', 300],
          ['offers', undefined],
        ]),
      );
    });

    it("answers each list's newest sending run with the consent it recorded, and none for a run without one", async () => {
      const client = 'consent-c';
      const runs = [
        { runId: 'c-day1', consent: ELEVEN },
        { runId: 'c-day2', consent: TWELVE },
      ];
      for (const [day, run] of runs.entries()) {
        await store().runs.upsert(aRun({ ...run, client, startedAt: `2026-03-0${day + 1}T06:00:00.000Z` }));
        await store().ledger.record([
          aSent('both@x.test', 0, { runId: run.runId }),
          ...(day === 0 ? [aSent('gone@x.test', 0, { runId: run.runId })] : []),
        ]);
      }
      await store().runs.upsert(aRun({ runId: 'c-offers', client, listKey: 'offers' }));
      await store().ledger.record([aSent('both@x.test', 0, { runId: 'c-offers', listKey: 'offers' })]);
      const found = await store().ledger.sentEntitiesOf({ recipientIds: ['both@x.test', 'gone@x.test'], client });
      const byList = (id: string) => Object.fromEntries((found.get(id) ?? []).map((e) => [e.listKey, e]));
      expect(byList('both@x.test').newsletter).toMatchObject({ runId: 'c-day2', consent: TWELVE });
      expect(byList('both@x.test').offers).not.toHaveProperty('consent');
      expect(byList('gone@x.test').newsletter).toMatchObject({ runId: 'c-day1', consent: ELEVEN });
    });

    it('reads runs recorded before the migration as of unknown consent', async () => {
      const config = await harness.freshConfig();
      const db = openSqlDb(config);
      try {
        await db.migrate(stateStoreMigrations(config.kind).filter((m) => m.version < 14));
        await db.run(
          `INSERT INTO runs (run_id, kind, client, list_key, status, started_at, ended_at, counts)
           VALUES ('old-run', 'list', 'old-c', 'newsletter', 'completed', '2026-03-01T06:00:00.000Z', NULL, '{}')`,
        );
      } finally {
        await db.close();
      }
      const migrated = await createStateStore(config);
      try {
        await migrated.ledger.record([aSent('old@x.test', 0, { runId: 'old-run' })]);
        expect(await migrated.runs.get('old-run')).not.toHaveProperty('consent');
        const [entity] = (await migrated.ledger.sentEntitiesOf({ recipientIds: ['old@x.test'], client: 'old-c' })).get('old@x.test') ?? [];
        expect(entity).toMatchObject({ runId: 'old-run', listKey: 'newsletter' });
        expect(entity).not.toHaveProperty('consent');
      } finally {
        await migrated.close();
      }
    });
  });
}
