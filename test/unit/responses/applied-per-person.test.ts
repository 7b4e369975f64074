import fc from 'fast-check';
import { applyResponsePage, type PagePorts } from '../../../src/responses/apply-response-page';
import { pageClassifier } from '../../../src/responses/classify-response-page';
import { emptyCounts, OUTCOMES, type ResponseCounts } from '../../../src/responses/response-counts';
import { ResponseLookups } from '../../../src/responses/response-mapping';
import type { FeedbackIntakeStore, LedgerStore } from '../../../src/store/state-store';
import { memoryIntake } from '../../helpers/feedback-harness';
import { aSentIdSet, eventsOf, expectedWrites, idempotentCrm, peopleLedger, type PersonEvent } from '../../helpers/fold-alike-people';
import { TWO_LIST_CLIENT } from '../../helpers/response-client';

// Exactly once per person, on the response ingestion side: a bounce or unsubscribe was keyed by the
// reported id folded, so of two people sent under ids that fold alike (`ABC1`, `ＡＢＣ１`) with an
// event of the same kind, list and second, the second was counted `duplicate` and its CRM entity got
// nothing. Now keyed by the id each resolved to. Over pages of such events reported under any form,
// windows read again, and a crash between the CRM commit and the key record: every person gets each
// of their events exactly once.

const CLIENT = TWO_LIST_CLIENT;
const AT = Date.parse('2026-06-01T10:00:00Z');
const NOW = AT + 3_600_000;
const timeOf = (second: number) => new Date(AT + second * 1000).toISOString();
const LIST_IDS = ['100', '200'] as const;
const GETTER = { unsubscribe: 'getUnsubscribes', bounce: 'getOutBounces' } as const;

/** The events' ClosedLoop rows per getter, in pages of `size`. */
function pagesOf(events: readonly PersonEvent[], size: number): Array<{ getter: (typeof GETTER)[keyof typeof GETTER]; rows: unknown[][] }> {
  const pages: Array<{ getter: (typeof GETTER)[keyof typeof GETTER]; rows: unknown[][] }> = [];
  for (const kind of ['bounce', 'unsubscribe'] as const) {
    const rows = events
      .filter((e) => e.kind === kind)
      .flatMap((e) =>
        e.reports.map((id) =>
          kind === 'bounce'
            ? [id, '1001', timeOf(e.second), LIST_IDS[e.list], 'hardbounce']
            : [id, '1001', timeOf(e.second), LIST_IDS[e.list]],
        ),
      );
    for (let at = 0; at < rows.length; at += size) pages.push({ getter: GETTER[kind], rows: rows.slice(at, at + size) });
  }
  return pages;
}

interface WindowPorts {
  crm: ReturnType<typeof idempotentCrm>;
  ledger: LedgerStore;
  intake: FeedbackIntakeStore;
  runId: string;
}

/** One window read: every page classified and committed in order; returns its counts. */
async function ingestWindow(pages: ReturnType<typeof pagesOf>, { crm, ledger, intake, runId }: WindowPorts): Promise<ResponseCounts> {
  const counts = emptyCounts();
  const classify = pageClassifier(CLIENT, NOW);
  const ports: PagePorts = {
    client: CLIENT,
    crm,
    intake,
    runId,
    lookups: new ResponseLookups({ client: CLIENT, crm, ledger }),
    pendingKeys: new Set(),
  };
  for (const page of pages) await applyResponsePage(classify(page.getter, page.rows as never), ports, counts);
  return counts;
}

const counted = (counts: ResponseCounts) =>
  (['bounce', 'unsubscribe'] as const).reduce(
    (sum, kind) => sum + OUTCOMES.filter((o) => o !== 'read').reduce((s, o) => s + counts[kind][o], 0),
    0,
  );

describe('response ingestion: exactly once per person', () => {
  it('gives every sent person each of their bounces and unsubscribes exactly once, across windows and a crash before the keys are recorded', async () => {
    await fc.assert(
      fc.asyncProperty(
        aSentIdSet.chain((sentIds) =>
          fc.record({
            sentIds: fc.constant(sentIds),
            events: eventsOf(sentIds),
            size: fc.integer({ min: 1, max: 6 }),
            crash: fc.boolean(),
            windows: fc.integer({ min: 1, max: 2 }),
          }),
        ),
        async ({ sentIds, events, size, crash, windows }) => {
          const crm = idempotentCrm();
          const intake = memoryIntake();
          const ports = (runId: string, keys: FeedbackIntakeStore = intake): WindowPorts => ({
            crm,
            ledger: peopleLedger(sentIds),
            intake: keys,
            runId,
          });
          const pages = pagesOf(events, size);
          const rows = events.reduce((n, e) => n + e.reports.length, 0);
          if (crash) {
            // The first commit reaches the CRM, then the worker dies before its keys are recorded.
            const dying = { ...intake, recordAppliedKeys: () => Promise.reject(new Error('worker lost')) };
            await expect(ingestWindow(pages, ports('responses-crashed', dying))).rejects.toThrow('worker lost');
          }
          for (let n = 0; n <= windows; n += 1) expect(counted(await ingestWindow(pages, ports(`responses-${n}`)))).toBe(rows);
          const expected = expectedWrites(events, sentIds, ['11', '12'], timeOf);
          expect([...crm.applied].sort()).toEqual([...expected].sort());
          for (const [, times] of crm.handed) expect(times).toBeLessThanOrEqual(crash ? 2 : 1);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('two people whose ids fold alike, with a bounce in the same second on one page, both get it', async () => {
    const sentIds = ['ABC1', '\uFF21\uFF22\uFF23\uFF11', 'AB\u200BC1'];
    const crm = idempotentCrm();
    const events = sentIds.map((id, person): PersonEvent => ({ person, kind: 'bounce', list: 0, second: 0, reports: [id] }));
    const counts = await ingestWindow(pagesOf(events, 10), { crm, ledger: peopleLedger(sentIds), intake: memoryIntake(), runId: 'r' });
    expect([...crm.applied].sort()).toEqual(['C0', 'C1', 'C2'].map((c) => `${c}|bounce||${timeOf(0)}`));
    expect(counts.bounce).toMatchObject({ read: 3, applied: 3, duplicate: 0 });
  });
});
