import fc from 'fast-check';
import { recordSentLedger } from '../../../src/sync/record-sent-ledger';
import { refillChunk } from '../../../src/sync/refill-chunk';
import { newsletterRow, refillChunkInput, refillSetup } from '../../helpers/refill-fixtures';

// After a long pause between refill chunks the list sync exports again, and the chunks after the pause
// send only the rows of their snapshot whose recipient the re-export still holds (`freshRef`;
// docs/daily-sync.md, "A long pause"). Over snapshots of up to three batches, a pause before any batch,
// re-exports that lost any recipients (withdrawn in the CRM) and gained joiners, any concurrency and
// both ledger modes: nobody the re-export lacks is added after the pause, everyone else is, the batches
// before the pause are untouched, nobody is sent twice, and sent + left out accounts for every row,
// each row left out ledgered excluded `not_in_fresh_export` by the refill.

const id = (i: number) => `p${String(i).padStart(4, '0')}@example.test`;

describe('refillChunk with a re-export after a long pause (freshRef)', () => {
  it('sends after the pause exactly the rows the re-export holds, each once', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 2600 }),
        fc.nat(3),
        fc.array(fc.nat(2599), { maxLength: 20 }),
        fc.integer({ min: 0, max: 5 }),
        fc.integer({ min: 1, max: 4 }),
        fc.boolean(),
        async (count, pausedBefore, withdrawnDraw, joiners, concurrency, deferLedger) => {
          const rows = Array.from({ length: count }, (_, i) => newsletterRow(i, id(i)));
          const { store, optimizely, snapshotRef } = await refillSetup(rows, 'run-1');
          try {
            const withdrawn = new Set(withdrawnDraw.filter((i) => i < count).map(id));
            const freshRows = [
              ...rows.filter((r) => !withdrawn.has(r.recipientId as string)),
              ...Array.from({ length: joiners }, (_, j) => newsletterRow(9000 + j, `joiner${j}@example.test`)),
            ];
            const fresh = await store.snapshots.write({ client: 'demo', listKey: 'newsletter', runId: 'run-1' }, freshRows);
            const added: string[] = [];
            const addAll3 = optimizely.recipient.addAll3;
            optimizely.recipient.addAll3 = async (input, options) => (added.push(...input.recipientIds), addAll3(input, options));
            const batches = Math.ceil(count / 1000);
            let sent = 0;
            let leftOut = 0;
            let notInFresh = 0;
            for (let batch = 0; batch < batches; batch += 1) {
              const acked = await refillChunk(
                refillChunkInput({
                  optimizely,
                  store,
                  snapshotRef,
                  firstBatch: batch,
                  endBatch: batch + 1,
                  concurrency,
                  deferLedger,
                  ...(batch >= pausedBefore ? { freshRef: fresh.snapshotRef } : {}),
                }),
              );
              sent += acked.sent;
              leftOut += acked.unsubscribed ?? 0;
              notInFresh += acked.notInFreshExport ?? 0;
            }
            const afterPause = (i: number) => Math.floor(i / 1000) >= pausedBefore;
            const barred = new Set(rows.flatMap((_, i) => (afterPause(i) && withdrawn.has(id(i)) ? [id(i)] : [])));
            expect(added.filter((a) => barred.has(a))).toEqual([]);
            expect(added.length).toBe(new Set(added).size);
            expect(new Set(added)).toEqual(new Set(rows.map((r) => r.recipientId as string).filter((r) => !barred.has(r))));
            // Joiners are not this run's: the snapshot being sent decides who may be sent at all.
            expect(added.some((a) => a.startsWith('joiner'))).toBe(false);
            expect(leftOut).toBe(0);
            expect(notInFresh).toBe(barred.size);
            expect(sent + notInFresh).toBe(count);
            if (deferLedger) await recordSentLedger({ store, runId: 'run-1', listKey: 'newsletter', checkpoint: () => undefined });
            const counts = await store.ledger.count('run-1', 'newsletter');
            expect(counts.sent).toBe(sent);
            expect(optimizely.lists.get(100)?.recipients.size).toBe(sent);
            // Every row left out is accounted for in the run's ledger by the refill itself: someone who
            // left the selection has no exclusion of the re-export, and a later re-export may not hold
            // (and not exclude) whom an earlier one excluded.
            const excludedIds = new Set<string>();
            for await (const entry of store.ledger.stream('run-1', { listKey: 'newsletter' }))
              if (entry.outcome === 'excluded' && entry.reason === 'not_in_fresh_export') excludedIds.add(entry.recipientId);
            expect(excludedIds).toEqual(barred);
          } finally {
            await store.close();
          }
        },
      ),
      { numRuns: 30 },
    );
  });

  it('sends nothing against a re-export it cannot read', async () => {
    const rows = [newsletterRow(1, id(1))];
    const { store, optimizely, snapshotRef } = await refillSetup(rows, 'run-1');
    try {
      await expect(refillChunk(refillChunkInput({ optimizely, store, snapshotRef, freshRef: 'no-such-snapshot' }))).rejects.toThrow(
        /not found/,
      );
    } finally {
      await store.close();
    }
  });
});
