import fc from 'fast-check';
import { openSqlDb } from '../../src/db/open-sql-db';
import { createStateStore, stateStoreMigrations, type StateStore } from '../../src/store';
import { ledgerValues, LEDGER_COLUMNS } from '../../src/store/sql/ledger-rows';
import type { LedgerEntry, ResultCode, SentEntity } from '../../src/store/types';
import { ReferenceLedger, sortedTexts } from './ledger-reference-model';
import { aRun, aSent, anExcluded, collect } from './store-builders';
import { useStore, type StoreHarness } from './store-harness';

const RECIPIENTS = ['r0@x.test', 'r1@x.test', 'r2@x.test', 'r3@x.test', 'r4@x.test', 'r5@x.test'];
const LISTS = ['news', 'offers'];

/** One day's ledger of both lists: each recipient sent (entity, code), rejected or absent; a few exclusions and sanitized values. */
const dayArbitrary = fc.record({
  recipients: fc.array(
    fc.oneof(
      fc.constant(null),
      fc.record({ kind: fc.constant('sent' as const), entity: fc.constantFrom('c-1', 'c-2'), code: fc.constantFrom<ResultCode>(0, 5) }),
      fc.constant({ kind: 'rejected' as const }),
      fc.record({ kind: fc.constantFrom('kept' as const, 'removed' as const), reason: fc.boolean() }),
    ),
    { minLength: RECIPIENTS.length, maxLength: RECIPIENTS.length },
  ),
  exclusions: fc.array(fc.option(fc.record({ reason: fc.constantFrom('duplicate', 'unsubscribed'), who: fc.nat(5) })), { maxLength: 3 }),
  sanitized: fc.array(fc.option(fc.constantFrom('first_name', 'city')), { maxLength: 2 }),
  list: fc.constantFrom(...LISTS),
});
type Day = typeof dayArbitrary extends fc.Arbitrary<infer T> ? T : never;

/** Sent and rejected entries of some recipients withdrawn from one run and list, or none. */
const withdrawalArbitrary = fc.option(
  fc.record({ run: fc.nat(), list: fc.constantFrom(...LISTS), who: fc.array(fc.nat(RECIPIENTS.length - 1), { maxLength: 4 }) }),
  { nil: undefined },
);

/** A day is often the previous day again: long spans; otherwise anything changes. */
const historyArbitrary = fc.array(fc.oneof(fc.constant('same' as const), dayArbitrary), { minLength: 1, maxLength: 6 });

function entriesOf(day: Day, runId: string): LedgerEntry[] {
  const base = { runId, listKey: day.list };
  const entries: LedgerEntry[] = [];
  day.exclusions.forEach((x, i) => {
    if (x) entries.push(anExcluded(i + 1, x.reason, { ...base, recipientId: RECIPIENTS[x.who] as string }));
  });
  day.sanitized.forEach((field, i) => {
    if (field)
      entries.push({
        ...base,
        outcome: 'sanitized',
        rowNumber: 10 + i,
        reason: 'value_too_long',
        field,
        recipientId: RECIPIENTS[i] as string,
        entityType: 'contact',
        entityId: 'c-1',
      });
  });
  day.recipients.forEach((r, i) => {
    const recipientId = RECIPIENTS[i] as string;
    if (r?.kind === 'sent') entries.push(aSent(recipientId, r.code, { ...base, entityId: r.entity }));
    if (r?.kind === 'kept')
      entries.push({
        ...base,
        recipientId,
        entityType: 'contact',
        entityId: 'c-1',
        outcome: 'kept',
        reason: r.reason ? 'updated' : 'unchanged',
      });
    if (r?.kind === 'removed')
      entries.push({
        ...base,
        recipientId,
        entityType: 'contact',
        entityId: 'c-2',
        outcome: 'removed',
        reason: r.reason ? 'not_on_list' : 'removed',
      });
    if (r?.kind === 'rejected')
      entries.push({ ...base, recipientId, entityType: 'contact', entityId: 'c-1', outcome: 'rejected', fault: 'refused' });
  });
  return entries;
}

const BIG_RECIPIENTS = 1_200;
const BIG_ID = (i: number) => `big-${String(i).padStart(4, '0')}@x.test`;

/**
 * A reconcile day per recipient: absent, kept unchanged or updated, removed, or sent (a joiner); a day
 * is often the previous one with a few recipients changed, so most `kept` spans are extended.
 */
