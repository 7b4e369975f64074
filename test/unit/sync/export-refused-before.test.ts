import fc from 'fast-check';
import type { CrmRow } from '../../../src/crm/crm-port';
import { createStateStore, type SnapshotRow, type StateStore } from '../../../src/store';
import { exportToSnapshot } from '../../../src/sync/export-to-snapshot';
import { excludedShare } from '../../../src/sync/guard';
import { attributeNamesFor, refusedValuesOf } from '../../../src/sync/recipient-batch';
import { listRulesSchema } from '../../../src/validation/list-rules';
import { inMemoryCrm, row } from '../crm/in-memory-crm';

// A recipient Optimizely refused in an earlier refill is left out of today's export while the values
// that travel are the same (`rejected_before`, counted in the guard's share), and sent again once
// they changed. What "changed" means is decided by the generator here, not by the hash: a change of
// spelling that the export normalises away (letter case or blanks around the address) is no change.

const MAPPING = { first_name: 'firstname' };
const ATTRIBUTES = attributeNamesFor(MAPPING);
const rules = listRulesSchema.parse({ listKey: 'newsletter', optInId: 11, attributes: MAPPING });
const address = (i: number) => `r${i}@example.com`;
const crmRow = (i: number, firstName: string, spelling = address(i)): CrmRow =>
  row({ recipient_id: spelling, email: spelling, entity_id: `C${i}`, first_name: firstName });

type Day2 = 'same' | 'respelled' | 'changed';
const scenario = fc.integer({ min: 1, max: 25 }).chain((n) =>
  fc.record({
    n: fc.constant(n),
    refused: fc.uniqueArray(fc.integer({ min: 0, max: n - 1 }), { maxLength: n }),
    day2: fc.array(fc.constantFrom<Day2>('same', 'respelled', 'changed'), { minLength: n, maxLength: n }),
    encoderFault: fc.boolean(),
  }),
);

describe('exportToSnapshot with recipients refused before', () => {
  let store: StateStore;
  let client = 0;
  beforeAll(async () => {
    store = await createStateStore({ kind: 'sqlite', file: ':memory:' });
  });
  afterAll(async () => store.close());

  const exportDay = async (clientKey: string, runId: string, rows: CrmRow[]) => {
    const summary = await exportToSnapshot({
      client: clientKey,
      runId,
      store,
      crm: inMemoryCrm({ newsletter: rows }),
      rules,
      list: { listId: 7, allowResubscribe: false },
    });
    const snapshot = await store.snapshots.readBatch(summary.snapshotRef, 0, 1000);
    const excluded = new Map<number, { reason: string; field: string | null }>();
    for await (const e of store.ledger.stream(runId)) if (e.outcome === 'excluded') excluded.set(e.rowNumber, e);
    return { summary, snapshot, excluded };
  };

  it('excludes exactly the refused recipients whose travelling values are unchanged, and counts them in the guard share', async () => {
    await fc.assert(
      fc.asyncProperty(scenario, async ({ n, refused, day2, encoderFault }) => {
        const clientKey = `c${++client}`;
        const day1 = await exportDay(
          clientKey,
          `${clientKey}-1`,
          Array.from({ length: n }, (_, i) => crmRow(i, `F${i}`)),
        );
        const position = new Map(day1.snapshot.map((r, p) => [String(r.recipientId), p]));
        const fault = encoderFault
          ? 'Recipient.addAll3: cannot encode request: attributeValues[0][5] contains a character XML 1.0 cannot carry'
          : 'Recipient.addAll3: fault soapenv:Server.userException: Recipient data rejected (details withheld)';
        const refusedRows = refused.map((i) => ({ index: position.get(address(i)) as number, fault }));
        await store.refusals.remember(
          refusedValuesOf(day1.snapshot as SnapshotRow[], refusedRows, {
            client: clientKey,
            listKey: 'newsletter',
            runId: `${clientKey}-1`,
            attributeNames: ATTRIBUTES,
            refusedAt: '2026-03-01T06:00:00.000Z',
          }),
        );

        const today = day2.map((how, i) =>
          how === 'changed'
            ? crmRow(i, `F${i}-fixed`)
            : how === 'respelled'
              ? crmRow(i, `F${i}`, ` ${address(i).toUpperCase()} `)
              : crmRow(i, `F${i}`),
        );
        const { summary, snapshot, excluded } = await exportDay(clientKey, `${clientKey}-2`, today);

        const left = new Set(refused.filter((i) => day2[i] !== 'changed'));
        for (let i = 0; i < n; i += 1) {
          const entry = excluded.get(i + 1);
          if (left.has(i))
            expect(entry).toEqual(
              expect.objectContaining({ reason: 'rejected_before', field: encoderFault ? 'firstname' : 'recipient_id' }),
            );
          else expect(entry).toBeUndefined();
        }
        expect(snapshot.map((r) => r.recipientId).sort()).toEqual(
          Array.from({ length: n }, (_, i) => i)
            .filter((i) => !left.has(i))
            .map(address)
            .sort(),
        );
        expect(summary.counts.excluded.rejected_before).toBe(left.size);
        expect(excludedShare(summary.counts)).toBeCloseTo((left.size / n) * 100, 6);
        const remembered = (await store.refusals.forList(clientKey, 'newsletter')).map((r) => r.recipientKey).sort();
        expect(remembered).toEqual([...left].map(address).sort());
      }),
      { numRuns: 60 },
    );
  });
});
