import fc from 'fast-check';
import { createStateStore, type StateStore } from '../../../src/store';
import type { LedgerEntry } from '../../../src/store/types';
import { listConsentLatency } from '../../../src/sync/list-consent-latency';
import { aRun } from '../../helpers/store-builders';

// Consent latency, stage list: a recipient the previous ready run had on the list (sent by a refresh,
// or kept by a reconcile) whom an opt-out took out of it in this run is counted once; one this run
// still has on the list (sent or kept), or one the previous run did not have, is not.
const OUTCOMES = ['sent', 'unchanged', 'updated', 'removed', 'excluded', 'none'] as const;
type Outcome = (typeof OUTCOMES)[number];
const onList = (outcome: Outcome) => outcome === 'sent' || outcome === 'unchanged' || outcome === 'updated';

function entryOf(runId: string, recipientId: string, outcome: Outcome, row: number): LedgerEntry[] {
  const base = { runId, listKey: 'news', recipientId, entityType: 'contact', entityId: `c-${row}` };
  if (outcome === 'sent') return [{ ...base, outcome: 'sent', resultCode: 0 }];
  if (outcome === 'unchanged' || outcome === 'updated') return [{ ...base, outcome: 'kept', reason: outcome }];
  if (outcome === 'removed') return [{ ...base, outcome: 'removed', reason: 'removed' }];
  if (outcome === 'excluded') return [{ ...base, outcome: 'excluded', rowNumber: row + 1, reason: 'duplicate', field: null }];
  return [];
}

describe('listConsentLatency', () => {
  let store: StateStore;
  beforeAll(async () => {
    store = await createStateStore({ kind: 'sqlite', file: ':memory:' });
  });
  afterAll(async () => {
    await store.close();
  });

  it('counts each opted-out recipient the previous run had on the list (sent or kept) and this run does not', async () => {
    let history = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ previous: fc.constantFrom(...OUTCOMES), current: fc.constantFrom(...OUTCOMES), optedOut: fc.boolean() }), {
          minLength: 1,
          maxLength: 8,
        }),
        async (who) => {
          history += 1;
          const client = `latency-${history}`;
          const [previous, current] = [`${client}-previous`, `${client}-current`];
          const started = ['2026-01-01T06:00:00.000Z', '2026-01-02T06:00:00.000Z'];
          for (const [n, runId] of [previous, current].entries())
            await store.runs.upsert(aRun({ runId, client, listKey: 'news', status: 'completed', startedAt: started[n] }));
          const ids = who.map((_, i) => `r${i}@x.test`);
          await store.ledger.record(who.flatMap((w, i) => entryOf(previous, ids[i]!, w.previous, i)));
          await store.ledger.record(who.flatMap((w, i) => entryOf(current, ids[i]!, w.current, i)));
          const occurredAt = new Date(Date.now() - 30 * 60_000).toISOString();
          await store.suppressions.record(
            who.flatMap((w, i) =>
              w.optedOut
                ? [{ client, kind: 'unsubscribe' as const, recipientKey: ids[i]!, listId: 7, occurredAt, source: 'closed_loop' as const }]
                : [],
            ),
          );
          const verifiedAt = new Date(Date.now() + 60 * 60_000).toISOString();
          const latency = await listConsentLatency(store, { client, listKey: 'news', listId: 7, runId: current, verifiedAt });
          const expected = who.filter((w) => w.optedOut && onList(w.previous) && !onList(w.current)).length;
          expect(latency.previousRunId).toBe(previous);
          expect(Object.values(latency.minutes).reduce((a, b) => a + b, 0)).toBe(expected);
        },
      ),
      { numRuns: 60 },
    );
  });
});
