import fc from 'fast-check';
import type { CrmPort } from '../../../src/crm/crm-port';
import { reportedEventKey } from '../../../src/feedback/applied-event-key';
import { MAX_FEEDBACK_CELL } from '../../../src/feedback/feedback-row';
import { suppressionRecorder } from '../../../src/feedback/record-suppressions';
import type { Row } from '../../../src/optimizely/client/optimizely-port';
import { classifyPage, pageClassifier, UNSETTLED, type ClassifiedPage } from '../../../src/responses/classify-response-page';
import { packPage, transferablesOfPacked, unpackPage } from '../../../src/responses/ingest-thread/packed-page';
import { preparePage } from '../../../src/responses/prepare-response-page';
import { emptyCounts } from '../../../src/responses/response-counts';
import { ResponseLookups } from '../../../src/responses/response-mapping';
import { readResponseRow, RESPONSE_GETTERS, type ResponseGetter } from '../../../src/responses/response-rows';
import type { SentEntity } from '../../../src/store/types';
import type { SuppressionEvent } from '../../../src/store/suppression-types';
import { formerPreparePage } from '../../helpers/former-prepare-response-page';
import { hostileText } from '../../helpers/hostile-text';
import { TWO_LIST_CLIENT } from '../../helpers/response-client';

// Classification moved to the thread that reads the pages; the response ingestion thread only looks
// up and writes. For any pages of a window, hostile cells, repeats and unknown recipients included,
// the two halves together must prepare exactly what the former one-thread page preparation did.

const CLIENT = TWO_LIST_CLIENT;
const UNTIL = Date.parse('2026-06-01T00:00:00Z');
const EMAILS = ['anna@x.test', 'Ben@X.test', 'cleo@x.test', 'never@x.test'];
const TIMES = [-50, -2, -1, 0, 30].map((h) => new Date(UNTIL + h * 3_600_000).toISOString());

/** What the ledger knows: anna on both lists, Ben on one, cleo as an entity on a list we no longer configure. */
const SENT = new Map<string, SentEntity[]>([
  [
    'anna@x.test',
    [
      { runId: 'r1', listKey: 'newsletter', entityType: 'contact', entityId: 'C1', resultCode: 0 },
      { runId: 'r2', listKey: 'offers', entityType: 'lead', entityId: 'L1', resultCode: 0 },
    ],
  ],
  ['Ben@X.test', [{ runId: 'r1', listKey: 'newsletter', entityType: 'contact', entityId: 'C2', resultCode: 0 }]],
  ['cleo@x.test', [{ runId: 'r1', listKey: 'gone', entityType: 'contact', entityId: 'C3', resultCode: 0 }]],
]);
/** Bounces and unsubscribes the feedback import applied before. */
const APPLIED_BEFORE = new Set(
  TIMES.flatMap((occurredAt) => [reportedEventKey('unsubscribe', { recipientId: 'anna@x.test', listId: 100, occurredAt })]),
);

// Up to the cell bound: a longer cell makes the row invalid on the reading thread, which the former
// preparation did not know (response-huge-cells.test.ts).
const boundedHostileText = hostileText.filter((text) => text.length <= MAX_FEEDBACK_CELL);
const cell = (...plausible: string[]) =>
  fc.oneof(
    { arbitrary: fc.constantFrom(...plausible), weight: 8 },
    { arbitrary: boundedHostileText, weight: 1 },
    { arbitrary: fc.constant(null), weight: 1 },
  );
const rowArb: fc.Arbitrary<Row> = fc.tuple(
  cell(...EMAILS, ''),
  cell('1001', '2001', ''),
  fc.oneof(
    { arbitrary: fc.constantFrom(...TIMES), weight: 8 },
    { arbitrary: fc.constantFrom('', 'yesterday', '2026-06-01T00:00:00', '2026-13-40T99:00:00Z', '1999-12-31T00:00:00Z'), weight: 1 },
    { arbitrary: boundedHostileText, weight: 1 },
  ),
  cell('100', '200', '0', '-1', ' 100 ', '1e2', 'abc'),
  cell('hardbounce', 'softbounce', 'autoresponder', 'unknown', '7'),
  cell('https://e.test/a', 'https://e.test/b'),
);
const pageArb = fc.record({
  getter: fc.constantFrom(...RESPONSE_GETTERS),
  // Rows are drawn again from the page (repeats in a page and across pages).
  rows: fc.array(rowArb, { maxLength: 30 }).chain((rows) => fc.shuffledSubarray([...rows, ...rows], { minLength: rows.length })),
});

