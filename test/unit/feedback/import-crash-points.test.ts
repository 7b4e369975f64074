import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { openCsvCrm } from '../../../src/crm/csv/csv-crm';
import { crmConfigSchema, type CsvCrmConfig } from '../../../src/crm/crm-config';
import type { CrmPort } from '../../../src/crm/crm-port';
import { importFeedback } from '../../../src/feedback/import-feedback';
import { formatClosedLoopTime } from '../../../src/optimizely/api/closed-loop-columns';
import type { ClosedLoopGetter } from '../../../src/optimizely/api/services/closed-loop';
import { createStateStore, type StateStore } from '../../../src/store';
import { aCrashPoint, runUntilDone } from '../../helpers/crash-points';
import { createFakeOptimizely, type FakeOptimizely } from '../../helpers/fake-optimizely';
import { LISTS, feedbackClient, idempotentCrm } from '../../helpers/feedback-harness';
import { aRun, aSent } from '../../helpers/store-builders';

// The feedback import dies at any outside call (a ClosedLoop page, a ledger look-up, a CRM write, a
// suppression or applied-key write, a watermark), before the far side ran it or after (its reply
// lost), possibly again in the retry; Temporal runs it again with the same input, and ClosedLoop may
// have new events by then. After it and the next day's import, the CRM holds exactly what one import
// without a crash would have written, each event written once: a SQL CRM changes once per event (its writes are
// idempotent), and a CSV-exchange CRM finds each event in one outbox file only, since it imports
// every file it finds. The suppression ledger holds what the crash-free import records.

const NOW = Date.parse('2026-11-30T06:00:00.000Z');
const PEOPLE = 5; // person 5 was never sent
const person = (i: number) => `p${i}@example.com`;
const GETTERS: ClosedLoopGetter[] = ['getOutBounces', 'getUnsubscribes', 'getMailingUnsubscribes'];

interface ClosedLoopEvent {
  getter: ClosedLoopGetter;
  who: number;
  listId: 0 | 7 | 8;
  minutesAgo: number;
}

const anEvent: fc.Arbitrary<ClosedLoopEvent> = fc.record({
  getter: fc.constantFrom(...GETTERS),
  who: fc.nat(PEOPLE),
  listId: fc.constantFrom(0 as const, 7 as const, 8 as const),
  minutesAgo: fc.integer({ min: 1, max: 600 }),
});
/**
 * Events at distinct instants per person, split into those reported before the first attempt and
 * those reported before each retry. (Two events of one person at one instant, client-wide and from
 * one list, are two events that map to the same CRM row: the CSV outbox holds it twice by design.)
 */
const reported = fc.uniqueArray(anEvent, { minLength: 1, maxLength: 18, selector: (e) => `${e.who}|${e.minutesAgo}` }).chain((all) =>
  fc.tuple(fc.nat(all.length), fc.integer({ min: 1, max: 3 })).map(([count, per]) => {
    const late = [];
    for (let from = count; from < all.length; from += per) late.push(all.slice(from, from + per));
    return { before: all.slice(0, count), late };
  }),
);

const scenario = fc.record({
  reported,
  crm: fc.constantFrom('sql' as const, 'csv' as const),
  // An import of three getters and a handful of rows makes about 15 outside calls.
  crashes: fc.array(aCrashPoint(18), { minLength: 1, maxLength: 3 }),
});

function closedLoopRow(e: ClosedLoopEvent) {
  const at = formatClosedLoopTime(NOW - e.minutesAgo * 60_000);
  const row = [person(e.who), 'm1', at, String(e.listId)];
  return e.getter === 'getOutBounces' ? [...row, 'hard'] : row;
}

/** Every feedback row in the outbox, as often as the CRM would import it. */
function outboxRows(outbox: string): string[] {
  let names: string[] = [];
  try {
    names = readdirSync(outbox).filter((n) => n.endsWith('.csv'));
  } catch {
    return [];
  }
  return names.flatMap((name) => (parse(readFileSync(join(outbox, name)), { from_line: 2 }) as string[][]).map((cells) => cells.join('|')));
}

async function storeWithSent(): Promise<StateStore> {
  const store = await createStateStore({ kind: 'sqlite', file: ':memory:' });
  await store.runs.upsert(aRun({ client: 'acme', runId: 'r0' }));
  await store.ledger.record(
    Array.from({ length: PEOPLE }, (_, i) =>
      LISTS.map((l) => aSent(person(i), 0, { runId: 'r0', listKey: l.key, entityId: `C${i}` })),
    ).flat(),
  );
  return store;
}

/** What the CRM ends up with: each event and how often it was written. */
type CrmOutcome = Map<string, number>;

