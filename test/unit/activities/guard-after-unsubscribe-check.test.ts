import { MockActivityEnvironment } from '@temporalio/testing';
import { DefaultLogger } from '@temporalio/worker';
import fc from 'fast-check';
import type { ActivityDependencies } from '../../../activities/deps';
import type { ExportListOutput, GuardVerdict } from '../../../activities/export-types';
import { createExportActivities, withUnsubscribeCount } from '../../../activities/export';
import { parseConfig } from '../../../src/config/load-config';
import { demoConfig } from '../../../src/demo/demo-config';
import type { OptimizelyPort } from '../../../src/optimizely/client/optimizely-port';
import { createStateStore } from '../../../src/store';
import { sendableCount } from '../../../src/sync/guard';
import { COUNT_BATCHES_IN_FLIGHT, countOptimizelyUnsubscribes, withoutOptimizelyUnsubscribes } from '../../../src/sync/unsubscribe-check';
import { OptimizelyResponseError } from '../../../src/errors/optimizely-response-error';
import { REFILL_BATCH_SIZE } from '../../../workflows/refill-batch';
import { newsletterRow } from '../../helpers/refill-fixtures';
import { aRun } from '../../helpers/store-builders';

// On every list (an opt-in list at Optimizely may be configured with optinProcessId 0) the refill asks Optimizely's unsubscribe list before each addAll3
// and leaves out whoever it says: safe for consent, but an answer of "unsubscribed" for everyone (or
// most) emptied the list after the clear, and the guard before the clear had measured the export
// only. Now the export asks the same question before the clear and the guard measures what the
// refill would send. For any answers, last good counts and guard settings: a run the guard lets
// through leaves the list within the configured shrink of yesterday's (and not empty unless allowed),
// and a run is held only when the refill would break that.

const ref = { client: 'demo', listKey: 'newsletter', runId: 'run-today' };
const OPTIN = 7;

const scenario = fc.record({
  // Per recipient: what Optimizely answers for its id, and for its address when that differs.
  answers: fc.array(fc.record({ byId: fc.boolean(), ownAddress: fc.option(fc.boolean(), { nil: undefined }) }), {
    maxLength: 2100,
    size: 'max',
  }),
  mostlyTrue: fc.boolean(),
  lastGoodCount: fc.integer({ min: 1, max: 3000 }),
  maxShrinkPercent: fc.integer({ min: 0, max: 100 }),
  allowEmpty: fc.boolean(),
  // Every list is asked: one configured without an opt-in process may be an opt-in list at Optimizely.
  optinProcessId: fc.constantFrom(0, OPTIN),
});

/** A hostile unsubscribe list: answers per asked id as drawn, for ids it was never asked about `false`. */
function unsubscribeList(answerOf: ReadonlyMap<string, boolean>): Pick<OptimizelyPort, 'unsubscribe'> {
  return {
    unsubscribe: {
      containsAll: async ({ recipientIds }) => recipientIds.map((id) => answerOf.get(id) ?? false),
    } as OptimizelyPort['unsubscribe'],
  };
}