/** A page as the response ingestion thread receives it: packed, moved (a structured clone) and unpacked. */
function acrossThreads(page: ClassifiedPage): ClassifiedPage {
  const packed = packPage(page);
  return unpackPage(structuredClone(packed, { transfer: transferablesOfPacked(packed) }));
}

function lookups(crm: CrmPort): ResponseLookups {
  const ledger = {
    sentEntitiesOf: async (q: { recipientIds: readonly string[] }) => new Map(q.recipientIds.map((id) => [id, SENT.get(id) ?? []])),
  };
  return new ResponseLookups({ client: CLIENT, crm, ledger });
}

describe('classification on the reading thread', () => {
  const crm = { campaignForMailing: async (mailingId: string) => (mailingId === '1001' ? 'CMP-1' : undefined) } as unknown as CrmPort;
  const intake = {
    appliedKeys: async (_client: string, keys: readonly string[]) => new Set(keys.filter((k) => APPLIED_BEFORE.has(k))),
  };

  it('prepares the pages of a window exactly as the former one-thread page preparation from their rows', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(pageArb, { minLength: 1, maxLength: 5 }), async (pages) => {
        const recorded: Record<'former' | 'now', SuppressionEvent[]> = { former: [], now: [] };
        const recordingStore = (into: SuppressionEvent[]) => ({
          record: async (events: readonly SuppressionEvent[]) => (into.push(...events), events.length),
          active: async () => new Map(),
          events: async () => [],
          latencyMinutes: async () => [],
        });
        const formerPorts = {
          client: CLIENT,
          lookups: lookups(crm),
          seen: new Set<string>(),
          nowMs: UNTIL,
          intake,
          pendingKeys: new Set<string>(),
          suppressions: suppressionRecorder(recordingStore(recorded.former) as never, CLIENT.key, 'responses'),
        };
        const nowPorts = {
          client: CLIENT,
          crm,
          lookups: lookups(crm),
          intake: intake as never,
          pendingKeys: new Set<string>(),
          suppressions: recordingStore(recorded.now),
        };
        const classify = pageClassifier(CLIENT, UNTIL);
        const [formerCounts, nowCounts] = [emptyCounts(), emptyCounts()];
        for (const { getter, rows } of pages) {
          const former = await formerPreparePage(
            rows.map((row) => readResponseRow(getter, row)),
            formerPorts,
            formerCounts,
          );
          await formerPorts.suppressions.flush();
          // Across threads, as the worker hands it over: packed, a structured clone, unpacked.
          const now = await preparePage(acrossThreads(classify(getter, rows)), nowPorts, nowCounts);
          expect(now).toEqual(former);
          expect(recorded.now).toEqual(recorded.former);
          expect(nowCounts).toEqual(formerCounts);
          expect([...nowPorts.pendingKeys]).toEqual([...formerPorts.pendingKeys]);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('accounts for every row: settled, or handed on once as an open or click or as a bounce or unsubscribe', () => {
    fc.assert(
      fc.property(fc.constantFrom<ResponseGetter>(...RESPONSE_GETTERS), fc.array(rowArb, { maxLength: 60 }), (getter, rows) => {
        const page: ClassifiedPage = classifyPage(
          rows.map((row) => readResponseRow(getter, row)),
          { client: CLIENT, nowMs: UNTIL, seen: new Set() },
        );
        expect(page.kinds).toHaveLength(rows.length);
        const handedOn = [...page.engagements.slot, ...page.feedback.slot].sort((a, b) => a - b);
        const unsettled = [...page.settled.keys()].filter((slot) => page.settled[slot] === UNSETTLED);
        expect(handedOn).toEqual(unsettled);
        for (const column of Object.values(page.engagements)) expect(column).toHaveLength(page.engagements.slot.length);
        for (const column of Object.values(page.feedback)) expect(column).toHaveLength(page.feedback.slot.length);
        for (const column of Object.values(page.suppressions)) expect(column).toHaveLength(page.suppressions.unsubscribe.length);
        // The event keys are hashes: the window's key set holds no address.
        for (const key of page.feedback.key) expect(key).toMatch(/^[0-9a-f]{64}$/);
      }),
      { numRuns: 300 },
    );
  });
});
