import fc from 'fast-check';
import { openSqlDb } from '../../src/db/open-sql-db';
import type { SqlDb } from '../../src/db/sql-db';
import { createStateStore, type StateStore } from '../../src/store';
import { createSqlLedgerStore } from '../../src/store/sql/sql-ledger-store';
import type { LedgerStore } from '../../src/store/state-store';
import type { LedgerEntry, ResultCode, SentEntity } from '../../src/store/types';
import { ReferenceLedger, sortedTexts } from './ledger-reference-model';
import { aRun, collect } from './store-builders';
import type { StoreHarness } from './store-harness';

const RECIPIENTS = Array.from({ length: 8 }, (_, i) => `k${i}@x.test`);
const LISTS = ['news', 'offers'];

/** What one run does with one recipient: a refresh sends, excludes or rejects; a reconcile keeps, updates, removes or adds. */
const refreshChoice = fc.oneof(
  fc.constant(null),
  fc.record({ kind: fc.constant('sent' as const), entity: fc.constantFrom('c-1', 'c-2'), code: fc.constantFrom<ResultCode>(0, 5) }),
  fc.constant({ kind: 'excluded' as const }),
  fc.constant({ kind: 'rejected' as const }),
);
const reconcileChoice = fc.oneof(
  { arbitrary: fc.record({ kind: fc.constant('unchanged' as const), entity: fc.constantFrom('c-1', 'c-2') }), weight: 4 },
  { arbitrary: fc.constant(null), weight: 1 },
  { arbitrary: fc.constant({ kind: 'updated' as const, entity: 'c-1' }), weight: 1 },
  { arbitrary: fc.constant({ kind: 'removed' as const }), weight: 1 },
  {
    arbitrary: fc.record({ kind: fc.constant('sent' as const), entity: fc.constantFrom('c-1', 'c-2'), code: fc.constant<ResultCode>(0) }),
    weight: 1,
  },
  // Not what reconcile records, but the store takes it: kept and sent for one recipient in one run.
  { arbitrary: fc.record({ kind: fc.constant('both' as const), entity: fc.constantFrom('c-1', 'c-2') }), weight: 1 },
);
const runArbitrary = fc.oneof(
  fc.record({
    strategy: fc.constant('refresh' as const),
    list: fc.constantFrom(...LISTS),
    who: fc.array(refreshChoice, { minLength: 8, maxLength: 8 }),
  }),
  fc.record({
    strategy: fc.constant('reconcile' as const),
    list: fc.constantFrom(...LISTS),
    who: fc.array(reconcileChoice, { minLength: 8, maxLength: 8 }),
  }),
);
type PlannedRun = typeof runArbitrary extends fc.Arbitrary<infer T> ? T : never;
const historyArbitrary = fc.record({
  runs: fc.array(fc.oneof(fc.constant('again' as const), runArbitrary), { minLength: 1, maxLength: 7 }),
  order: fc.array(fc.nat(), { minLength: 7, maxLength: 7 }),
  switchAt: fc.nat(7),
  pruneBefore: fc.nat(7),
});

function entriesOf(run: PlannedRun, runId: string): LedgerEntry[] {
  const entries: LedgerEntry[] = [];
  run.who.forEach((choice, i) => {
    const base = { runId, listKey: run.list, recipientId: RECIPIENTS[i] as string, entityType: 'contact' };
    if (choice === null) return;
    if (choice.kind === 'sent') entries.push({ ...base, entityId: choice.entity, outcome: 'sent', resultCode: choice.code });
    if (choice.kind === 'excluded')
      entries.push({ ...base, entityId: 'c-1', outcome: 'excluded', rowNumber: i + 1, reason: 'duplicate', field: null });
    if (choice.kind === 'rejected') entries.push({ ...base, entityId: 'c-1', outcome: 'rejected', fault: 'refused' });
    if (choice.kind === 'unchanged' || choice.kind === 'updated')
      entries.push({ ...base, entityId: choice.entity, outcome: 'kept', reason: choice.kind });
    if (choice.kind === 'removed') entries.push({ ...base, entityId: 'c-2', outcome: 'removed', reason: 'removed' });
    if (choice.kind === 'both')
      entries.push(
        { ...base, entityId: choice.entity, outcome: 'kept', reason: 'unchanged' },
        { ...base, entityId: choice.entity, outcome: 'sent', resultCode: 0 },
      );
  });
  return entries;
}