describe('the guard on any list (opt-in or configured without one) sees what the unsubscribe check would leave', () => {
  const env = new MockActivityEnvironment(undefined, { logger: new DefaultLogger('ERROR') });

  it('lets a run through only when the refill keeps the list within its shrink limit', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async ({ answers, mostlyTrue, lastGoodCount, maxShrinkPercent, allowEmpty, optinProcessId }) => {
        const store = await createStateStore({ kind: 'sqlite', file: ':memory:' });
        try {
          const rows = answers.map((a, i) => {
            const row = newsletterRow(i, `r${i}@x.test`);
            return a.ownAddress === undefined ? row : { ...row, email: `other${i}@x.test` };
          });
          // Mostly-true answers stand for "Optimizely says everyone unsubscribed" with a few exceptions.
          const answerOf = new Map<string, boolean>();
          answers.forEach((a, i) => {
            answerOf.set(`r${i}@x.test`, mostlyTrue ? a.byId || i % 7 !== 0 : a.byId);
            if (a.ownAddress !== undefined) answerOf.set(`other${i}@x.test`, a.ownAddress);
          });
          const config = parseConfig(demoConfig(), 'test', '/tmp');
          const list = config.clients[0]!.lists.find((l) => l.key === 'newsletter')!;
          Object.assign(list, { optinProcessId, guard: { ...list.guard, maxShrinkPercent, allowEmpty, maxExcludedPercent: 100 } });
          const optimizely = unsubscribeList(answerOf) as OptimizelyPort;
          const deps = { config, store, optimizely: () => optimizely } as unknown as ActivityDependencies;
          const { snapshotRef, count, checksum } = await store.snapshots.write({ ...ref }, rows);
          await store.runs.upsert(
            aRun({
              runId: 'run-yesterday',
              client: 'demo',
              listKey: 'newsletter',
              status: 'completed',
              startedAt: '2026-02-28T06:00:00.000Z',
              snapshot: { snapshotRef, count: lastGoodCount, checksum },
            }),
          );
          await store.runs.upsert(aRun({ ...ref, status: 'running' }));
          const exported: ExportListOutput = { snapshotRef, count, checksum, rowsRead: count, excluded: {} };

          const checked = (await env.run(withUnsubscribeCount, deps, ref, exported)) as ExportListOutput;
          const verdict = (await env.run(createExportActivities(deps).evaluateGuard, { ...ref, exported: checked })) as GuardVerdict;

          // The refill's own pre-filter, batch by batch, with the same answers.
          let sent = 0;
          for (let at = 0; at < rows.length; at += REFILL_BATCH_SIZE) {
            const batch = rows.slice(at, at + REFILL_BATCH_SIZE);
            sent += (await withoutOptimizelyUnsubscribes(optimizely, batch)).rows.length;
          }
          const tooSmall = (lastGoodCount - sent) * 100 > maxShrinkPercent * lastGoodCount;
          const wronglyEmpty = sent === 0 && !allowEmpty;
          expect(verdict.lastGoodCount).toBe(lastGoodCount);
          expect({ hold: verdict.hold, sent }).toEqual({ hold: tooSmall || wronglyEmpty, sent });
        } finally {
          await store.close();
        }
      }),
      { numRuns: 40 },
    );
  });

  it('reads a count that is no count of the export as every recipient left out, never as fewer', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 10_000 }), fc.constantFrom(-1, 0.5, Number.NaN, Infinity, 1e9), (count, answer) => {
        const n = answer === 1e9 ? count + 1 : answer;
        expect(sendableCount({ count, optimizelyUnsubscribed: n })).toEqual({ sendable: 0, leftOut: count });
      }),
    );
  });

  it('asks at most a few batches at once and fails the export on an answer that is no answer, never counting it as none', async () => {
    const store = await createStateStore({ kind: 'sqlite', file: ':memory:' });
    try {
      const rows = Array.from({ length: 9 * REFILL_BATCH_SIZE + 5 }, (_, i) => newsletterRow(i, `r${i}@x.test`));
      const { snapshotRef } = await store.snapshots.write({ ...ref }, rows);
      const count = (containsAll: (ids: readonly string[]) => Promise<unknown>) =>
        countOptimizelyUnsubscribes({
          optimizely: { unsubscribe: { containsAll: ({ recipientIds }) => containsAll(recipientIds) } } as OptimizelyPort,
          store,
          snapshotRef,
        });
      let open = 0;
      let most = 0;
      const answered = await count(async (ids) => {
        most = Math.max(most, (open += 1));
        await new Promise((resolve) => setImmediate(resolve));
        open -= 1;
        return ids.map((id) => id.endsWith('7@x.test'));
      });
      expect(answered).toBe(rows.filter((r) => String(r.recipientId).endsWith('7@x.test')).length);
      expect(most).toBe(COUNT_BATCHES_IN_FLIGHT);
      let calls = 0;
      await expect(
        count(async (ids) => ((calls += 1) === 3 ? ids.slice(1).map(() => false) : ids.map(() => false))),
      ).rejects.toBeInstanceOf(OptimizelyResponseError);
    } finally {
      await store.close();
    }
  });
});
