import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import type { CrmPort, FeedbackEvent } from '../../../src/crm/crm-port';
import { importFeedback } from '../../../src/feedback/import-feedback';
import { formatClosedLoopTime } from '../../../src/optimizely/api/closed-loop-columns';
import type { Cell } from '../../../src/optimizely/client/optimizely-port';
import { applyResponsePage } from '../../../src/responses/apply-response-page';
import { classifyPage } from '../../../src/responses/classify-response-page';
import { emptyCounts } from '../../../src/responses/response-counts';
import { ResponseLookups } from '../../../src/responses/response-mapping';
import { readResponseRow } from '../../../src/responses/response-rows';
import { createStateStore, type StateStore } from '../../../src/store';
import { aRun, aSent } from '../../helpers/store-builders';
import { createFakeOptimizely } from '../../helpers/fake-optimizely';
import { LISTS, feedbackClient } from '../../helpers/feedback-harness';

// A ClosedLoop unsubscribe row's list id decides its scope: `0` is client-wide (every list's consent
// is withdrawn in the CRM and the person is suppressed on every list), any other integer that list
// only. Both readers of ClosedLoop rows (the feedback import and response ingestion) read a blank or
// nil list-id cell as `0` before, so an answer that left the list id out withdrew every consent of
// the recipient: the same widening a renamed column in a dropped file once caused. Whatever the cell
// holds, only a plain integer is a scope; anything else is counted invalid and changes nothing.

const NOW = Date.parse('2026-03-31T06:00:00.000Z');
const client = feedbackClient();

const listCell: fc.Arbitrary<Cell> = fc.oneof(
  fc.constantFrom<Cell>(null, '', ' ', '\t', '\u00A0', '0', ' 0 ', '7', '8', '7.0', '-1', 'abc', '0x7'),
  fc.nat({ max: 20 }).map(String),
  fc.string({ maxLength: 4 }),
);
const PLAIN = /^\d{1,15}$/;
const scopeOf = (cell: Cell): number | undefined => (cell !== null && PLAIN.test(cell.trim()) ? Number(cell.trim()) : undefined);
const recipient = (i: number) => `p${i}@example.com`;
/** Rows whose scope concerns a list of ours (client-wide or list 7 or 8): they reach the CRM. */
const ours = (cells: readonly Cell[]) =>
  cells.filter((c) => {
    const scope = scopeOf(c);
    return scope !== undefined && (scope === 0 || LISTS.some((l) => l.listId === scope));
  }).length;

/** A CRM that records the feedback events it gets. */
const recordingCrm = (events: FeedbackEvent[]): CrmPort => ({
  exportSelection: async function* () {},
  applyFeedback: async (batch) => (events.push(...batch), batch.map((_, index) => ({ index, outcome: 'applied' as const }))),
  applyResponses: async () => [],
  campaignForMailing: async () => undefined,
  close: async () => undefined,
});

/** A state store in which recipient i was sent on both lists as contact C<i>. */
async function storeWithSent(count: number): Promise<StateStore> {
  const store = await createStateStore({ kind: 'sqlite', file: ':memory:' });
  await store.runs.upsert(aRun({ client: 'acme', runId: 'r0' }));
  await store.ledger.record(
    Array.from({ length: count }, (_, i) =>
      LISTS.map((l) => aSent(recipient(i), 0, { runId: 'r0', listKey: l.key, entityId: `C${i}` })),
    ).flat(),
  );
  return store;
}

/** Every recipient's withdrawn CRM consents and suppression scopes, against what its cell allows. */
async function expectScoped(store: StateStore, cells: readonly Cell[], events: readonly FeedbackEvent[]) {
  for (const [i, cell] of cells.entries()) {
    const scope = scopeOf(cell);
    const withdrawn = events.filter((e) => e.recipientId === recipient(i)).map((e) => e.optInId);
    const suppressed = (await store.suppressions.events('acme', recipient(i))).map((e) => e.listId);
    if (scope === undefined) {
      expect(withdrawn).toEqual([]);
      expect(suppressed).toEqual([]);
    } else {
      const lists = LISTS.filter((l) => scope === 0 || l.listId === scope).map((l) => String(l.optInId));
      expect([...new Set(withdrawn)].sort()).toEqual(lists);
      expect(suppressed).toEqual([scope]);
    }
  }
}

const at = formatClosedLoopTime(NOW - 3_600_000);
const cellsArb = fc.array(listCell, { minLength: 1, maxLength: 12 });

describe('a ClosedLoop list id that is not a plain integer is never client-wide', () => {
  let dir: string;
  beforeAll(() => (dir = mkdtempSync(join(tmpdir(), 'cs-list-ids-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('in the feedback import: every row applied by its own scope or rejected as invalid_list_id', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(cellsArb, async (cells) => {
        const store = await storeWithSent(cells.length);
        try {
          const optimizely = createFakeOptimizely();
          optimizely.now = NOW;
          cells.forEach((cell, i) => optimizely.closedLoopRows.getUnsubscribes.push([recipient(i), '', at, cell]));
          const events: FeedbackEvent[] = [];
          const result = await importFeedback({
            client,
            optimizely,
            store,
            crm: recordingCrm(events),
            runDir: join(dir, `run-${++run}`),
            runId: 'feedback-1',
            now: () => new Date(NOW),
          });
          const invalid = cells.filter((c) => scopeOf(c) === undefined).length;
          expect(result.unsubscribes.rows).toBe(cells.length);
          expect(result.unsubscribes.rejected.invalid_list_id).toBe(invalid);
          expect(result.unsubscribes.applied).toBe(ours(cells));
          await expectScoped(store, cells, events);
        } finally {
          await store.close();
        }
      }),
      { numRuns: 40 },
    );
  });

  it('in response ingestion: every row applied by its own scope or counted invalid', async () => {
    await fc.assert(
      fc.asyncProperty(cellsArb, async (cells) => {
        const store = await storeWithSent(cells.length);
        try {
          const events: FeedbackEvent[] = [];
          const crm = recordingCrm(events);
          const rows = cells.map((cell, i) => readResponseRow('getUnsubscribes', [recipient(i), '', at, cell]));
          const counts = emptyCounts();
          const lookups = new ResponseLookups({ client, crm, ledger: store.ledger });
          const page = classifyPage(rows, { client, nowMs: NOW, seen: new Set() });
          await applyResponsePage(page, { client, crm, lookups, pendingKeys: new Set(), suppressions: store.suppressions }, counts);
          const invalid = cells.filter((c) => scopeOf(c) === undefined).length;
          expect(counts.unsubscribe).toMatchObject({ read: cells.length, invalid, applied: ours(cells) });
          await expectScoped(store, cells, events);
        } finally {
          await store.close();
        }
      }),
      { numRuns: 40 },
    );
  });
});
