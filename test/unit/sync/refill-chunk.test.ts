import fc from 'fast-check';
import type { StateStore } from '../../../src/store';
import type { SnapshotRow } from '../../../src/store/types';
import { recordSentLedger } from '../../../src/sync/record-sent-ledger';
import { refillChunk, type RefillCheckpoint } from '../../../src/sync/refill-chunk';
import { OptimizelyArgumentError } from '../../../src/errors/optimizely-argument-error';
import { FAULT_TEXTS } from '../../../src/optimizely/api/fault-texts';
import type { FakeOptimizely } from '../../helpers/fake-optimizely';
import { REFILL_ATTRIBUTES as ATTRIBUTES, REFILL_LIST as LIST, newsletterRow, refillSetup } from '../../helpers/refill-fixtures';

function recipient(i: number): SnapshotRow {
  return newsletterRow(i, `r${String(i).padStart(5, '0')}@example.test`);
}

describe('refillChunk', () => {
  let store: StateStore;
  let optimizely: FakeOptimizely;
  let snapshotRef: string;

  beforeEach(async () => {
    const rows = Array.from({ length: 4500 }, (_, i) => recipient(i));
    ({ store, optimizely, snapshotRef } = await refillSetup(rows, 'run-1'));
  });

  afterEach(async () => {
    await store.close();
  });

  const input = (overrides: Partial<Parameters<typeof refillChunk>[0]> = {}) => ({
    optimizely,
    store,
    client: 'demo',
    runId: 'run-1',
    listKey: 'newsletter',
    list: LIST,
    attributeNames: ATTRIBUTES,
    snapshotRef,
    firstBatch: 0,
    endBatch: 5,
    concurrency: 3,
    checkpoint: () => undefined,
    ...overrides,
  });

  it('sends every batch once, records every result code and checkpoints the acknowledged prefix', async () => {
    const checkpoints: RefillCheckpoint[] = [];
    const result = await refillChunk(input({ checkpoint: (c) => checkpoints.push(c) }));
    expect(result).toEqual({ nextBatch: 5, sent: 4500, resultCodes: { 0: 4500 } });
    expect(optimizely.lists.get(100)?.recipients.size).toBe(4500);
    expect(checkpoints.map((c) => c.nextBatch)).toEqual([...checkpoints.map((c) => c.nextBatch)].sort((a, b) => a - b));
    expect((await store.ledger.count('run-1')).byResultCode).toEqual({ 0: 4500 });
  });

  it('resumes after the checkpoint of a failed attempt without sending acknowledged batches again', async () => {
    const checkpoints: RefillCheckpoint[] = [];
    const addAll3 = optimizely.recipient.addAll3.bind(optimizely.recipient);
    let sends = 0;
    optimizely.recipient.addAll3 = async (call, options) => {
      sends += 1;
      if (sends === 3) throw new Error('connection reset');
      return addAll3(call, options);
    };
    await expect(refillChunk(input({ concurrency: 1, checkpoint: (c) => checkpoints.push(c) }))).rejects.toThrow('connection reset');
    expect(checkpoints.at(-1)).toEqual({ nextBatch: 2, sent: 2000, resultCodes: { 0: 2000 } });
    const resumed = await refillChunk(input({ concurrency: 1, resumeFrom: checkpoints.at(-1) }));
    expect(sends).toBe(3 + 3);
    expect(resumed).toEqual({ nextBatch: 5, sent: 4500, resultCodes: { 0: 4500 } });
    expect(optimizely.lists.get(100)?.recipients.size).toBe(4500);
  });

  it('stops an attempt whose cancellation signal aborts (its heartbeat timed out) while its retry sends the rest, whenever the abort comes', async () => {
    let round = 0;
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 4 }), fc.integer({ min: 1, max: 3 }), async (abortAfter, concurrency) => {
        const runId = `run-overlap-${(round += 1)}`;
        optimizely.lists.get(100)?.recipients.clear();
        const sends: Array<{ attempt: string; afterAbort: boolean }> = [];
        const older = new AbortController();
        const attempt = (name: string) => ({
          ...optimizely,
          recipient: {
            ...optimizely.recipient,
            addAll3: async (call: Parameters<typeof optimizely.recipient.addAll3>[0], options?: { signal?: AbortSignal }) => {
              sends.push({ attempt: name, afterAbort: older.signal.aborted });
              await new Promise((r) => setTimeout(r, 5));
              options?.signal?.throwIfAborted();
              return optimizely.recipient.addAll3(call, options);
            },
          },
        });
        const checkpoints: RefillCheckpoint[] = [];
        let retry: Promise<RefillCheckpoint> | undefined;
        const startRetry = () => {
          // What the server does when the heartbeat times out: a new attempt from the last checkpoint;
          // what the SDK does when the old attempt's next heartbeat is refused: abort its signal.
          retry ??= refillChunk(input({ runId, optimizely: attempt('retry'), resumeFrom: checkpoints.at(-1), concurrency }));
          older.abort(new Error('heartbeat timed out'));
        };
        const first = refillChunk(
          input({
            runId,
            optimizely: attempt('older'),
            concurrency,
            signal: older.signal,
            checkpoint: (c) => {
              checkpoints.push(c);
              if (checkpoints.length === abortAfter) startRetry();
            },
          }),
        );
        if (abortAfter === 0) startRetry();
        await expect(first).rejects.toThrow('heartbeat timed out');
        const result = await (retry as Promise<RefillCheckpoint>);
        expect(sends.filter((s) => s.attempt === 'older' && s.afterAbort)).toEqual([]);
        expect(result.nextBatch).toBe(5);
        expect(optimizely.lists.get(100)?.recipients.size).toBe(4500);
      }),
      { numRuns: 12 },
    );
  });

  it('answers 5 for recipients a crashed attempt already added, and counts them as in the list', async () => {
    await refillChunk(input({ endBatch: 1 }));
    const again = await refillChunk(input());
    expect(again.resultCodes).toEqual({ 0: 3500, 5: 1000 });
  });

  describe('with the ledger deferred to recordSentLedger', () => {
    const sentIds = async () => {
      const ids: string[] = [];
      for await (const entry of store.ledger.stream('run-1'))
        if (entry.outcome === 'sent') ids.push(`${entry.recipientId}:${entry.entityId}:${entry.resultCode}`);
      return ids;
    };

    it('records one row of codes per batch during the refill and every recipient once afterwards', async () => {
      await refillChunk(input({ deferLedger: true, endBatch: 1 }));
      const result = await refillChunk(input({ deferLedger: true }));
      expect(result.resultCodes).toEqual({ 0: 3500, 5: 1000 });
      expect((await store.ledger.count('run-1')).sent).toBe(0);
      expect((await store.ledger.batches('run-1', 'newsletter')).map((b) => [b.batchNo, b.resultCodes.length])).toEqual([
        [0, 1000],
        [1, 1000],
        [2, 1000],
        [3, 1000],
        [4, 500],
      ]);

      const checkpoints: number[] = [];
      expect(
        await recordSentLedger({ store, runId: 'run-1', listKey: 'newsletter', checkpoint: (next) => checkpoints.push(next) }),
      ).toEqual({ batches: 5, entries: 4500, newEntries: 4500 });
      expect(checkpoints.at(-1)).toBe(5);
      // The first attempt's codes are kept: batch 0 got in with 0 before the resend answered 5.
      expect((await store.ledger.count('run-1')).byResultCode).toEqual({ 0: 4500 });
      const ids = await sentIds();
      expect(ids).toHaveLength(4500);
      expect(ids[4499]).toBe('r04499@example.test:C4499:0');
    });

    it('resumes from a checkpoint and adds nothing when run again', async () => {
      await refillChunk(input({ deferLedger: true }));
      const record = (fromBatch?: number) =>
        recordSentLedger({ store, runId: 'run-1', listKey: 'newsletter', fromBatch, checkpoint: () => undefined });
      expect(await record(3)).toEqual({ batches: 2, entries: 1500, newEntries: 1500 });
      expect(await record()).toEqual({ batches: 5, entries: 4500, newEntries: 3000 });
      expect(await record()).toMatchObject({ newEntries: 0 });
      expect(await sentIds()).toHaveLength(4500);
    });

    it('awaits beforeWrite with the first batch of each group, before reading and writing it', async () => {
      const rows = Array.from({ length: 6500 }, (_, i) => recipient(i));
      const big = (await store.snapshots.write({ client: 'demo', listKey: 'newsletter', runId: 'run-2' }, rows)).snapshotRef;
      await refillChunk(input({ runId: 'run-2', snapshotRef: big, endBatch: 7, deferLedger: true }));
      const seen: Array<[number, number]> = [];
      await recordSentLedger({
        store,
        runId: 'run-2',
        listKey: 'newsletter',
        checkpoint: () => undefined,
        beforeWrite: async (next) => void seen.push([next, (await store.ledger.count('run-2')).sent]),
      });
      expect(seen).toEqual([
        [0, 0],
        [5, 5000],
        [7, 6500],
      ]);
    });

    it('fails permanently when the snapshot no longer holds the rows of a sent batch', async () => {
      await store.ledger.recordBatch({ runId: 'run-1', listKey: 'newsletter', snapshotRef, batchNo: 4, resultCodes: Array(600).fill(0) });
      await expect(recordSentLedger({ store, runId: 'run-1', listKey: 'newsletter', checkpoint: () => undefined })).rejects.toMatchObject({
        name: 'SnapshotChecksumError',
        message: `Snapshot ${snapshotRef} holds 500 rows for sent batch 4, which has 600 result codes`,
      });
    });
  });

  describe('with recipients Optimizely refuses on their own', () => {
    const refused = new Set(['r00007@example.test', 'r02999@example.test', 'r04400@example.test']);
    beforeEach(() => {
      const addAll3 = optimizely.recipient.addAll3.bind(optimizely.recipient);
      optimizely.recipient.addAll3 = async (call, options) => {
        if (call.recipientIds.some((id) => refused.has(id))) {
          throw new OptimizelyArgumentError(
            `fault soapenv:Server.userException: ${FAULT_TEXTS.recipientRefused} for call: recipientId='…'`,
            { service: 'Recipient', operation: 'addAll3' },
          );
        }
        return addAll3(call, options);
      };
    });

    const outcomes = async () => {
      const seen: Record<string, string> = {};
      for await (const entry of store.ledger.stream('run-1'))
        seen[entry.recipientId] = entry.outcome === 'rejected' ? `rejected: ${entry.fault}` : entry.outcome;
      return seen;
    };

    it.each([false, true])('sends the rest and ledgers the refused as rejected (ledger deferred: %s)', async (deferLedger) => {
      const result = await refillChunk(input({ deferLedger }));
      if (deferLedger) await recordSentLedger({ store, runId: 'run-1', listKey: 'newsletter', checkpoint: () => undefined });
      expect(result).toEqual({ nextBatch: 5, sent: 4497, resultCodes: { 0: 4497 }, rejected: 3 });
      expect(optimizely.lists.get(100)?.recipients.size).toBe(4497);
      const ledger = await outcomes();
      expect(Object.values(ledger).filter((o) => o === 'sent')).toHaveLength(4497);
      for (const id of refused) expect(ledger[id]).toMatch(/^rejected: .*Recipient data rejected/);
      expect(await store.ledger.count('run-1')).toMatchObject({ sent: 4497, rejected: 3 });
    });

    it('records a rejected recipient once when the batch is sent again after a crash', async () => {
      await refillChunk(input({ deferLedger: true }));
      const again = await refillChunk(input({ deferLedger: true }));
      expect(again.resultCodes).toEqual({ 5: 4497 });
      expect((await store.ledger.count('run-1')).rejected).toBe(3);
      expect((await store.ledger.batches('run-1', 'newsletter'))[0]?.rejectedPositions).toEqual([7]);
    });
  });
});
