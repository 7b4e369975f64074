import fc from 'fast-check';
import { OptimizelyArgumentError } from '../../../src/errors/optimizely-argument-error';
import { FAULT_TEXTS } from '../../../src/optimizely/api/fault-texts';
import { createStateStore, type StateStore } from '../../../src/store';
import type { SnapshotRow } from '../../../src/store/types';
import { attributeNamesFor } from '../../../src/sync/recipient-batch';
import { recordSentLedger } from '../../../src/sync/record-sent-ledger';
import { refillChunk } from '../../../src/sync/refill-chunk';
import { createFakeOptimizely, type FakeOptimizely } from '../../helpers/fake-optimizely';

const ATTRIBUTES = attributeNamesFor({});
const OPT_IN = { listId: 100, optinProcessId: 3 };
const REGULAR = { listId: 100, optinProcessId: 0 };
const id = (i: number) => `r${String(i).padStart(4, '0')}@example.test`;
const recipient = (i: number): SnapshotRow => ({
  recipientId: id(i),
  email: id(i),
  optInId: '11',
  description: '',
  mediaType: 'email',
  entityType: 'contact',
  entityId: `C${i}`,
  attributes: {},
});

describe('refillChunk asks Optimizely before adding to an opt-in list', () => {
  let store: StateStore;
  let optimizely: FakeOptimizely;
  let snapshotRef: string;
  let added: string[];

  beforeEach(async () => {
    store = await createStateStore({ kind: 'sqlite', file: ':memory:' });
    optimizely = createFakeOptimizely();
    optimizely.addList({ id: 100, name: 'Opt-in', fields: ['email', ...ATTRIBUTES] });
    snapshotRef = (
      await store.snapshots.write(
        { client: 'demo', listKey: 'optin', runId: 'run-1' },
        Array.from({ length: 2500 }, (_, i) => recipient(i)),
      )
    ).snapshotRef;
    added = [];
    const addAll3 = optimizely.recipient.addAll3;
    optimizely.recipient.addAll3 = async (input) => (added.push(...input.recipientIds), addAll3(input));
  });
  afterEach(async () => store.close());

  const refill = (list: { listId: number; optinProcessId: number }, deferLedger = false) =>
    refillChunk({
      optimizely,
      store,
      client: 'demo',
      runId: 'run-1',
      listKey: 'optin',
      list,
      attributeNames: ATTRIBUTES,
      snapshotRef,
      firstBatch: 0,
      endBatch: 3,
      concurrency: 2,
      deferLedger,
      checkpoint: () => undefined,
      now: () => new Date('2026-03-02T06:00:00Z'),
    });

  it.each([false, true])(
    'never sends an unsubscribed id, ledgers it excluded from optimizely and accounts for every row (deferred ledger: %s)',
    async (deferLedger) => {
      for (const i of [0, 999, 1000, 2499]) optimizely.unsubscribed.add(id(i));
      const acked = await refill(OPT_IN, deferLedger);
      if (deferLedger) await recordSentLedger({ store, runId: 'run-1', listKey: 'optin', checkpoint: () => undefined });
      expect(added.filter((a) => optimizely.unsubscribed.has(a))).toEqual([]);
      expect(acked).toMatchObject({ sent: 2496, unsubscribed: 4, resultCodes: { 0: 2496 } });
      const counts = await store.ledger.count('run-1', 'optin');
      expect(counts).toMatchObject({ sent: 2496, excluded: 4, byReason: { unsubscribed: 4 } });
      const [hit] = await store.ledger.find({ recipientId: id(999) });
      expect(hit).toMatchObject({ outcome: 'excluded', reason: 'unsubscribed', field: 'optimizely' });
      expect(await store.suppressions.events('demo', id(1000))).toEqual([
        {
          client: 'demo',
          kind: 'unsubscribe',
          recipientKey: id(1000),
          listId: 0,
          occurredAt: '2026-03-02T06:00:00.000Z',
          source: 'unsubscribe_check',
        },
      ]);
      expect(optimizely.calls.filter((c) => c === 'Unsubscribe.containsAll')).toHaveLength(3);
    },
  );

  it('also asks about an address that differs from its recipient id', async () => {
    optimizely.unsubscribed.add(id(2));
    const opaque = (
      await store.snapshots.write({ client: 'demo', listKey: 'optin', runId: 'opaque' }, [
        { ...recipient(1), recipientId: 'CRM-1' },
        { ...recipient(2), recipientId: 'CRM-2' },
      ])
    ).snapshotRef;
    const acked = await refillChunk({
      optimizely,
      store,
      client: 'demo',
      runId: 'opaque',
      listKey: 'optin',
      list: OPT_IN,
      attributeNames: ATTRIBUTES,
      snapshotRef: opaque,
      firstBatch: 0,
      endBatch: 1,
      concurrency: 1,
      checkpoint: () => undefined,
    });
    expect(added).toEqual(['CRM-1']);
    expect(acked).toMatchObject({ sent: 1, unsubscribed: 1 });
  });

  it('keeps snapshot positions apart when the same batch has left-out and refused recipients', async () => {
    optimizely.unsubscribed.add(id(3));
    const addAll3 = optimizely.recipient.addAll3;
    optimizely.recipient.addAll3 = async (call, options) => {
      if (call.recipientIds.includes(id(8)))
        throw new OptimizelyArgumentError(`${FAULT_TEXTS.recipientRefused} for call: recipientId='…'`, {
          service: 'Recipient',
          operation: 'addAll3',
        });
      return addAll3(call, options);
    };
    await refill(OPT_IN, true);
    await recordSentLedger({ store, runId: 'run-1', listKey: 'optin', checkpoint: () => undefined });
    const [first] = await store.ledger.batches('run-1', 'optin');
    expect(first).toMatchObject({ unsubscribedPositions: [3], rejectedPositions: [8] });
    const outcome = async (i: number) => (await store.ledger.find({ recipientId: id(i) }))[0]?.outcome;
    expect([await outcome(3), await outcome(8), await outcome(9)]).toEqual(['excluded', 'rejected', 'sent']);
    expect(await store.ledger.count('run-1', 'optin')).toMatchObject({ sent: 2498, excluded: 1, rejected: 1 });
  });

  it('asks for a list configured without an opt-in process too, which may be an opt-in list at Optimizely', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(fc.nat(2499), { maxLength: 40 }),
        fc.constantFrom(REGULAR, OPT_IN),
        fc.boolean(),
        async (unsubscribed, list, deferLedger) => {
          // A store of its own per case: the check records what it leaves out in the suppression
          // ledger, which a later refill of the same snapshot would honour too.
          const own = await createStateStore({ kind: 'sqlite', file: ':memory:' });
          const ownRef = (
            await own.snapshots.write(
              { client: 'demo', listKey: 'optin', runId: 'run-1' },
              Array.from({ length: 2500 }, (_, i) => recipient(i)),
            )
          ).snapshotRef;
          optimizely.unsubscribed.clear();
          for (const i of unsubscribed) optimizely.unsubscribed.add(id(i));
          added = [];
          const runId = 'run-1';
          try {
            const acked = await refillChunk({
              optimizely,
              store: own,
              client: 'demo',
              runId,
              listKey: 'optin',
              list,
              attributeNames: ATTRIBUTES,
              snapshotRef: ownRef,
              firstBatch: 0,
              endBatch: 3,
              concurrency: 2,
              deferLedger,
              checkpoint: () => undefined,
            });
            if (deferLedger) await recordSentLedger({ store: own, runId, listKey: 'optin', checkpoint: () => undefined });
            // Whatever the configuration, nobody Optimizely holds as unsubscribed reaches addAll3 (which
            // would re-activate them on a list that is an opt-in list at Optimizely), and every row is
            // accounted for: sent, or excluded `unsubscribed`.
            expect(added.filter((a) => optimizely.unsubscribed.has(a))).toEqual([]);
            expect({ sent: acked.sent, unsubscribed: acked.unsubscribed ?? 0 }).toEqual({
              sent: 2500 - unsubscribed.length,
              unsubscribed: unsubscribed.length,
            });
            expect(await own.ledger.count(runId, 'optin')).toMatchObject({
              sent: 2500 - unsubscribed.length,
              excluded: unsubscribed.length,
            });
          } finally {
            await own.close();
          }
        },
      ),
      { numRuns: 12 },
    );
  });

  it('fails the batch as a response error on any answer but one boolean per id, sending nothing of it', async () => {
    const hostile = fc.oneof(
      fc.array(fc.boolean(), { maxLength: 1200 }).filter((a) => a.length !== 1000),
      fc
        .tuple(
          fc.array(fc.boolean(), { minLength: 999, maxLength: 999 }),
          fc.constantFrom(null, 0, 1, 'true', 'false', [], {}),
          fc.nat(999),
        )
        .map(([answers, odd, at]) => [...answers.slice(0, at), odd, ...answers.slice(at)]),
      fc.constantFrom(null, undefined, true, 'true', {}, 0),
    );
    await fc.assert(
      fc.asyncProperty(hostile, async (answer) => {
        added = [];
        optimizely.unsubscribe.containsAll = async () => answer as boolean[];
        await expect(
          refillChunk({
            optimizely,
            store,
            client: 'demo',
            runId: 'hostile',
            listKey: 'optin',
            list: OPT_IN,
            attributeNames: ATTRIBUTES,
            snapshotRef,
            firstBatch: 0,
            endBatch: 1,
            concurrency: 1,
            checkpoint: () => undefined,
          }),
        ).rejects.toMatchObject({ name: 'OptimizelyResponseError', operation: 'containsAll' });
        expect(added).toEqual([]);
      }),
      { numRuns: 60 },
    );
  });
});
