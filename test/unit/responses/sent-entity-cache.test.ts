import fc from 'fast-check';
import { classifyPage, recipientIdsOf, type ClassifiedPage } from '../../../src/responses/classify-response-page';
import { readResponseRow } from '../../../src/responses/response-rows';
import { SentEntityCache } from '../../../src/responses/sent-entity-cache';
import { withSentEntities, type ClassifiedWindowIngester, type PagePosition } from '../../../src/responses/window-ingester';
import type { SentEntity } from '../../../src/store/types';
import { TWO_LIST_CLIENT } from '../../helpers/response-client';

// The ledger look-up moved to the reading thread, cached for the window: for any sequence of pages'
// ids (repeats, unknown ids, odd strings) it must answer what the ledger answers per id, ask the
// ledger each id at most once, and hand the pages on in order without waiting for their answers.

const KNOWN = new Map<string, SentEntity[]>([
  ['a@x.test', [{ runId: 'r1', listKey: 'newsletter', entityType: 'contact', entityId: 'C1', resultCode: 0 }]],
  [
    'B@x.test',
    [
      { runId: 'r2', listKey: 'offers', entityType: 'lead', entityId: 'L1', resultCode: 0 },
      { runId: 'r1', listKey: 'newsletter', entityType: 'contact', entityId: 'C2', resultCode: 0 },
    ],
  ],
]);
const idArb = fc.oneof(fc.constantFrom('a@x.test', 'B@x.test', 'b@x.test', 'never@x.test', '', '__proto__'), fc.string({ maxLength: 4 }));

/** A ledger answering every asked id (never-sent ones with []), recording what it was asked. */
function recordingLedger() {
  const asked: string[] = [];
  return {
    asked,
    sentEntitiesOf: async (q: { recipientIds: readonly string[] }) => {
      asked.push(...q.recipientIds);
      return new Map(q.recipientIds.map((id) => [id, KNOWN.get(id) ?? []]));
    },
  };
}

describe('SentEntityCache', () => {
  it('answers every id asked as the ledger does, asking the ledger each id once', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.array(idArb, { maxLength: 12 }), { maxLength: 6 }), async (pages) => {
        const ledger = recordingLedger();
        const cache = new SentEntityCache({ clientKey: 'demo', ledger });
        for (const ids of pages) {
          const answer = await cache.sentFor(ids);
          expect([...answer.keys()].sort()).toEqual([...new Set(ids)].sort());
          for (const id of ids) expect(answer.get(id)).toEqual(KNOWN.get(id) ?? []);
        }
        expect(ledger.asked.length).toBe(new Set(ledger.asked).size);
        expect(new Set(ledger.asked)).toEqual(new Set(pages.flat()));
      }),
      { numRuns: 200 },
    );
  });
});

const CLIENT = TWO_LIST_CLIENT;
const UNTIL = Date.parse('2026-06-01T00:00:00Z');
const TIME = new Date(UNTIL - 3_600_000).toISOString();

/** A classified page of opens of mailing 1001 by the given ids. */
function pageOf(ids: readonly string[]): ClassifiedPage {
  const rows = ids.map((id) => readResponseRow('getOpens', [id, '1001', TIME, '100']));
  return classifyPage(rows, { client: CLIENT, nowMs: UNTIL, seen: new Set() });
}

describe('withSentEntities', () => {
  it('hands every page on in order with the ledger answer for its ids, before any answer is in', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.array(idArb, { maxLength: 8 }), { minLength: 1, maxLength: 5 }), async (idsPerPage) => {
        const handed: Array<{ at: PagePosition; page: ClassifiedPage }> = [];
        const answers: Array<() => void> = [];
        const target: ClassifiedWindowIngester = {
          // Answers only once every page is handed: the pages must not wait for the answers before them.
          ingest: (at, page) => {
            handed.push({ at, page });
            return new Promise((resolve) => answers.push(() => resolve(undefined)));
          },
          close: async () => undefined,
        };
        const ingester = withSentEntities(target, new SentEntityCache({ clientKey: 'demo', ledger: recordingLedger() }));
        const pages = idsPerPage.map(pageOf);
        const answered = pages.map((page, i) => ingester.ingest({ getterIndex: 0, startRow: i * 1000 }, page, undefined));
        while (handed.length < pages.length) await new Promise(setImmediate);
        for (const answer of answers) answer();
        await Promise.all(answered);
        expect(handed.map((h) => h.at.startRow)).toEqual(pages.map((_, i) => i * 1000));
        for (const [i, { page }] of handed.entries()) {
          expect(page.engagements).toEqual(pages[i]?.engagements);
          const ids = recipientIdsOf(page);
          expect([...(page.sent?.keys() ?? [])].sort()).toEqual([...new Set(ids)].sort());
          for (const id of ids) expect(page.sent?.get(id)).toEqual(KNOWN.get(id) ?? []);
        }
      }),
      { numRuns: 100 },
    );
  });

  it('hands no page on after a look-up that failed: that page and every later one fail with its error', async () => {
    let calls = 0;
    const ledger = {
      sentEntitiesOf: async (q: { recipientIds: readonly string[] }) => {
        calls += 1;
        if (calls === 2) throw new Error('ledger unavailable');
        return new Map(q.recipientIds.map((id) => [id, KNOWN.get(id) ?? []]));
      },
    };
    const handed: number[] = [];
    const target: ClassifiedWindowIngester = {
      ingest: async (at) => (handed.push(at.startRow), undefined),
      close: async () => undefined,
    };
    const ingester = withSentEntities(target, new SentEntityCache({ clientKey: 'demo', ledger }));
    const answers = ['a@x.test', 'B@x.test', 'never@x.test', 'b@x.test'].map((id, i) =>
      ingester.ingest({ getterIndex: 0, startRow: i * 1000 }, pageOf([id]), undefined),
    );
    const settled = await Promise.allSettled(answers);
    expect(settled.map((s) => s.status)).toEqual(['fulfilled', 'rejected', 'rejected', 'rejected']);
    for (const s of settled.slice(1)) expect((s as PromiseRejectedResult).reason).toEqual(new Error('ledger unavailable'));
    expect(handed).toEqual([0]);
    expect(calls).toBe(2);
  });
});
