import fc from 'fast-check';
import type { CrmEventBatch, CrmPort, FeedbackEvent, ResponseEvent } from '../../../src/crm/crm-port';
import { ingestWindow } from '../../../src/responses/ingest-window';
import { totalCounts } from '../../../src/responses/response-counts';
import { createStateStore } from '../../../src/store';
import type { ClosedLoopGetter } from '../../../src/optimizely/api/closed-loop-columns';
import { createFakeOptimizely } from '../../helpers/fake-optimizely';
import { aRun, aSent } from '../../helpers/store-builders';
import { TWO_LIST_CLIENT } from '../../helpers/response-client';

const CLIENT = TWO_LIST_CLIENT;
const WINDOW = { since: 0, until: Date.parse('2026-06-01T00:00:00Z') };
const PEOPLE = ['a@x.test', 'b@x.test', 'c@x.test', 'never@x.test'];

/**
 * A CRM whose writes are no-ops when it already holds the event, like the SQL adapters' statements;
 * `together`: it also applies feedback and responses in one call (applyEvents), as they do.
 */
function idempotentCrm(together: boolean): CrmPort & { state: Set<string>; writes: number; feedbackEvents: number; transactions: number } {
  const crm = {
    state: new Set<string>(),
    writes: 0,
    /** Feedback events the CRM was asked to apply: a CRM that cannot tell a repeat (a CSV hand-over) would take each. */
    feedbackEvents: 0,
    transactions: 0,
    exportSelection: async function* () {},
    applyFeedback: async (events: readonly FeedbackEvent[]) => {
      crm.transactions += 1;
      return applyFeedback(events);
    },
    applyResponses: async (events: readonly ResponseEvent[]) => {
      crm.transactions += 1;
      return applyResponses(events);
    },
    ...(together
      ? {
          applyEvents: async (batch: CrmEventBatch) => {
            crm.transactions += 1;
            return { feedback: applyFeedback(batch.feedback), responses: applyResponses(batch.responses) };
          },
        }
      : {}),
    campaignForMailing: async (mailingId: string) => (mailingId === '1001' ? 'CMP-1' : undefined),
    close: async () => undefined,
  };
  const applyFeedback = (events: readonly FeedbackEvent[]) =>
    events.map((e, index) => {
      crm.feedbackEvents += 1;
      const key = `${e.kind}:${e.entityId}:${e.kind === 'unsubscribe' ? e.optInId : ''}`;
      const fresh = !crm.state.has(key);
      crm.state.add(key);
      crm.writes += fresh ? 1 : 0;
      return { index, outcome: fresh ? ('applied' as const) : ('already' as const) };
    });
  const applyResponses = (events: readonly ResponseEvent[]) =>
    events.map((e, index) => {
      const key = `${e.kind}:${e.mailingId}:${e.recipientId}:${e.entityId}:${e.occurredAt}:${e.url ?? ''}`;
      const fresh = !crm.state.has(key);
      crm.state.add(key);
      return { index, outcome: fresh ? ('applied' as const) : ('duplicate' as const) };
    });
  return crm;
}

const minute = fc
  .nat({ max: 30 })
  .map((m) => new Date(Date.parse('2026-05-31T10:00:00Z') + m * 60_000).toISOString().replace('Z', '+00:00'));
const event: fc.Arbitrary<Event> = fc.record({
  getter: fc.constantFrom<ClosedLoopGetter>(
    'getOpens',
    'getClicks',
    'getUnsubscribes',
    'getMailingUnsubscribes',
    'getOutBounces',
    'getResponses',
  ),
  who: fc.constantFrom(...PEOPLE),
  mailing: fc.constantFrom('1001', '2001'),
  at: minute,
  list: fc.constantFrom('0', '100', '200'),
  category: fc.constantFrom('hardbounce', 'softbounce', 'autoresponder'),
  /** A bounce also listed by the other bounce getter, under another mailing (the same CRM event). */
  twin: fc.boolean(),
});
interface Event {
  getter: ClosedLoopGetter;
  who: string;
  mailing: string;
  at: string;
  list: string;
  category: string;
  twin: boolean;
}

function rowOf(e: Event): string[] {
  if (e.getter === 'getClicks') return [e.who, e.mailing, e.at, e.list, '1', 'https://e.test/'];
  if (e.getter === 'getOutBounces' || e.getter === 'getResponses') return [e.who, e.mailing, e.at, e.list, e.category];
  return [e.who, e.getter === 'getUnsubscribes' ? '' : e.mailing, e.at, e.list];
}