/** Batches of a run as a crash-retried activity writes them: split at `cut`, the first part written again last. */
function batchesOf(entries: LedgerEntry[], cut: number): LedgerEntry[][] {
  const at = entries.length === 0 ? 0 : cut % (entries.length + 1);
  const reversed = cut % 2 === 1;
  const ordered = reversed ? [...entries].reverse() : entries;
  return [ordered.slice(0, at), ordered.slice(at), ordered.slice(0, at)];
}

/** One database written by one path: the previous layout, the new one, or the previous until `switchAt` runs and the new after. */
interface Variant {
  name: 'previous' | 'continued' | 'switched';
  store: StateStore;
  db: SqlDb;
  previous: LedgerStore;
  ledgerFor(runIndex: number, switchAt: number): LedgerStore;
}

async function openVariant(harness: StoreHarness, name: Variant['name']): Promise<Variant> {
  const config = await harness.freshConfig();
  const store = await createStateStore(config);
  const db = openSqlDb(config);
  const previous = createSqlLedgerStore(db, { keptContinuesSent: false });
  const ledgerFor = (runIndex: number, switchAt: number) =>
    name === 'previous' || (name === 'switched' && runIndex < switchAt) ? previous : store.ledger;
  return { name, store, db, previous, ledgerFor };
}

/** What `why` (find), `report` (count) and `report --csv` (stream) read, and the sent entities feedback and responses map by. */
async function answersOf(ledger: LedgerStore, runIds: readonly string[], client: string): Promise<unknown> {
  const perRun = [];
  for (const runId of runIds) {
    const perList = [];
    for (const listKey of LISTS) perList.push(await ledger.count(runId, listKey));
    perRun.push({
      runId,
      count: await ledger.count(runId),
      perList,
      csv: sortedTexts(await collect(ledger.stream(runId, { pageSize: 3 }))),
    });
  }
  const perRecipient = [];
  for (const recipientId of RECIPIENTS) {
    const hits = await ledger.find({ recipientId, client, limit: 1000 });
    // Within one run `why` lists a recipient's entries in no particular order (span order): grouped by run, sorted.
    const why: Array<[string, string[]]> = [];
    for (const hit of hits) {
      const { client: _c, runStartedAt, ...entry } = hit;
      const last = why[why.length - 1];
      const text = sortedTexts([entry as LedgerEntry])[0] as string;
      if (last && last[0] === `${hit.runId} ${runStartedAt}`) last[1].push(text);
      else why.push([`${hit.runId} ${runStartedAt}`, [text]]);
    }
    for (const group of why) group[1].sort();
    perRecipient.push({ recipientId, why, sent: byListKey(await ledger.sentEntities({ recipientId, client })) });
  }
  const many = await ledger.sentEntitiesOf({ recipientIds: RECIPIENTS, client });
  return { perRun, perRecipient, many: RECIPIENTS.map((id) => byListKey(many.get(id) ?? [])) };
}

function byListKey(entities: readonly SentEntity[]): SentEntity[] {
  return [...entities].sort((a, b) => a.listKey.localeCompare(b.listKey));
}

async function spanRows(db: SqlDb, client: string): Promise<number> {
  const [row] = await db.all<{ n: number | string }>(
    'SELECT COUNT(*) AS n FROM ledger_spans s JOIN store_lists l ON l.id = s.list_id WHERE l.client = ?',
    [client],
  );
  return Number(row?.n);
}

