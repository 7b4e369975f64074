import fc from 'fast-check';
import { applyBatches, type ReconcileCheckpoint } from '../../../src/reconcile/apply-batches';
import { removeLeaverBatch } from '../../../src/reconcile/remove-leavers';
import type { LedgerEntry } from '../../../src/store/ledger-types';
import { aCrashPoint, runUntilDone } from '../../helpers/crash-points';
import { newsletterRow, refillSetup } from '../../helpers/refill-fixtures';

// The reconcile's removal of leavers (batches of the diff's leaver snapshot through removeAll, each
// recorded in the ledger) dies at any outside call, before the far side ran it or with its reply
// lost, possibly again in the retry, which resumes from a heartbeat that may be older than the last
// checkpoint. Then the list holds exactly the stayers, every leaver has one `removed` entry, and the
// counts account for every leaver once. (A leaver whose removal's reply was lost is recorded
// `not_on_list` by the retry, as the first answer the run saw: it is off the list either way.)

const id = (i: number) => `l${String(i).padStart(4, '0')}@example.test`;

const scenario = fc.record({
  leavers: fc.integer({ min: 1, max: 2300 }),
  stayers: fc.integer({ min: 0, max: 50 }),
  // Leavers someone else removed before the reconcile ran: every n-th (0: none).
  goneEvery: fc.nat(7),
  crashes: fc.array(aCrashPoint(8), { minLength: 1, maxLength: 3 }),
  lostHeartbeats: fc.constantFrom(0, 0, 1),
});

describe('removing leavers, dying at any outside call', () => {
  it('leaves exactly the stayers on the list and one removed entry per leaver', async () => {
    let round = 0;
    await fc.assert(
      fc.asyncProperty(scenario, async ({ leavers, stayers, goneEvery, crashes, lostHeartbeats }) => {
        const runId = `run-${(round += 1)}`;
        const rows = Array.from({ length: leavers }, (_, i) => newsletterRow(i, id(i)));
        const { store, optimizely, snapshotRef } = await refillSetup(rows, runId);
        try {
          const list = optimizely.lists.get(100)!.recipients;
          const stay = Array.from({ length: stayers }, (_, i) => `s${i}@example.test`);
          for (const r of stay) list.set(r, { address: r, values: {} });
          for (let i = 0; i < leavers; i += 1) if (goneEvery === 0 || i % goneEvery !== 0) list.set(id(i), { address: id(i), values: {} });
          let heartbeat: ReconcileCheckpoint | undefined;
          const { result } = await runUntilDone(crashes, async (life) => {
            const reported: ReconcileCheckpoint[] = [];
            const ports = life.wrap({ optimizely, store });
            const target = { ...ports, runId, listKey: 'newsletter', listId: 100 };
            try {
              return await applyBatches(
                {
                  store: ports.store,
                  snapshotRef,
                  firstBatch: 0,
                  endBatch: Math.ceil(leavers / 1000),
                  resumeFrom: heartbeat,
                  checkpoint: (c) => void (life.dead || reported.push(c)),
                },
                (batch) => removeLeaverBatch(target, batch),
              );
            } finally {
              const reached = life.dead ? reported.slice(0, Math.max(0, reported.length - lostHeartbeats)) : reported;
              heartbeat = reached.at(-1) ?? heartbeat;
            }
          });

          expect([...list.keys()].sort()).toEqual(stay.sort());
          expect((result.counts.removed ?? 0) + (result.counts.notOnList ?? 0)).toBe(leavers);
          const entries: LedgerEntry[] = [];
          for await (const entry of store.ledger.stream(runId)) entries.push(entry);
          expect(entries.filter((e) => e.outcome === 'removed').length).toBe(leavers);
          expect(new Set(entries.map((e) => e.recipientId)).size).toBe(leavers);
        } finally {
          await store.close();
        }
      }),
      { numRuns: 40 },
    );
  });
});