const bigDayArbitrary = fc.record({
  base: fc.constantFrom('kept' as const, 'sent' as const, 'mixed' as const),
  changes: fc.array(fc.tuple(fc.nat(BIG_RECIPIENTS - 1), fc.constantFrom('absent', 'unchanged', 'updated', 'removed', 'sent', 'sent-5')), {
    maxLength: 40,
  }),
});
const bigHistoryArbitrary = fc.record({
  days: fc.array(bigDayArbitrary, { minLength: 1, maxLength: 3 }),
  order: fc.nat(),
  cuts: fc.array(fc.nat(), { maxLength: 4 }),
});
type BigDay = typeof bigDayArbitrary extends fc.Arbitrary<infer T> ? T : never;

function bigDayEntries(day: BigDay, runId: string): LedgerEntry[] {
  const what = Array.from({ length: BIG_RECIPIENTS }, (_, i) =>
    day.base === 'mixed' ? (['unchanged', 'sent', 'updated'][i % 3] as string) : day.base === 'kept' ? 'unchanged' : 'sent',
  );
  for (const [i, change] of day.changes) what[i] = change;
  const entries: LedgerEntry[] = [];
  what.forEach((kind, i) => {
    const base = { runId, listKey: 'news', recipientId: BIG_ID(i), entityType: 'contact', entityId: `c-${i}` };
    if (kind === 'unchanged' || kind === 'updated') entries.push({ ...base, outcome: 'kept', reason: kind });
    else if (kind === 'removed') entries.push({ ...base, outcome: 'removed', reason: 'removed' });
    else if (kind !== 'absent') entries.push({ ...base, outcome: 'sent', resultCode: kind === 'sent-5' ? 5 : 0 });
  });
  return entries;
}