export function describeKeptSpanContract(harness: StoreHarness): void {
  describe('LedgerStore: kept entries continuing sent spans (migration 13)', () => {
    const variants: Variant[] = [];
    beforeAll(async () => {
      for (const name of ['previous', 'continued', 'switched'] as const) variants.push(await openVariant(harness, name));
    });
    afterAll(async () => {
      for (const variant of variants) {
        await variant.db.close();
        await variant.store.close();
      }
    });
    let history = 0;

    it('answers why, report and report --csv, and keeps through retention, exactly as the previous layout', async () => {
      await fc.assert(
        fc.asyncProperty(historyArbitrary, async ({ runs, order, switchAt, pruneBefore }) => {
          history += 1;
          const client = `kept-${history}`;
          const day = (n: number) => new Date(Date.UTC(2026, 0, 1) + (history * 20 + n) * 86_400_000).toISOString();
          const reference = new ReferenceLedger();
          const runIds: string[] = [];
          let previous: PlannedRun | undefined;
          for (const [n, planned] of runs.entries()) {
            const run = planned === 'again' ? (previous ?? { strategy: 'refresh', list: 'news', who: [] }) : planned;
            previous = run;
            const runId = `${client}-run-${n}`;
            runIds.push(runId);
            const batches = batchesOf(entriesOf(run, runId), order[n] ?? 0);
            const expected = batches.map((batch) => reference.record(batch));
            for (const variant of variants) {
              await variant.store.runs.upsert(aRun({ runId, client, listKey: run.list, status: 'completed', startedAt: day(n) }));
              const ledger = variant.ledgerFor(n, switchAt);
              const recorded = [];
              for (const batch of batches) recorded.push(await ledger.record(batch));
              expect(recorded).toEqual(expected);
            }
          }
          const referenceAnswers = await Promise.all(variants.map((v) => answersOf(v.store.ledger, runIds, client)));
          for (const runId of runIds)
            expect(sortedTexts(await collect(variants[1]!.store.ledger.stream(runId)))).toEqual(sortedTexts(reference.of(runId)));
          expect(referenceAnswers[1]).toEqual(referenceAnswers[0]);
          expect(referenceAnswers[2]).toEqual(referenceAnswers[0]);
          // The new layout never needs more span rows than the previous one.
          expect(await spanRows(variants[1]!.db, client)).toBeLessThanOrEqual(await spanRows(variants[0]!.db, client));

          // Retention: runs before the cut go (with earlier histories'), the same entries are left.
          const cutoff = day(pruneBefore % (runs.length + 1));
          const pruned = [];
          for (const variant of variants) pruned.push(await variant.store.runs.deleteStartedBefore(cutoff));
          expect(pruned[1]).toEqual(pruned[0]);
          expect(pruned[2]).toEqual(pruned[0]);
          const after = await Promise.all(variants.map((v) => answersOf(v.store.ledger, runIds, client)));
          expect(after[1]).toEqual(after[0]);
          expect(after[2]).toEqual(after[0]);
          // Either writer goes on from what the other left: another reconcile day on every variant.
          const next = `${client}-run-next`;
          const lastList = previous?.list ?? 'news';
          const keptAll: LedgerEntry[] = RECIPIENTS.map((recipientId) => ({
            runId: next,
            listKey: lastList,
            recipientId,
            entityType: 'contact',
            entityId: 'c-1',
            outcome: 'kept',
            reason: 'unchanged',
          }));
          for (const variant of variants) {
            await variant.store.runs.upsert(
              aRun({ runId: next, client, listKey: lastList, status: 'completed', startedAt: day(runs.length) }),
            );
            expect(await variant.ledgerFor(runs.length, 0).record(keptAll)).toBe(RECIPIENTS.length);
          }
          const last = await Promise.all(variants.map((v) => answersOf(v.store.ledger, [...runIds, next], client)));
          expect(last[1]).toEqual(last[0]);
          expect(last[2]).toEqual(last[0]);
        }),
        { numRuns: 30 },
      );
    });

    // Two attempts of one run on one span: the other attempt extends the sent span between this
    // attempt's look-up and its update, so the planned continuation finds nothing to update.
    it.each([
      ['kept continuation', 'sent extension'],
      ['sent extension', 'kept continuation'],
    ])('records a %s that lost its span to a concurrent %s as a span of its own', async (mine) => {
      const variant = variants[1]!;
      const client = `race-${mine.split(' ')[0]}`;
      const entry = (runId: string, outcome: 'sent' | 'kept'): LedgerEntry => {
        const base = { runId, listKey: 'race', recipientId: RECIPIENTS[0]!, entityType: 'contact', entityId: 'c-1' };
        return outcome === 'sent' ? { ...base, outcome, resultCode: 0 } : { ...base, outcome, reason: 'unchanged' };
      };
      const [first, second] = [`${client}-1`, `${client}-2`];
      for (const runId of [first, second]) await variant.store.runs.upsert(aRun({ runId, client, listKey: 'race' }));
      await variant.store.ledger.record([entry(first, 'sent')]);
      // The second run's slot registered first, so the next `atomic` is the attempt's span updates.
      await variant.store.ledger.record([{ ...entry(second, 'sent'), recipientId: RECIPIENTS[1]! }]);
      const [own, other] = mine === 'kept continuation' ? (['kept', 'sent'] as const) : (['sent', 'kept'] as const);
      let interleaved = false;
      const racing: SqlDb = Object.create(variant.db) as SqlDb;
      racing.atomic = async (statements) => {
        if (!interleaved) {
          interleaved = true;
          expect(await variant.store.ledger.record([entry(second, other)])).toBe(1);
        }
        return variant.db.atomic(statements);
      };
      expect(await createSqlLedgerStore(racing, { keptContinuesSent: true }).record([entry(second, own)])).toBe(1);
      expect(interleaved).toBe(true);
      expect(await variant.store.ledger.count(second)).toMatchObject({ sent: 2, kept: { unchanged: 1 } });
      expect(await variant.store.ledger.count(first)).toMatchObject({ sent: 1 });
      expect((await variant.store.ledger.count(first)).kept).toBeUndefined();
    });

    it('records the day after a fill without a new span row for an unchanged recipient, and answers kept unchanged for it', async () => {
      const continued = variants[1]!;
      const client = 'kept-fill';
      const list = 'fill';
      const sent = (runId: string) =>
        RECIPIENTS.map((id) => ({
          runId,
          listKey: list,
          recipientId: id,
          entityType: 'contact',
          entityId: 'c-1',
          outcome: 'sent' as const,
          resultCode: 0 as const,
        }));
      const kept = (runId: string): LedgerEntry[] =>
        RECIPIENTS.map((id) => ({
          runId,
          listKey: list,
          recipientId: id,
          entityType: 'contact',
          entityId: 'c-1',
          outcome: 'kept',
          reason: 'unchanged',
        }));
      for (const runId of ['fill-1', 'fill-2', 'fill-3']) await continued.store.runs.upsert(aRun({ runId, client, listKey: list }));
      await continued.store.ledger.record(sent('fill-1'));
      const before = await spanRows(continued.db, client);
      expect(await continued.store.ledger.record(kept('fill-2'))).toBe(RECIPIENTS.length);
      expect(await continued.store.ledger.record(kept('fill-2'))).toBe(0);
      expect(await continued.store.ledger.record(kept('fill-3'))).toBe(RECIPIENTS.length);
      expect(await spanRows(continued.db, client)).toBe(before);
      expect(await continued.store.ledger.count('fill-2')).toEqual({
        sent: 0,
        excluded: 0,
        rejected: 0,
        byResultCode: {},
        byReason: {},
        kept: { unchanged: RECIPIENTS.length },
      });
      expect((await continued.store.ledger.count('fill-1')).sent).toBe(RECIPIENTS.length);
      const [why] = await continued.store.ledger.find({ recipientId: RECIPIENTS[0]!, client });
      expect(why).toMatchObject({ runId: 'fill-3', outcome: 'kept', reason: 'unchanged' });
      expect(await continued.store.ledger.sentEntities({ recipientId: RECIPIENTS[0]!, client })).toEqual([
        { runId: 'fill-1', listKey: list, entityType: 'contact', entityId: 'c-1', resultCode: 0 },
      ]);
    });

    // A reconcile keeps a recipient unchanged for longer than the retention: the run that sent them
    // is pruned, and an opt-out must still map to the entity they are on the list as (feedback import
    // and response ingestion read sentEntitiesOf), on either layout.
    it('answers the entity of a recipient kept for longer than the retention, after the run that sent them is pruned', async () => {
      let long = 0;
      await fc.assert(
        fc.asyncProperty(
          fc.record({
            keptRuns: fc.integer({ min: 1, max: 6 }),
            cutAfter: fc.nat(7),
            entity: fc.constantFrom('c-1', 'c-2'),
            code: fc.constantFrom<ResultCode>(0, 5),
            updatedAt: fc.option(fc.nat(6), { nil: undefined }),
          }),
          async ({ keptRuns, cutAfter, entity, code, updatedAt }) => {
            long += 1;
            const client = `kept-long-${long}`;
            const list = 'long';
            const [kept, gone] = [RECIPIENTS[0]!, RECIPIENTS[1]!];
            // Far after every other test's runs: each prune here also takes those.
            const day = (n: number) => new Date(Date.UTC(2030, 0, 1) + (long * 20 + n) * 86_400_000).toISOString();
            const runIds = Array.from({ length: keptRuns + 1 }, (_, n) => `${client}-run-${n}`);
            const entries = (n: number): LedgerEntry[] => {
              const base = { runId: runIds[n]!, listKey: list, entityType: 'contact', entityId: entity };
              if (n === 0) return [kept, gone].map((recipientId) => ({ ...base, recipientId, outcome: 'sent', resultCode: code }));
              const reason = n === updatedAt ? 'updated' : 'unchanged';
              return [{ ...base, recipientId: kept, outcome: 'kept', reason }];
            };
            const cut = 1 + (cutAfter % (keptRuns + 1));
            for (const variant of [variants[0]!, variants[1]!]) {
              for (const [n, runId] of runIds.entries()) {
                await variant.store.runs.upsert(aRun({ runId, client, listKey: list, status: 'completed', startedAt: day(n) }));
                await variant.store.ledger.record(entries(n));
              }
              const sentBefore = { runId: runIds[0], listKey: list, entityType: 'contact', entityId: entity, resultCode: code };
              expect(await variant.store.ledger.sentEntities({ recipientId: kept, client })).toEqual([sentBefore]);

              await variant.store.runs.deleteStartedBefore(day(cut));
              const keptAs = { runId: runIds[keptRuns], listKey: list, entityType: 'contact', entityId: entity, resultCode: null };
              const expected = cut <= keptRuns ? [keptAs] : [];
              const many = await variant.store.ledger.sentEntitiesOf({ recipientIds: [kept, gone], client });
              expect(many.get(kept)).toEqual(expected);
              expect(await variant.store.ledger.sentEntities({ recipientId: kept, client })).toEqual(expected);
              expect(await variant.store.ledger.sentEntities({ recipientId: kept, client, listKey: 'other' })).toEqual([]);
              // Sent once and never kept: nothing on the list as anything once its run is pruned.
              expect(many.get(gone)).toEqual([]);
            }
          },
        ),
        { numRuns: 20 },
      );
    });
  });
}