/** Ingests one window of `events` with CRM commits of `pagesPerCommit` pages; pages hold 1000 rows. */
async function ingest(events: readonly Event[], pagesPerCommit: number, together = false) {
  const store = await createStateStore({ kind: 'sqlite', file: ':memory:' });
  try {
    await store.runs.upsert(aRun({ client: 'demo' }));
    await store.ledger.record([
      aSent('a@x.test', 0, { entityId: 'C-a' }),
      aSent('b@x.test', 0, { entityId: 'C-b' }),
      aSent('b@x.test', 0, { listKey: 'offers', entityType: 'lead', entityId: 'L-b' }),
      aSent('c@x.test', 0, { listKey: 'offers', entityId: 'C-c' }),
    ]);
    const optimizely = createFakeOptimizely();
    // Enough rows for several pages of each getter used, so commits span pages and getters.
    for (const e of events) {
      for (let copy = 0; copy < 3; copy += 1) optimizely.closedLoopRows[e.getter].push(rowOf(e));
      if (e.twin && e.getter === 'getOutBounces')
        optimizely.closedLoopRows.getResponses.push(
          rowOf({ ...e, getter: 'getResponses', category: 'hardbounce', mailing: `${e.mailing}9` }),
        );
    }
    for (const getter of ['getOpens', 'getUnsubscribes'] as const)
      for (let i = 0; i < 1500; i += 1)
        optimizely.closedLoopRows[getter].push(['never@x.test', '1001', '2026-05-31T09:00:00+00:00', '100']);
    const crm = idempotentCrm(together);
    const counts = await ingestWindow({ client: CLIENT, optimizely, store, crm, pagesPerCommit }, WINDOW);
    const suppressions = await Promise.all(PEOPLE.map(async (p) => (await store.suppressions.events('demo', p)).length));
    return {
      crm: [...crm.state].sort(),
      writes: crm.writes,
      feedbackEvents: crm.feedbackEvents,
      transactions: crm.transactions,
      counts,
      suppressions,
    };
  } finally {
    await store.close();
  }
}

describe('ingestWindow with CRM commits spanning pages', () => {
  it('hands a bounce listed by both bounce getters under different mailings to the CRM once, in one commit or two', async () => {
    const bounce = { who: 'a@x.test', at: '2026-05-31T10:00:00+00:00', list: '100', category: 'hardbounce', twin: true };
    const events = [{ ...bounce, getter: 'getOutBounces' as const, mailing: '1001' }];
    for (const pagesPerCommit of [1, 3]) {
      const result = await ingest(events, pagesPerCommit);
      expect(result.feedbackEvents).toBe(1);
      expect(result.counts.bounce).toMatchObject({ read: 4, applied: 1, duplicate: 3 });
    }
  });

  it('commits feedback and responses of the same pages in one CRM transaction when the CRM takes both at once', async () => {
    const at = '2026-05-31T10:00:00+00:00';
    const events = [
      { getter: 'getOutBounces' as const, who: 'a@x.test', mailing: '1001', at, list: '100', category: 'hardbounce', twin: false },
      { getter: 'getOpens' as const, who: 'b@x.test', mailing: '1001', at, list: '100', category: '', twin: false },
    ];
    // 1500 filler rows each of getOpens and getUnsubscribes: four pages with those two, all in one commit of ten pages.
    const [apart, together] = [await ingest(events, 10), await ingest(events, 10, true)];
    expect(apart.transactions).toBe(2);
    expect(together.transactions).toBe(1);
    expect(together.crm).toEqual(apart.crm);
    expect(together.counts).toEqual(apart.counts);
  });

  it('leaves the CRM and the suppression ledger as page-by-page commits do, applies nothing twice and counts every row once', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(event, { maxLength: 40 }),
        fc.integer({ min: 2, max: 10 }),
        fc.boolean(),
        async (events, pagesPerCommit, together) => {
          const alone = await ingest(events, 1);
          const batched = await ingest(events, pagesPerCommit, together);
          // One transaction per commit when the CRM takes both kinds at once, never more than two.
          expect(batched.transactions).toBeLessThanOrEqual(alone.transactions);
          expect(batched.crm).toEqual(alone.crm);
          expect(batched.writes).toBe(alone.writes);
          expect(batched.feedbackEvents).toBe(alone.feedbackEvents);
          expect(batched.suppressions).toEqual(alone.suppressions);
          for (const result of [alone, batched]) {
            const total = totalCounts(result.counts);
            const { read, ...outcomes } = total;
            expect(Object.values(outcomes).reduce((sum, n) => sum + n, 0)).toBe(read);
          }
          expect(totalCounts(batched.counts).read).toBe(totalCounts(alone.counts).read);
          expect(totalCounts(batched.counts).applied).toBe(totalCounts(alone.counts).applied);
        },
      ),
      { numRuns: 25 },
    );
  });
});