/** A deterministic permutation (Fisher-Yates over a linear congruential sequence from `seed`). */
function shuffled<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  let state = (seed % 2_147_483_647) + 1;
  for (let i = out.length - 1; i > 0; i -= 1) {
    state = (state * 48_271) % 2_147_483_647;
    const j = state % (i + 1);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

export function describeLedgerSpanContract(harness: StoreHarness): void {
  describe('LedgerStore: spans over consecutive runs', () => {
    const subject = useStore(harness);
    const ledger = () => subject.store.ledger;
    let history = 0;

    it('answers count, stream, find and sentEntities of every run as one row per entry would', async () => {
      await fc.assert(
        fc.asyncProperty(
          historyArbitrary,
          fc.nat(),
          fc.boolean(),
          fc.nat(),
          withdrawalArbitrary,
          async (days, split, restart, cleared, withdrawal) => {
            const client = `prop-${(history += 1)}`;
            const reference = new ReferenceLedger();
            let previous: Day | undefined;
            for (const [n, planned] of days.entries()) {
              const day = planned === 'same' ? previous : planned;
              previous = day;
              const runId = `${client}-day-${n}`;
              await subject.store.runs.upsert(aRun({ runId, client, startedAt: new Date(Date.UTC(2026, 0, 1 + n)).toISOString() }));
              const entries = day ? entriesOf(day, runId) : [aSent('r0@x.test', 0, { runId, listKey: 'news' })];
              const at = entries.length === 0 ? 0 : split % entries.length;
              for (const batch of [entries.slice(0, at), entries.slice(at), entries.slice(0, at)]) {
                expect(await ledger().record(batch)).toBe(reference.record(batch));
              }
              if (restart && day) {
                expect(await ledger().clearExclusions(runId, day.list)).toBe(reference.clearExclusions(runId, day.list));
                const again = entries.filter((e) => e.outcome === 'excluded').slice(1);
                expect(await ledger().record(again)).toBe(reference.record(again));
              }
            }
            // Clearing a run in the middle of a span cuts the span around it (an export restarted late).
            const middle = reference.runs[cleared % reference.runs.length] as string;
            for (const listKey of LISTS)
              expect(await ledger().clearExclusions(middle, listKey)).toBe(reference.clearExclusions(middle, listKey));
            // A retried refill withdraws sent and rejected entries of a run, anywhere in its spans.
            if (withdrawal) {
              const runId = reference.runs[withdrawal.run % reference.runs.length] as string;
              const ids = withdrawal.who.map((i) => RECIPIENTS[i] as string);
              expect(await ledger().withdrawSent(runId, withdrawal.list, ids)).toBe(reference.withdrawSent(runId, withdrawal.list, ids));
              expect(await ledger().withdrawSent(runId, withdrawal.list, ids)).toBe(0);
            }
            await expectSameAnswers(subject.store, reference, client);
          },
        ),
        { numRuns: 25 },
      );
    });

    // More recipients than one look-up or update statement takes (500 keys), so the sorted, chunked and
    // single-transaction paths of a reconcile day's thousands of `kept` entries are crossed.
    it('answers for large reconcile days recorded in any order and chunking as one row per entry would', async () => {
      await fc.assert(
        fc.asyncProperty(bigHistoryArbitrary, async ({ days, order, cuts }) => {
          const client = `big-${(history += 1)}`;
          const reference = new ReferenceLedger();
          for (const [n, day] of days.entries()) {
            const runId = `${client}-day-${n}`;
            await subject.store.runs.upsert(aRun({ runId, client, startedAt: new Date(Date.UTC(2026, 0, 1 + n)).toISOString() }));
            const entries = shuffled(bigDayEntries(day, runId), order + n);
            // Arbitrary chunks, and the first chunk again (a retried write): nothing is counted twice.
            const bounds = [0, ...cuts.map((c) => c % (entries.length + 1)).sort((a, b) => a - b), entries.length];
            const chunks = bounds.slice(1).map((end, i) => entries.slice(bounds[i], end));
            for (const chunk of [...chunks, chunks[0] ?? []]) expect(await ledger().record(chunk)).toBe(reference.record(chunk));
          }
          for (const runId of reference.runs) {
            expect(await ledger().count(runId)).toEqual(reference.count(runId));
            expect(sortedTexts(await collect(ledger().stream(runId)))).toEqual(sortedTexts(reference.of(runId)));
          }
          for (const recipientId of [BIG_ID(0), BIG_ID(499), BIG_ID(500), BIG_ID(BIG_RECIPIENTS - 1)]) {
            const hits = await ledger().find({ recipientId, client, limit: 1000 });
            expect(hits.map((h) => h.runId)).toEqual(reference.find(recipientId).flatMap(([runId, texts]) => texts.map(() => runId)));
          }
        }),
        { numRuns: 4 },
      );
    });

    it('adds no ledger row for a day on which nothing changed, and one row per change on a churn day', async () => {
      const client = 'steady';
      const day = (n: number, changed: (i: number) => boolean) =>
        Array.from({ length: 200 }, (_, i) => aSent(`s${i}@x.test`, changed(i) ? 5 : 0, { runId: `steady-${n}`, listKey: 'steady' }));
      for (const n of [1, 2, 3]) await subject.store.runs.upsert(aRun({ runId: `steady-${n}`, client, listKey: 'steady' }));
      await ledger().record(day(1, () => false));
      const before = await spanRows(subject.config);
      expect(await ledger().record(day(2, () => false))).toBe(200);
      expect(await spanRows(subject.config)).toBe(before);
      expect(await ledger().record(day(3, (i) => i % 50 === 0))).toBe(200);
      expect((await spanRows(subject.config)) - before).toBe(4);
      expect(await ledger().count('steady-2')).toEqual({ sent: 200, excluded: 0, rejected: 0, byResultCode: { '0': 200 }, byReason: {} });
      expect(await ledger().count('steady-3')).toMatchObject({ sent: 200, byResultCode: { '0': 196, '5': 4 } });
    });
  });

  describe('LedgerStore: migration from one row per entry', () => {
    it('answers as before after converting the entries, and later days extend the converted spans', async () => {
      await fc.assert(
        fc.asyncProperty(historyArbitrary, async (days) => {
          const config = await harness.freshConfig();
          const reference = new ReferenceLedger();
          await writeLegacyLedger(config, days, reference);
          const store = await createStateStore(config);
          try {
            await expectSameAnswers(store, reference, 'legacy');
            const runId = 'legacy-after';
            await store.runs.upsert(aRun({ runId, client: 'legacy', startedAt: '2027-01-01T00:00:00.000Z' }));
            const last = reference.runs[reference.runs.length - 1] as string;
            const again = reference.of(last).map((e) => ({ ...e, runId }));
            const before = await spanRows(config);
            expect(await store.ledger.record(again)).toBe(reference.record(again));
            expect(await spanRows(config)).toBe(before);
            await expectSameAnswers(store, reference, 'legacy');
          } finally {
            await store.close();
          }
        }),
        { numRuns: 8 },
      );
    });
  });
}

/** The days as migrations 1-10 stored them: one ledger_entries row per entry, then the state store opens (migration 11). */
async function writeLegacyLedger(
  config: Parameters<typeof openSqlDb>[0],
  days: Array<Day | 'same'>,
  reference: ReferenceLedger,
): Promise<void> {
  const db = openSqlDb(config);
  try {
    await db.migrate(stateStoreMigrations(config.kind).filter((m) => m.version <= 10));
    let previous: Day | undefined;
    for (const [n, planned] of days.entries()) {
      const day = planned === 'same' ? previous : planned;
      previous = day;
      const runId = `legacy-day-${n}`;
      await db.run(
        `INSERT INTO runs (run_id, kind, client, list_key, status, started_at, counts) VALUES (?, 'list', 'legacy', 'news', 'completed', ?, '{}')`,
        [runId, new Date(Date.UTC(2026, 0, 1 + n)).toISOString()],
      );
      const entries = day ? entriesOf(day, runId) : [aSent('r0@x.test', 0, { runId, listKey: 'news' })];
      const kept = entries.filter((entry) => reference.record([entry]) === 1);
      await db.insertRows({ table: 'ledger_entries', columns: LEDGER_COLUMNS, rows: kept.map(ledgerValues) });
    }
  } finally {
    await db.close();
  }
}

/** Every reader of the ledger answers for every run what the reference (one row per entry) holds. */
async function expectSameAnswers(store: StateStore, reference: ReferenceLedger, client: string): Promise<void> {
  const ledger = () => store.ledger;
  for (const runId of reference.runs) {
    expect(await ledger().count(runId)).toEqual(reference.count(runId));
    for (const listKey of LISTS) expect(await ledger().count(runId, listKey)).toEqual(reference.count(runId, listKey));
    expect(sortedTexts(await collect(ledger().stream(runId, { pageSize: 2 })))).toEqual(sortedTexts(reference.of(runId)));
  }
  for (const recipientId of RECIPIENTS) {
    const hits = await ledger().find({ recipientId, client, limit: 1000 });
    const byRun = reference.runs
      .slice()
      .reverse()
      .map((runId): [string, string[]] => [
        runId,
        sortedTexts(hits.filter((h) => h.runId === runId).map(({ client: _c, runStartedAt: _s, ...entry }) => entry as LedgerEntry)),
      ])
      .filter(([, texts]) => texts.length > 0);
    expect(byRun).toEqual(reference.find(recipientId));
    expect(hits.map((h) => h.runId)).toEqual(byRun.flatMap(([runId, texts]) => texts.map(() => runId)));
    const entities = await ledger().sentEntities({ recipientId, client });
    expect(byListKey(entities)).toEqual(byListKey(reference.sentEntities(recipientId)));
  }
  // The batched look-up: the recipients straddle the 500 ids of one statement, among ids never sent.
  const filler = Array.from({ length: 497 }, (_, i) => `never-${i}@x.test`);
  const many = await ledger().sentEntitiesOf({ recipientIds: [...filler, ...RECIPIENTS, ...filler.slice(0, 3)], client });
  expect(many.size).toBe(filler.length + RECIPIENTS.length);
  for (const id of filler.slice(0, 5)) expect(many.get(id)).toEqual([]);
  for (const recipientId of RECIPIENTS) {
    expect(byListKey(many.get(recipientId) ?? [])).toEqual(byListKey(reference.sentEntities(recipientId)));
    expect(many.get(recipientId)).toEqual(await ledger().sentEntities({ recipientId, client }));
  }
}

function byListKey(entities: readonly SentEntity[]): SentEntity[] {
  return [...entities].sort((a, b) => a.listKey.localeCompare(b.listKey));
}

async function spanRows(config: Parameters<typeof openSqlDb>[0]): Promise<number> {
  const db = openSqlDb(config);
  try {
    const [row] = await db.all<{ n: number | string }>('SELECT COUNT(*) AS n FROM ledger_spans');
    return Number(row?.n);
  } finally {
    await db.close();
  }
}
