import fc from 'fast-check';
import { openSqlDb } from '../../src/db/open-sql-db';
import type { SqlDb } from '../../src/db/sql-db';
import { createStateStore, type StateStore } from '../../src/store';
import { createSqlLedgerStore } from '../../src/store/sql/sql-ledger-store';
import { sentEntitiesOf, SENT_LOOKUP_SIZES } from '../../src/store/sql/sql-sent-entities';
import type { LedgerEntry, ResultCode, SentEntity } from '../../src/store/types';
import { formerSentEntitiesOf } from './former-sent-entities-of';
import { aRun } from './store-builders';
import type { StoreHarness } from './store-harness';

/** Ids that fold alike (case, full width, padding, invisible characters, an FQDN's dot): each is its own recipient. */
const IDS = ['abc@x.test', 'ABC@x.test', 'ａｂｃ@x.test', ' abc@x.test', 'ab\u200bc@x.test', 'abc@x.test.', 'Z1', 'z1'];
const LISTS = ['news', 'offers', 'alerts'];
const CONSENTS = [{ optInId: '11', mediaType: 'email' }, { optInId: '12', mediaType: 'email' }, undefined];

/** What one run does with one id: sends it, keeps it (unchanged or updated), removes or excludes it, keeps and sends it, or nothing. */
const choice = fc.oneof(
  fc.constant(null),
  fc.record({ kind: fc.constant('sent' as const), entity: fc.constantFrom('c-1', 'c-2'), code: fc.constantFrom<ResultCode>(0, 5) }),
  fc.record({ kind: fc.constantFrom('unchanged' as const, 'updated' as const), entity: fc.constantFrom('c-1', 'c-2') }),
  fc.constant({ kind: 'removed' as const }),
  fc.constant({ kind: 'excluded' as const }),
  fc.record({ kind: fc.constant('both' as const), entity: fc.constantFrom('c-1', 'c-2') }),
);
/** Runs of two clients or of none recorded (a ledger slot without a runs row), under a consent or none, on either span layout. */
const runArbitrary = fc.record({
  client: fc.constantFrom('a', 'b', null),
  list: fc.constantFrom(...LISTS),
  consent: fc.nat(CONSENTS.length - 1),
  keptContinuesSent: fc.boolean(),
  who: fc.array(choice, { minLength: IDS.length, maxLength: IDS.length }),
});
type PlannedRun = typeof runArbitrary extends fc.Arbitrary<infer T> ? T : never;
const NOBODY: PlannedRun = { client: 'a', list: 'news', consent: 0, keptContinuesSent: true, who: IDS.map(() => null) };
const historyArbitrary = fc.record({
  // 'again' repeats the run before; 'keep' is a reconcile of it (whom it sent, kept unchanged as the
  // same entity): days that continue sent spans with kept parts, which the retention then cuts.
  runs: fc.array(fc.oneof(fc.constantFrom('again' as const, 'keep' as const), runArbitrary), { minLength: 1, maxLength: 10 }),
  pruneBefore: fc.nat(10),
  asked: fc.array(fc.nat(IDS.length), { maxLength: 12 }),
  client: fc.constantFrom('a', 'b', undefined),
  sizes: fc.record({ ids: fc.integer({ min: 1, max: 4 }), ranges: fc.integer({ min: 1, max: 3 }) }),
});

/** A reconcile of `run`: whom it sent or kept, kept unchanged as the same entity. */
function keptOf(run: PlannedRun): PlannedRun {
  const who = run.who.map((c) => (c !== null && 'entity' in c ? { kind: 'unchanged' as const, entity: c.entity } : null));
  return { ...run, keptContinuesSent: true, who };
}

function entriesOf(run: PlannedRun, runId: string, ids: readonly string[]): LedgerEntry[] {
  return run.who.flatMap((choice, i): LedgerEntry[] => {
    const base = { runId, listKey: run.list, recipientId: ids[i] as string, entityType: 'contact' };
    if (choice === null) return [];
    if (choice.kind === 'sent') return [{ ...base, entityId: choice.entity, outcome: 'sent', resultCode: choice.code }];
    if (choice.kind === 'unchanged' || choice.kind === 'updated')
      return [{ ...base, entityId: choice.entity, outcome: 'kept', reason: choice.kind }];
    if (choice.kind === 'removed') return [{ ...base, entityId: 'c-2', outcome: 'removed', reason: 'removed' }];
    if (choice.kind === 'excluded')
      return [{ ...base, entityId: 'c-1', outcome: 'excluded', rowNumber: i + 1, reason: 'duplicate', field: null }];
    return [
      { ...base, entityId: choice.entity, outcome: 'kept', reason: 'unchanged' },
      { ...base, entityId: choice.entity, outcome: 'sent', resultCode: 0 },
    ];
  });
}

