import fc from 'fast-check';
import type { StateStore } from '../../../src/store';
import type { SuppressionEvent } from '../../../src/store/suppression-types';
import { recordSentLedger } from '../../../src/sync/record-sent-ledger';
import { refillChunk } from '../../../src/sync/refill-chunk';
import { suppressionKey } from '../../../src/validation/suppressions';
import { newsletterRow, refillChunkInput, refillSetup } from '../../helpers/refill-fixtures';
import type { FakeOptimizely } from '../../helpers/fake-optimizely';

// Every path that adds a recipient sends a snapshot through refillChunk: the daily refill, a restore
// of the last good list, a first run, the retry of failed adds. The export (or the restore's
// preparation) read the suppression ledger before the snapshot was written; an opt-out recorded after
// that (a dropped file, response ingestion, another list's check) must still keep the person out,
// whatever the list type and whenever between the snapshot and the batch it is recorded.

const LIST_ID = 100;
const OTHER_LIST_ID = 200;
const ROWS = 2300; // three batches of at most 1000
const id = (i: number) => `p${String(i).padStart(4, '0')}@example.test`;

type Scope = 'clientWide' | 'thisList' | 'otherList' | 'bounce';
interface OptOut {
  person: number;
  scope: Scope;
  /** The chunk (batch) before which it is recorded; 0 = between the snapshot and the refill. */
  before: number;
  /** Spelled the way the feedback reported it: as sent, upper-cased, or with blanks around it. */
  spelling: 'asSent' | 'upper' | 'padded';
}

const optOut: fc.Arbitrary<OptOut> = fc.record({
  person: fc.nat(ROWS - 1),
  scope: fc.constantFrom<Scope>('clientWide', 'thisList', 'otherList', 'bounce'),
  before: fc.nat(2),
  spelling: fc.constantFrom('asSent', 'upper', 'padded'),
});

const list = fc.constantFrom(
  { type: 'regular', optinProcessId: 0 },
  { type: 'opt-in', optinProcessId: 3 },
  { type: 'double opt-in', optinProcessId: 7 },
);

function eventOf(o: OptOut): SuppressionEvent {
  const spelled = o.spelling === 'upper' ? id(o.person).toUpperCase() : o.spelling === 'padded' ? ` ${id(o.person)} ` : id(o.person);
  return {
    client: 'demo',
    kind: o.scope === 'bounce' ? 'bounce' : 'unsubscribe',
    recipientKey: suppressionKey(spelled),
    listId: o.scope === 'thisList' ? LIST_ID : o.scope === 'otherList' ? OTHER_LIST_ID : 0,
    occurredAt: '2026-11-30T05:00:00.000Z',
    source: 'dropped_file',
  };
}

/** Records every addAll3 recipient id the fake receives. */
function recordAdds(optimizely: FakeOptimizely): string[] {
  const added: string[] = [];
  const addAll3 = optimizely.recipient.addAll3;
  optimizely.recipient.addAll3 = async (input, options) => (added.push(...input.recipientIds), addAll3(input, options));
  return added;
}

async function refillBatchByBatch(
  store: StateStore,
  optimizely: FakeOptimizely,
  snapshotRef: string,
  optinProcessId: number,
  deferLedger: boolean,
  beforeBatch: (batch: number) => Promise<void>,
) {
  let sent = 0;
  let leftOut = 0;
  for (let batch = 0; batch < 3; batch += 1) {
    await beforeBatch(batch);
    const acked = await refillChunk(
      refillChunkInput({
        optimizely,
        store,
        snapshotRef,
        list: { listId: LIST_ID, optinProcessId },
        firstBatch: batch,
        endBatch: batch + 1,
        deferLedger,
      }),
    );
    sent += acked.sent;
    leftOut += acked.unsubscribed ?? 0;
  }
  return { sent, leftOut };
}