interface Side {
  store: StateStore;
  optimizely: FakeOptimizely;
  crm: CrmPort;
  written: () => CrmOutcome;
}

async function aSide(dir: string, kind: 'sql' | 'csv'): Promise<Side> {
  const store = await storeWithSent();
  const optimizely = createFakeOptimizely();
  optimizely.now = NOW;
  if (kind === 'sql') {
    const crm = idempotentCrm();
    return { store, optimizely, crm, written: () => crm.changes };
  }
  const outbox = join(dir, 'outbox');
  const config = crmConfigSchema.parse({ kind: 'csv', outbox, lists: {} }) as CsvCrmConfig;
  const crm = openCsvCrm(config);
  const written = () => {
    const counts = new Map<string, number>();
    for (const row of outboxRows(outbox)) counts.set(row, (counts.get(row) ?? 0) + 1);
    return counts;
  };
  return { store, optimizely, crm, written };
}

const put = (optimizely: FakeOptimizely, list: readonly ClosedLoopEvent[]) =>
  list.forEach((e) => optimizely.closedLoopRows[e.getter].push(closedLoopRow(e)));

const importOn = (side: Pick<Side, 'store' | 'optimizely' | 'crm'>, dir: string, runId: string) =>
  importFeedback({
    client: feedbackClient(),
    ...side,
    runDir: join(dir, runId),
    runId,
    invocation: `import-${runId}`,
    now: () => new Date(NOW),
  });

async function suppressionsOf(store: StateStore): Promise<string[]> {
  const all = [];
  for (let i = 0; i <= PEOPLE; i += 1) all.push(...(await store.suppressions.events('acme', person(i))));
  return all.map((e) => `${e.kind}|${e.recipientKey}|${e.listId}|${e.occurredAt}|${e.source}`).sort();
}

describe('the feedback import dying at any outside call', () => {
  it('writes each event to the CRM exactly once and ledgers what a crash-free import does', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async ({ reported: { before, late }, crm: kind, crashes }) => {
        const dir = mkdtempSync(join(tmpdir(), 'cs-import-crash-'));
        const crashed = await aSide(join(dir, 'crashed'), kind);
        const reference = await aSide(join(dir, 'reference'), kind);
        try {
          put(crashed.optimizely, before);
          let attempts = 0;
          let arrived = 0;
          await runUntilDone(crashes, async (life) => {
            // Before each retry: the events ClosedLoop reported meanwhile.
            if ((attempts += 1) > 1 && arrived < late.length) put(crashed.optimizely, late[arrived++]!);
            return importOn(
              life.wrap({ store: crashed.store, optimizely: crashed.optimizely, crm: crashed.crm }),
              join(dir, 'crashed'),
              'day-1',
            );
          });
          // What the retries did not fetch, the next run does.
          await importOn(crashed, join(dir, 'crashed'), 'day-2');
          put(reference.optimizely, [...before, ...late.slice(0, arrived).flat()]);
          await importOn(reference, join(dir, 'reference'), 'day-1');

          const written = crashed.written();
          expect([...written.keys()].sort()).toEqual([...reference.written().keys()].sort());
          expect([...written].filter(([, times]) => times !== 1)).toEqual([]);
          expect(await suppressionsOf(crashed.store)).toEqual(await suppressionsOf(reference.store));
        } finally {
          await Promise.all([crashed.store.close(), reference.store.close()]);
          rmSync(dir, { recursive: true, force: true });
        }
      }),
      { numRuns: 100 },
    );
  });

  it('reuses a fetch only within one import: another import in the same run folder, or one without an invocation, fetches again', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cs-import-fetch-once-'));
    const side = await aSide(dir, 'sql');
    const unsubscribe = (who: number): ClosedLoopEvent => ({ getter: 'getUnsubscribes', who, listId: 7, minutesAgo: 10 + who });
    const night = (invocation: string | undefined) =>
      importFeedback({
        client: feedbackClient(),
        ...side,
        runDir: join(dir, 'shared'),
        runId: 'daily:acme',
        invocation,
        now: () => new Date(NOW),
      });
    const written = () => [...side.written().keys()].map((key) => key.split('|')[2]).sort();
    try {
      put(side.optimizely, [unsubscribe(0)]);
      await night('night-1');
      put(side.optimizely, [unsubscribe(1)]);
      await night('night-1'); // a retry of the same import: what its first attempt fetched
      expect(written()).toEqual(['C0']);
      await night('night-2'); // the next night in a folder shared by the nights
      expect(written()).toEqual(['C0', 'C1']);
      put(side.optimizely, [unsubscribe(2)]);
      await night(undefined);
      expect(written()).toEqual(['C0', 'C1', 'C2']);
    } finally {
      await side.store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
