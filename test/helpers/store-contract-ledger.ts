import fc from 'fast-check';
import type { ResultCode, SentBatch } from '../../src/store/types';
import { EARLIER_EXPORT_EXCLUSION, EARLIER_EXPORT_ROW_BASE, keepEarlierExportExclusions } from '../../src/sync/earlier-export-exclusions';
import { aRun, aSent, anExcluded, collect } from './store-builders';
import { useStore, type StoreHarness } from './store-harness';

export function describeLedgerContract(harness: StoreHarness): void {
  describe('LedgerStore', () => {
    const subject = useStore(harness);
    const ledger = () => subject.store.ledger;

    it('records a batch once: recording it again after a resumed batch adds nothing', async () => {
      const batch = [
        aSent('a@x.test', 0, { runId: 'idem' }),
        aSent('b@x.test', 5, { runId: 'idem' }),
        anExcluded(3, 'invalid-email', { runId: 'idem' }),
      ];
      expect(await ledger().record(batch)).toBe(3);
      expect(await ledger().record(batch)).toBe(0);
      expect(await ledger().record([...batch, aSent('c@x.test', 0, { runId: 'idem' })])).toBe(1);
      expect(await ledger().count('idem')).toEqual({
        sent: 3,
        excluded: 1,
        rejected: 0,
        byResultCode: { '0': 2, '5': 1 },
        byReason: { 'invalid-email': 1 },
      });
    });

    it('records a refill-sized batch once: again adds nothing, an overlapping batch adds only its new entries', async () => {
      // Large enough for PostgreSQL's bulk path (COPY), which must keep the small batches' semantics.
      const sent = (from: number, to: number) =>
        Array.from({ length: to - from }, (_, k) => aSent(`bulk${from + k}@x.test`, ((from + k) % 8) as ResultCode, { runId: 'bulk' }));
      expect(await ledger().record(sent(0, 1000))).toBe(1000);
      expect(await ledger().record(sent(0, 1000))).toBe(0);
      expect(await ledger().record(sent(500, 1500))).toBe(500);
      const counts = await ledger().count('bulk');
      expect(counts.sent).toBe(1500);
      expect(counts.byResultCode['7']).toBe(187);
    });

    it('records kept and removed entries (strategy reconcile) once per recipient, counts them by reason and reads them back', async () => {
      const runId = 'reconciled';
      const base = { runId, listKey: 'newsletter', entityType: 'contact' };
      const entries = [
        { ...base, recipientId: 'a@x.test', entityId: '1', outcome: 'kept' as const, reason: 'unchanged' as const },
        { ...base, recipientId: 'b@x.test', entityId: '2', outcome: 'kept' as const, reason: 'updated' as const },
        { ...base, recipientId: 'c@x.test', entityId: '3', outcome: 'removed' as const, reason: 'removed' as const },
        { ...base, recipientId: 'd@x.test', entityId: '4', outcome: 'removed' as const, reason: 'not_on_list' as const },
      ];
      expect(await ledger().record(entries)).toBe(4);
      // A resumed batch records its entries again: nothing is counted twice.
      expect(await ledger().record(entries)).toBe(0);
      expect(await ledger().count(runId)).toEqual({
        sent: 0,
        excluded: 0,
        rejected: 0,
        byResultCode: {},
        byReason: {},
        kept: { unchanged: 1, updated: 1 },
        removed: { removed: 1, not_on_list: 1 },
      });
      expect(await collect(ledger().stream(runId))).toEqual(entries);
      // Large enough for PostgreSQL's bulk path too.
      const many = Array.from({ length: 300 }, (_, k) => ({ ...entries[0]!, runId: 'kept-bulk', recipientId: `k${k}@x.test` }));
      expect(await ledger().record(many)).toBe(300);
      expect(await ledger().record(many)).toBe(0);
      const bad = { ...entries[0]!, reason: 'gone' } as unknown as (typeof entries)[number];
      await expect(ledger().record([bad])).rejects.toThrow(/Ledger entry 0: a kept entry's reason must be one of unchanged, updated/);
    });

    it('keeps excluded duplicates of one recipient id apart by row number', async () => {
      const runId = 'dupes';
      await ledger().record([
        aSent('same@x.test', 0, { runId }),
        anExcluded(2, 'duplicate', { runId, recipientId: 'same@x.test', field: null }),
        anExcluded(3, 'duplicate', { runId, recipientId: 'same@x.test', field: null }),
        anExcluded(4, 'missing-field', { runId, recipientId: '', field: 'email' }),
        anExcluded(5, 'missing-field', { runId, recipientId: '', field: 'email' }),
      ]);
      expect(await ledger().count(runId)).toEqual({
        sent: 1,
        excluded: 4,
        rejected: 0,
        byResultCode: { '0': 1 },
        byReason: { duplicate: 2, 'missing-field': 2 },
      });
    });

    it('records sanitized values once per row and field, counts them by field, and forgets them with the exclusions', async () => {
      const runId = 'sanitized';
      const sanitized = (rowNumber: number, field: string) =>
        ({
          runId,
          listKey: 'newsletter',
          outcome: 'sanitized',
          rowNumber,
          reason: 'invalid_characters',
          field,
          recipientId: `r${rowNumber}@x.test`,
          entityType: 'contact',
          entityId: `C${rowNumber}`,
        }) as const;
      const entries = [sanitized(1, 'first_name'), sanitized(1, 'city'), sanitized(2, 'first_name'), aSent('r1@x.test', 0, { runId })];
      expect(await ledger().record(entries)).toBe(4);
      expect(await ledger().record(entries)).toBe(0);
      expect(await ledger().count(runId)).toEqual({
        sent: 1,
        excluded: 0,
        rejected: 0,
        byResultCode: { '0': 1 },
        byReason: {},
        sanitized: 3,
        bySanitizedField: { first_name: 2, city: 1 },
      });
      expect(await collect(ledger().stream(runId))).toEqual(expect.arrayContaining([sanitized(1, 'city')]));
      expect(await ledger().find({ recipientId: 'r2@x.test' })).toEqual([expect.objectContaining(sanitized(2, 'first_name'))]);
      expect(await ledger().clearExclusions(runId, 'newsletter')).toBe(3);
      expect(await ledger().count(runId)).toEqual({ sent: 1, excluded: 0, rejected: 0, byResultCode: { '0': 1 }, byReason: {} });
    });

    it('counts per list when a list key is given', async () => {
      await ledger().record([
        aSent('a@x.test', 0, { runId: 'lists', listKey: 'a' }),
        aSent('a@x.test', 2, { runId: 'lists', listKey: 'b' }),
      ]);
      expect(await ledger().count('lists', 'b')).toEqual({ sent: 1, excluded: 0, rejected: 0, byResultCode: { '2': 1 }, byReason: {} });
    });

    it('streams every entry of a run in recording order across pages, past entries of other runs', async () => {
      const entries = [
        anExcluded(1, 'consent-mismatch', { runId: 'stream', field: 'opt-in-id', entityId: 'NULL' }),
        aSent('q"u\\o,{t} é@x.test', 0, { runId: 'stream' }),
        ...Array.from({ length: 7 }, (_, i) => aSent(`s${i}@x.test`, 0, { runId: 'stream' })),
      ];
      await ledger().record(entries.slice(0, 4));
      await ledger().record([aSent('other@x.test', 0, { runId: 'stream-other' }), aSent('other2@x.test', 0, { runId: 'stream-other' })]);
      await ledger().record(entries.slice(4));
      expect(await collect(ledger().stream('stream', { pageSize: 3 }))).toEqual(entries);
      expect(await collect(ledger().stream('stream-none'))).toEqual([]);
      expect(await collect(ledger().stream('stream', { listKey: 'elsewhere' }))).toEqual([]);
    });

    it('lets the event loop turn between the pages of a stream', async () => {
      await ledger().record(Array.from({ length: 4 }, (_, i) => aSent(`t${i}@x.test`, 0, { runId: 'turns' })));
      let turned = false;
      setImmediate(() => (turned = true));
      const seen: boolean[] = [];
      for await (const _entry of ledger().stream('turns', { pageSize: 1 })) seen.push(turned);
      expect(seen.at(-1)).toBe(true);
    });

    it('clears the exclusions of a list in a run and nothing else', async () => {
      await ledger().record([aSent('a@x.test', 0, { runId: 'clear' }), anExcluded(2, 'bounced', { runId: 'clear' })]);
      expect(await ledger().clearExclusions('clear', 'newsletter')).toBe(1);
      expect(await ledger().count('clear')).toMatchObject({ sent: 1, excluded: 0 });
    });

    it('keeps an earlier export’s person exclusions through the clear, under row numbers past 2^40, once', async () => {
      // src/sync/earlier-export-exclusions.ts: a 64-bit row number on both engines, read back exactly.
      const runId = 'earlier';
      await ledger().record([
        anExcluded(1, 'consent_withdrawn', { runId }),
        anExcluded(2, 'duplicate', { runId }),
        anExcluded(-3, 'unsubscribed', { runId, field: 'optimizely' }),
      ]);
      expect(await keepEarlierExportExclusions(subject.store, runId, 'newsletter')).toBe(1);
      expect(await ledger().clearExclusions(runId, 'newsletter')).toBe(2);
      await ledger().record([anExcluded(1, 'bounced', { runId, recipientId: 'b@x.test' })]);
      expect(await keepEarlierExportExclusions(subject.store, runId, 'newsletter')).toBe(1);
      expect(await keepEarlierExportExclusions(subject.store, runId, 'newsletter')).toBe(0);
      const kept = (await collect(ledger().stream(runId))).filter((e) => e.outcome === 'excluded' && e.reason === EARLIER_EXPORT_EXCLUSION);
      expect(kept.map((e) => ['rowNumber' in e ? e.rowNumber : 0, 'field' in e ? e.field : '', e.recipientId])).toEqual([
        [-(EARLIER_EXPORT_ROW_BASE + 1), 'consent_withdrawn', 'r1@example.test'],
        [-(EARLIER_EXPORT_ROW_BASE + 2), 'bounced', 'b@x.test'],
      ]);
      expect((await ledger().count(runId)).byReason).toEqual({ [EARLIER_EXPORT_EXCLUSION]: 2, unsubscribed: 1, bounced: 1 });
    });

    it('finds the entries of a recipient id and of an entity, newest first, with their run', async () => {
      await subject.store.runs.upsert(aRun({ runId: 'why-1', client: '77', startedAt: '2026-06-01T00:00:00.000Z' }));
      await subject.store.runs.upsert(aRun({ runId: 'why-2', client: '77', startedAt: '2026-06-02T00:00:00.000Z' }));
      await ledger().record([aSent('why@x.test', 0, { runId: 'why-1', entityId: 'c-9' })]);
      await ledger().record([
        anExcluded(8, 'unsubscribed', { runId: 'why-2', recipientId: 'why@x.test', entityType: 'contact', entityId: 'c-9', field: null }),
      ]);
      const hits = await ledger().find({ recipientId: 'why@x.test', client: '77' });
      expect(hits.map((hit) => [hit.runId, hit.outcome, hit.runStartedAt, hit.client])).toEqual([
        ['why-2', 'excluded', '2026-06-02T00:00:00.000Z', '77'],
        ['why-1', 'sent', '2026-06-01T00:00:00.000Z', '77'],
      ]);
      expect((await ledger().find({ entityType: 'contact', entityId: 'c-9', limit: 1 })).map((hit) => hit.runId)).toEqual(['why-2']);
      expect(await ledger().find({ recipientId: 'why@x.test', client: 'other' })).toEqual([]);
    });

    it('maps a recipient id to the entity it was last sent as, per list', async () => {
      await subject.store.runs.upsert(aRun({ runId: 'map-1', client: '88' }));
      await subject.store.runs.upsert(aRun({ runId: 'map-2', client: '88' }));
      await ledger().record([
        aSent('map@x.test', 0, { runId: 'map-1', entityType: 'lead', entityId: 'l-1' }),
        aSent('map@x.test', 0, { runId: 'map-1', listKey: 'promo', entityType: 'account', entityId: 'a-1' }),
      ]);
      await ledger().record([
        aSent('map@x.test', 5, { runId: 'map-2', entityType: 'contact', entityId: 'c-1' }),
        anExcluded(1, 'duplicate', { runId: 'map-2', recipientId: 'map@x.test', entityId: 'l-2' }),
      ]);
      const entities = await ledger().sentEntities({ recipientId: 'map@x.test', client: '88' });
      expect(entities.sort((a, b) => a.listKey.localeCompare(b.listKey))).toEqual([
        { runId: 'map-2', listKey: 'newsletter', entityType: 'contact', entityId: 'c-1', resultCode: 5 },
        { runId: 'map-1', listKey: 'promo', entityType: 'account', entityId: 'a-1', resultCode: 0 },
      ]);
      expect(await ledger().sentEntities({ recipientId: 'map@x.test', listKey: 'promo', client: '99' })).toEqual([]);
    });

    it('maps a recipient id to every list it was sent on, however often one list was sent since', async () => {
      await ledger().record([aSent('many@x.test', 0, { runId: 'many-0', listKey: 'promo', entityType: 'account', entityId: 'a-7' })]);
      for (let night = 1; night <= 240; night += 40) {
        await ledger().record(
          Array.from({ length: 40 }, (_, k) => aSent('many@x.test', 0, { runId: `many-${night + k}`, entityId: 'c-7' })),
        );
      }
      const lists = (await ledger().sentEntities({ recipientId: 'many@x.test' })).map((e) => [e.listKey, e.runId, e.entityId]);
      expect(lists.sort()).toEqual([
        ['newsletter', 'many-240', 'c-7'],
        ['promo', 'many-0', 'a-7'],
      ]);
    });

    it('answers many recipient ids at once exactly as it answers each alone', async () => {
      const ids = ['p0@x.test', 'p1@x.test', 'p2@x.test', 'p3@x.test'];
      const entry = fc.record({
        recipient: fc.constantFrom(...ids),
        run: fc.nat({ max: 3 }),
        listKey: fc.constantFrom('newsletter', 'promo'),
        entityId: fc.constantFrom('c-1', 'c-2', 'l-1'),
        outcome: fc.constantFrom('sent', 'sent', 'excluded'),
      });
      let round = 0;
      await fc.assert(
        fc.asyncProperty(
          fc.array(entry, { maxLength: 12 }),
          fc.constantFrom(undefined, 'c-a', 'c-b'),
          fc.option(fc.nat({ max: 3 })),
          async (entries, client, pruned) => {
            round += 1;
            // The run `pruned` started long ago and is removed by the retention once recorded: its
            // ledger_runs row goes, spans over it and other runs stay.
            for (let run = 0; run <= 3; run += 1)
              await subject.store.runs.upsert(
                aRun({
                  runId: `many-${round}-${run}`,
                  client: run % 2 ? 'c-a' : 'c-b',
                  status: 'completed',
                  startedAt: run === pruned ? '2000-01-01T00:00:00.000Z' : '2026-03-01T06:00:00.000Z',
                }),
              );
            await ledger().record(
              entries.map((e, row) =>
                e.outcome === 'sent'
                  ? aSent(e.recipient, 0, { runId: `many-${round}-${e.run}`, listKey: e.listKey, entityId: e.entityId })
                  : anExcluded(row + 1, 'duplicate', { runId: `many-${round}-${e.run}`, recipientId: e.recipient, entityId: e.entityId }),
              ),
            );
            if (pruned !== null) await subject.store.runs.deleteStartedBefore('2001-01-01T00:00:00.000Z');
            const asked = [...ids, 'never@x.test', 'p0@x.test'];
            const many = await ledger().sentEntitiesOf({ recipientIds: asked, client });
            expect([...many.keys()].sort()).toEqual([...new Set(asked)].sort());
            for (const id of asked) expect(many.get(id)).toEqual(await ledger().sentEntities({ recipientId: id, client }));
          },
        ),
        { numRuns: 25 },
      );
    });

    it('rejects an entry with a result code outside 0..7, naming its position and not its recipient id', async () => {
      const bad = aSent('secret@x.test', 9 as never, { runId: 'bad' });
      await expect(ledger().record([aSent('ok@x.test', 0, { runId: 'bad' }), bad])).rejects.toThrow(
        /^Ledger entry 1: resultCode must be 0\.\.7$/,
      );
      expect(await ledger().count('bad')).toMatchObject({ sent: 0 });
    });

    it('records a refill batch once, keeps its first codes and reads batches back in order from a batch on', async () => {
      const batch = (batchNo: number, resultCodes: SentBatch['resultCodes']) => ({
        runId: 'sb',
        listKey: 'newsletter',
        snapshotRef: 'snap-sb',
        batchNo,
        resultCodes,
      });
      expect(await ledger().recordBatch(batch(1, [0, 5, 7]))).toBe(true);
      expect(await ledger().recordBatch(batch(0, [0, 0]))).toBe(true);
      expect(await ledger().recordBatch(batch(1, [5, 5, 5]))).toBe(false);
      await ledger().recordBatch({ ...batch(0, [2]), listKey: 'offers' });
      expect(await ledger().batches('sb', 'newsletter')).toEqual([batch(0, [0, 0]), batch(1, [0, 5, 7])]);
      expect(await ledger().batches('sb', 'newsletter', { fromBatch: 1 })).toEqual([batch(1, [0, 5, 7])]);
      expect(await ledger().batches('sb', 'newsletter', { limit: 1 })).toEqual([batch(0, [0, 0])]);
      expect(await ledger().count('sb')).toMatchObject({ sent: 0 });
    });

    it('rejects a refill batch with a code outside 0..7, naming the batch and the position', async () => {
      const bad = { runId: 'sb-bad', listKey: 'newsletter', snapshotRef: 'snap', batchNo: 3, resultCodes: [0, 8] as never };
      await expect(ledger().recordBatch(bad)).rejects.toThrow(
        /^Sent batch 3 of list newsletter: result code at position 1 must be 0\.\.7$/,
      );
      expect(await ledger().batches('sb-bad', 'newsletter')).toEqual([]);
    });

    it('records a rejected recipient once with its fault, beside a sent entry of another run, and counts it apart', async () => {
      const rejected = {
        ...aSent('bad@x.test', 0, { runId: 'rej' }),
        outcome: 'rejected' as const,
        fault: 'Recipient.addAll3: Recipient data rejected',
      };
      delete (rejected as { resultCode?: number }).resultCode;
      expect(await ledger().record([rejected, aSent('ok@x.test', 0, { runId: 'rej' })])).toBe(2);
      expect(await ledger().record([rejected])).toBe(0);
      expect(await ledger().count('rej')).toEqual({ sent: 1, excluded: 0, rejected: 1, byResultCode: { '0': 1 }, byReason: {} });
      expect((await collect(ledger().stream('rej'))).find((e) => e.outcome === 'rejected')).toMatchObject({
        recipientId: 'bad@x.test',
        fault: rejected.fault,
      });
    });

    it('keeps the rejected positions of a refill batch', async () => {
      const batch = {
        runId: 'sb-rej',
        listKey: 'newsletter',
        snapshotRef: 'snap',
        batchNo: 0,
        resultCodes: [0, 7, 5] as SentBatch['resultCodes'],
        rejectedPositions: [1],
      };
      expect(await ledger().recordBatch(batch)).toBe(true);
      expect(await ledger().batches('sb-rej', 'newsletter')).toEqual([batch]);
      await expect(ledger().recordBatch({ ...batch, batchNo: 1, rejectedPositions: [3] })).rejects.toThrow(
        /rejected position 3 is outside the batch/,
      );
    });
  });
}