/** The answer in its order (ids as asked, entities newest first), with absent and undefined consents told apart. */
const inOrder = (answer: Map<string, SentEntity[]>) => [...answer];

export function describeSentEntitiesContract(harness: StoreHarness): void {
  describe('LedgerStore.sentEntitiesOf: spans probed once, newest run per range of seqs', () => {
    let store: StateStore;
    let db: SqlDb;
    beforeAll(async () => {
      const config = await harness.freshConfig();
      store = await createStateStore(config);
      db = openSqlDb(config);
    });
    afterAll(async () => {
      await db?.close();
      await store?.close();
    });
    let history = 0;

    it('answers exactly as the former per-span look-up for drawn ledgers, before and after the retention, in chunks of any size', async () => {
      const previousLayout = () => createSqlLedgerStore(db, { keptContinuesSent: false });
      await fc.assert(
        fc.asyncProperty(historyArbitrary, async ({ runs, pruneBefore, asked, client, sizes }) => {
          history += 1;
          const ids = IDS.map((id) => `h${history}.${id}`);
          const clientKey = (name: string) => `sent-${history}-${name}`;
          // Far apart per history: each prune also takes the runs of the histories before.
          const day = (n: number) => new Date(Date.UTC(2027, 0, 1) + (history * 20 + n) * 86_400_000).toISOString();
          let previous: PlannedRun | undefined;
          for (const [n, planned] of runs.entries()) {
            const run = planned === 'again' ? (previous ?? NOBODY) : planned === 'keep' ? keptOf(previous ?? NOBODY) : planned;
            previous = run;
            const runId = `sent-${history}-run-${n}`;
            if (run.client !== null) {
              const consent = CONSENTS[run.consent];
              await store.runs.upsert(
                aRun({
                  runId,
                  client: clientKey(run.client),
                  listKey: run.list,
                  status: 'completed',
                  startedAt: day(n),
                  ...(consent ? { consent } : {}),
                }),
              );
            }
            await (run.keptContinuesSent ? store.ledger : previousLayout()).record(entriesOf(run, runId, ids));
          }
          const query = {
            recipientIds: [...asked.map((i) => ids[i] ?? `h${history}.never@x.test`), ...ids],
            ...(client === undefined ? {} : { client: clientKey(client) }),
          };
          const expectSame = async () => {
            const reference = inOrder(await formerSentEntitiesOf(db, query));
            expect(inOrder(await store.ledger.sentEntitiesOf(query))).toStrictEqual(reference);
            expect(inOrder(await sentEntitiesOf(db, query, sizes))).toStrictEqual(reference);
            for (const id of ids) {
              const one = { recipientId: id, ...(query.client === undefined ? {} : { client: query.client }) };
              expect(await store.ledger.sentEntities(one)).toStrictEqual(reference.find(([asked]) => asked === id)?.[1]);
            }
          };
          await expectSame();
          await store.runs.deleteStartedBefore(day(pruneBefore % (runs.length + 1)));
          await expectSame();
        }),
        { numRuns: 60 },
      );
    });

    it('answers every asked id, in the order asked, with the default sizes crossed (more ids and ranges than one statement takes)', async () => {
      const client = 'sent-wide';
      const many = SENT_LOOKUP_SIZES.ranges + 5;
      const ids = Array.from({ length: SENT_LOOKUP_SIZES.ids + 7 }, (_, i) => `wide${i}@x.test`);
      // One run per id of the first `many`: as many distinct ranges; the rest sent together by the last run.
      for (let n = 0; n < many; n += 1) {
        const runId = `sent-wide-${n}`;
        await store.runs.upsert(aRun({ runId, client, listKey: 'wide' }));
        const batch = n < many - 1 ? [ids[n] as string] : ids.slice(n);
        await store.ledger.record(
          batch.map((recipientId) => ({
            runId,
            listKey: 'wide',
            recipientId,
            entityType: 'contact',
            entityId: `c-${recipientId}`,
            outcome: 'sent',
            resultCode: 0,
          })),
        );
      }
      const query = { recipientIds: [...ids].reverse(), client };
      const answer = await store.ledger.sentEntitiesOf(query);
      expect(inOrder(answer)).toStrictEqual(inOrder(await formerSentEntitiesOf(db, query)));
      expect([...answer.keys()]).toEqual(query.recipientIds);
      expect([...answer.values()].every((entities) => entities.length === 1)).toBe(true);
    });
  });
}
