// getAllAdvanced(Flat) pages as docs/simulator.md documents (pageStart a row offset; sorted by the
// id field in the byte order of the UTF-8 ids, by another attribute comparing its strings with a
// stable sort over the unsorted order, unsorted in creation order then id), and keeps doing so
// after every kind of write between two pages: the simulator keeps each list's order between reads
// and must work it out again after any change.
import fc from 'fast-check';
import { CREDENTIALS, type Harness, startHarness } from '../../helpers/simulator-harness';
import { batchOf, LIST, SEED } from '../optimizely/client-seed';

let harness: Harness;
beforeAll(async () => {
  harness = await startHarness({ seed: SEED });
});
afterAll(() => harness.close());

interface Listed {
  recipients: { recipientId: string; attributes: Record<string, string | null> }[];
}

/** The list as the admin surface shows it: every row, in creation order then id (no paging). */
const listed = async () =>
  (await harness.adminJson<Listed>('GET', `clients/${CREDENTIALS.mandatorId}/lists/${LIST}/recipients`)).recipients;

const NAMES = ['email', 'firstname'];
type Order = 'email' | 'firstname' | null;

/** The documented order, worked out from the unpaged list. */
function expectedRows(rows: Listed['recipients'], orderBy: Order, ascending: boolean): (string | null)[][] {
  const table = rows.map((r) => [r.recipientId, r.attributes.firstname ?? null]);
  const sign = ascending ? 1 : -1;
  if (orderBy === 'email') table.sort((a, b) => sign * Buffer.compare(Buffer.from(a[0]!), Buffer.from(b[0]!)));
  if (orderBy === 'firstname') table.sort((a, b) => sign * ((a[1] ?? '') < (b[1] ?? '') ? -1 : (a[1] ?? '') > (b[1] ?? '') ? 1 : 0));
  return table;
}

const idArb = fc
  .tuple(fc.constantFrom('a', 'B', 'z', 'é', 'Ω', '\u{1F600}', '_', '0'), fc.string({ maxLength: 3 }))
  .map(([head, tail]) => `${head}${tail.replace(/[^A-Za-z0-9]/g, '')}@example.com`);

const step = fc.oneof(
  fc.record({
    kind: fc.constant('read' as const),
    orderBy: fc.constantFrom<Order>('email', 'firstname', null),
    ascending: fc.boolean(),
    start: fc.nat(12),
    size: fc.integer({ min: 0, max: 6 }),
  }),
  fc.record({ kind: fc.constant('add' as const), id: idArb }),
  fc.record({ kind: fc.constant('remove' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('rename' as const), at: fc.nat(), firstname: fc.constantFrom('Ann', 'bob', 'Zoe', '') }),
  fc.record({ kind: fc.constant('clear' as const) }),
);

describe('simulator paging', () => {
  it('every page is the documented slice of the list as it is at that call, whatever was written before it', async () => {
    const client = harness.client();
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(idArb, { maxLength: 12 }),
        fc.array(step, { minLength: 1, maxLength: 10 }),
        async (initial, steps) => {
          await client.recipient.clear({ listId: LIST });
          if (initial.length > 0) await client.recipient.addAll3(batchOf(initial));
          for (const s of steps) {
            const rows = await listed();
            if (s.kind === 'read') {
              const page = {
                listId: LIST,
                attributeNames: NAMES,
                orderBy: s.orderBy,
                ascending: s.ascending,
                pageStart: s.start,
                pageSize: s.size,
              };
              const expected = expectedRows(rows, s.orderBy, s.ascending).slice(s.start, s.start + s.size);
              expect(await client.recipient.getAllAdvanced(page)).toEqual(expected);
              expect(await client.recipient.getAllAdvancedFlat(page)).toEqual(expected);
            } else if (s.kind === 'add') await client.recipient.addAll3(batchOf([s.id]));
            else if (s.kind === 'clear') await client.recipient.clear({ listId: LIST });
            else if (rows.length > 0) {
              const id = rows[s.at % rows.length]!.recipientId;
              if (s.kind === 'remove') await client.recipient.removeAll({ listId: LIST, recipientIds: [id] });
              else
                await client.recipient.setAttributesInBatch({
                  listId: LIST,
                  recipientIds: [id],
                  attributeNames: ['firstname'],
                  attributeValues: [[s.firstname]],
                });
            }
          }
        },
      ),
      { numRuns: 40 },
    );
  });
});
