import fc from 'fast-check';
import { OptimizelyArgumentError } from '../../../src/errors/optimizely-argument-error';
import { FAULT_TEXTS } from '../../../src/optimizely/api/fault-texts';
import { findOperation, SOAP_NAMESPACE } from '../../../src/optimizely/api/surface';
import type { OptimizelyPort } from '../../../src/optimizely/client/optimizely-port';
import { writeRequest } from '../../../src/optimizely/client/codec/request-writer';
import { removeLeaverBatch } from '../../../src/reconcile/remove-leavers';
import { createStateStore, type StateStore } from '../../../src/store';
import type { LedgerEntry } from '../../../src/store/ledger-types';
import type { SnapshotRow } from '../../../src/store/types';

// A reconcile's leavers go to removeAll a batch at a time, and nothing bounded the request by its
// bytes: ids long enough (a custom id field, ids full of `&`, written as five bytes) made one request
// larger than the server reads, refused as a whole, and the reconcile failed on it every day. Nor by
// count beyond the batch. Here a fake server refuses any call over the bound (the client's own request
// writer measures it) or over the API's 1000 ids, and may fail any call: whatever it removed is then
// recorded `removed` in the ledger, and a retry of the batch leaves the list without any leaver and
// one entry per leaver, `removed` for each this run removed.

const operation = findOperation('Recipient', 'removeAll')!;
const MAX_BYTES = 256 * 1024;

// Many plain ids (past the API's 1000 a call) and a few long ones (each within the bound alone),
// placed among them: the ids are made from the draw, so a failing draw shrinks quickly.
const scenario = fc.record({
  plain: fc.integer({ min: 0, max: 1300 }),
  long: fc.array(fc.tuple(fc.constantFrom('&', 'x', 'ü', '<'), fc.integer({ min: 100, max: 6_000 }), fc.nat()), { maxLength: 30 }),
  // Leavers someone else removed first: every n-th (0: none).
  goneEvery: fc.nat(5),
  // The server fails its n-th call (0: none), before running it or after (its answer lost).
  failAt: fc.nat(6),
  answerLost: fc.boolean(),
});

function leaverIds(plain: number, long: ReadonlyArray<readonly [string, number, number]>): string[] {
  const ids = Array.from({ length: plain }, (_, i) => `l${i}@example.test`);
  long.forEach(([c, n, at], k) => ids.splice(at % (ids.length + 1), 0, `long${k}${c.repeat(n)}@example.test`));
  return ids;
}

function boundedServer(onList: Set<string>, failAt: number, answerLost: boolean) {
  const calls: Array<{ ids: number; bytes: number }> = [];
  /** Ids taken off the list by calls whose answer reached the caller. */
  const answered = new Set<string>();
  const port = {
    recipient: {
      removeAll: async ({ listId, recipientIds }: { listId: number; recipientIds: string[] }) => {
        const bytes = Buffer.byteLength(
          writeRequest({ service: 'Recipient', namespace: SOAP_NAMESPACE('Recipient'), operation, args: ['sid', listId, recipientIds] }),
        );
        calls.push({ ids: recipientIds.length, bytes });
        const fault = (why: string) => new OptimizelyArgumentError(why, { service: 'Recipient', operation: 'removeAll' });
        if (recipientIds.length > 1000) throw fault(`${recipientIds.length} recipients exceed the batch limit of 1000`);
        if (bytes > MAX_BYTES) throw fault(`${FAULT_TEXTS.malformedRequest}: body over the limit`);
        if (calls.length === failAt && !answerLost) throw new Error('connection reset');
        const answers = recipientIds.map((id) => onList.delete(id));
        if (calls.length === failAt) throw new Error('connection reset after the server ran it');
        recipientIds.forEach((id, i) => answers[i] && answered.add(id));
        return answers;
      },
    },
  } as unknown as OptimizelyPort;
  return { port, calls, answered };
}

const leaverRows = (ids: readonly string[]): SnapshotRow[] =>
  ids.map((recipientId, i) => ({ recipientId, entityType: 'contact', entityId: `C${i}` }) as unknown as SnapshotRow);

async function entriesOf(store: StateStore, runId: string): Promise<LedgerEntry[]> {
  const entries: LedgerEntry[] = [];
  for await (const entry of store.ledger.stream(runId)) entries.push(entry);
  return entries;
}

describe('removeLeaverBatch and the size of one removeAll request', () => {
  it('removes every leaver in requests within the bound, recording what a failed call left removed', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async ({ plain, long, goneEvery, failAt, answerLost }) => {
        const ids = leaverIds(plain, long);
        if (ids.length === 0) return;
        const store = await createStateStore({ kind: 'sqlite', file: ':memory:' });
        try {
          const onList = new Set(ids.filter((_, i) => goneEvery === 0 || i % goneEvery !== 0));
          const wasOn = new Set(onList);
          const rows = leaverRows(ids);
          const target = { store, runId: 'run-1', listKey: 'newsletter', listId: 100, maxRequestBytes: MAX_BYTES };
          const first = boundedServer(onList, failAt, answerLost);
          const outcome = await removeLeaverBatch({ ...target, optimizely: first.port }, rows).then(
            (counts) => ({ counts }),
            (error: unknown) => ({ error }),
          );
          for (const call of first.calls) {
            expect(call.ids).toBeLessThanOrEqual(1000);
            expect(call.bytes).toBeLessThanOrEqual(MAX_BYTES);
          }
          if ('counts' in outcome) {
            expect(outcome.counts).toEqual({ removed: wasOn.size, notOnList: ids.length - wasOn.size });
          } else {
            // Failed: each leaver the server removed on a call whose answer came back is recorded removed.
            const recorded = (await entriesOf(store, 'run-1'))
              .filter((e) => e.outcome === 'removed' && e.reason === 'removed')
              .map((e) => e.recipientId);
            expect(recorded.sort()).toEqual([...first.answered].sort());
            // The retry of the batch (Temporal runs it again from its checkpoint).
            await removeLeaverBatch({ ...target, optimizely: boundedServer(onList, 0, false).port }, rows);
          }
          expect(onList.size).toBe(0);
          const entries = await entriesOf(store, 'run-1');
          expect(entries.length).toBe(ids.length);
          expect(new Set(entries.map((e) => e.recipientId)).size).toBe(ids.length);
          // Recorded `removed` for everyone this run took off, but those whose only answer was lost
          // (off the list either way: the retry's answer, `not_on_list`, is the first the run saw).
          const removedByUs = entries.filter((e) => e.outcome === 'removed' && e.reason === 'removed').map((e) => e.recipientId);
          expect(removedByUs.every((id) => wasOn.has(id))).toBe(true);
          if (!('error' in outcome) || !answerLost) expect(removedByUs.length).toBe(wasOn.size);
        } finally {
          await store.close();
        }
      }),
      { numRuns: 40 },
    );
  });
});