describe('refillChunk and the opt-outs recorded after its snapshot', () => {
  it('adds nobody whose opt-out concerning the list was recorded before their batch, on any list type, and accounts for every row', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(optOut, { maxLength: 12 }),
        fc.array(fc.nat(ROWS - 1), { maxLength: 4 }),
        list,
        fc.boolean(),
        async (optOuts, atOptimizely, { optinProcessId }, deferLedger) => {
          const rows = Array.from({ length: ROWS }, (_, i) => newsletterRow(i, id(i)));
          const { store, optimizely, snapshotRef } = await refillSetup(rows, 'run-1');
          try {
            for (const i of atOptimizely) optimizely.unsubscribed.add(id(i));
            const added = recordAdds(optimizely);
            const { sent, leftOut } = await refillBatchByBatch(
              store,
              optimizely,
              snapshotRef,
              optinProcessId,
              deferLedger,
              async (batch) => {
                const now = optOuts.filter((o) => o.before === batch).map(eventOf);
                if (now.length > 0) await store.suppressions.record(now);
              },
            );
            // Who must not be added: an opt-out concerning this list recorded before the person's batch
            // was sent, and, on every list (configured opt-in process or not), Optimizely's unsubscribe list.
            const batchOf = (person: number) => Math.floor(person / 1000);
            const barred = new Set(
              optOuts.filter((o) => o.scope !== 'otherList' && o.before <= batchOf(o.person)).map((o) => id(o.person)),
            );
            for (const i of atOptimizely) barred.add(id(i));
            expect(added.filter((a) => barred.has(a))).toEqual([]);
            // Nobody else is left out: an unsubscribe from another list, or one recorded after the batch, is no reason.
            expect(new Set(added)).toEqual(new Set(rows.map((r) => r.recipientId as string).filter((r) => !barred.has(r))));
            expect(sent + leftOut).toBe(ROWS);
            expect(leftOut).toBe(barred.size);
            if (deferLedger) await recordSentLedger({ store, runId: 'run-1', listKey: 'newsletter', checkpoint: () => undefined });
            const counts = await store.ledger.count('run-1', 'newsletter');
            expect(counts.sent + counts.excluded).toBe(ROWS);
            expect(counts.excluded).toBe(barred.size);
          } finally {
            await store.close();
          }
        },
      ),
      { numRuns: 25 },
    );
  });

  it('names the opt-out in the ledger: bounced or unsubscribed, by recipient id or address, from the suppression ledger', async () => {
    const rows = [newsletterRow(1, id(1)), { ...newsletterRow(2, 'CRM-2'), email: id(2) }, newsletterRow(3, id(3))];
    const { store, optimizely, snapshotRef } = await refillSetup(rows, 'run-1');
    try {
      const added = recordAdds(optimizely);
      await store.suppressions.record([
        eventOf({ person: 1, scope: 'bounce', before: 0, spelling: 'asSent' }),
        eventOf({ person: 2, scope: 'clientWide', before: 0, spelling: 'upper' }),
      ]);
      await refillBatchByBatch(store, optimizely, snapshotRef, 0, false, async () => undefined);
      expect(added).toEqual([id(3)]);
      const hit = async (recipientId: string) => (await store.ledger.find({ recipientId }))[0];
      expect(await hit(id(1))).toMatchObject({ outcome: 'excluded', reason: 'bounced', field: 'suppression_ledger', rowNumber: -1 });
      expect(await hit('CRM-2')).toMatchObject({ outcome: 'excluded', reason: 'unsubscribed', field: 'suppression_ledger', rowNumber: -2 });
    } finally {
      await store.close();
    }
  });

  it('leaves out an opt-out recorded while the same attempt is sending earlier batches', async () => {
    // One refillList attempt sends up to a hundred batches (minutes): an opt-out recorded after its
    // first batch went must still keep a person of a later batch out.
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ person: fc.integer({ min: 1000, max: ROWS - 1 }), afterBatch: fc.nat(1) }), { minLength: 1, maxLength: 6 }),
        list,
        async (optOuts, { optinProcessId }) => {
          const rows = Array.from({ length: ROWS }, (_, i) => newsletterRow(i, id(i)));
          const { store, optimizely, snapshotRef } = await refillSetup(rows, 'run-1');
          try {
            const added: string[] = [];
            const addAll3 = optimizely.recipient.addAll3;
            let calls = 0;
            optimizely.recipient.addAll3 = async (input, options) => {
              const codes = await addAll3(input, options);
              added.push(...input.recipientIds);
              const batch = calls;
              calls += 1;
              const now = optOuts.filter((o) => o.afterBatch === batch && Math.floor(o.person / 1000) > batch);
              const events = now.map((o) => eventOf({ person: o.person, scope: 'clientWide', before: 0, spelling: 'asSent' }));
              if (events.length > 0) await store.suppressions.record(events);
              return codes;
            };
            const acked = await refillChunk(
              refillChunkInput({
                optimizely,
                store,
                snapshotRef,
                list: { listId: LIST_ID, optinProcessId },
                endBatch: 3,
                deferLedger: false,
              }),
            );
            const barred = new Set(optOuts.filter((o) => Math.floor(o.person / 1000) > o.afterBatch).map((o) => id(o.person)));
            expect(added.filter((a) => barred.has(a))).toEqual([]);
            expect(acked.sent + (acked.unsubscribed ?? 0)).toBe(ROWS);
            expect(acked.unsubscribed ?? 0).toBe(barred.size);
          } finally {
            await store.close();
          }
        },
      ),
      { numRuns: 10 },
    );
  });

  it("counts from the run's export, not from a later snapshot of its own (a reconcile's joiners)", async () => {
    // Only Date is faked: the joiners snapshot is written ten minutes after the export's, as after a
    // long live read, and the opt-out falls in between.
    jest.useFakeTimers({
      doNotFake: [
        'nextTick',
        'setImmediate',
        'setTimeout',
        'setInterval',
        'clearTimeout',
        'clearInterval',
        'queueMicrotask',
        'hrtime',
        'performance',
      ],
    });
    try {
      jest.setSystemTime(new Date('2026-11-30T06:00:00Z'));
      const rows = [newsletterRow(1, id(1)), newsletterRow(2, id(2))];
      const { store, optimizely, snapshotRef: exportRef } = await refillSetup(rows, 'run-1');
      try {
        await store.runs.upsert({
          runId: 'run-1',
          kind: 'list',
          client: 'demo',
          listKey: 'newsletter',
          status: 'running',
          startedAt: '2026-11-30T06:00:00.000Z',
          endedAt: null,
          counts: {},
          snapshot: { snapshotRef: exportRef, count: 2, checksum: 'x' },
        });
        jest.setSystemTime(new Date('2026-11-30T06:05:00Z'));
        await store.suppressions.record([eventOf({ person: 2, scope: 'clientWide', before: 0, spelling: 'asSent' })]);
        jest.setSystemTime(new Date('2026-11-30T06:10:00Z'));
        const joiners = await store.snapshots.write({ client: 'demo', listKey: 'newsletter', runId: 'run-1' }, rows);
        const added = recordAdds(optimizely);
        await refillChunk(
          refillChunkInput({
            optimizely,
            store,
            snapshotRef: joiners.snapshotRef,
            list: { listId: LIST_ID, optinProcessId: 0 },
            deferLedger: true,
          }),
        );
        expect(added).toEqual([id(1)]);
      } finally {
        await store.close();
      }
    } finally {
      jest.useRealTimers();
    }
  });
});
