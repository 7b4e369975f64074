// A page of a list read in the id order comes from one range statement (runById) instead of one
// look-up per id of the cached order. Both must give the same rows: for any list (ids of any
// UTF-8 text, several lists and clients side by side), any page start and size, either direction.
import fc from 'fast-check';
import { openDatabase } from '../../../src/simulator/store/database';
import { createStore } from '../../../src/simulator/store/store';
import type { RecipientRow } from '../../../src/simulator/store/recipients';

const idArb = fc.oneof(
  fc.string({ minLength: 1, maxLength: 6 }),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 4 }),
  fc.constantFrom('a', 'A', 'a\u0000', 'é', 'e\u0301', '\u{1F600}', 'z', 'Z@x.test', ''),
);

const row = (recipientId: string, n: number): RecipientRow => ({
  recipientId,
  address: `${n}@x.test`,
  attrs: JSON.stringify({ city: String(n) }),
  optinState: 'active',
  optinProcessId: 0,
  created: n,
  modified: n,
});

describe('simulator page run by id', () => {
  it('equals the page taken from the id order one look-up at a time', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(idArb, { maxLength: 40 }),
        fc.uniqueArray(idArb, { maxLength: 10 }),
        fc.nat(45),
        fc.integer({ min: 1, max: 12 }),
        fc.boolean(),
        (ids, neighbours, start, size, ascending) => {
          const store = createStore(openDatabase(':memory:'));
          // The same ids in another list and another client must never leak into the page.
          ids.forEach((id, n) => store.recipients.insert(1, 7, row(id, n)));
          neighbours.forEach((id, n) => store.recipients.insert(1, 8, row(id, 100 + n)));
          neighbours.forEach((id, n) => store.recipients.insert(2, 7, row(id, 200 + n)));
          const order = store.recipients.idsById(1, 7, ascending);
          const former = order.slice(start, start + size).map((id) => store.recipients.get(1, 7, id)!);
          const first = order[start];
          const page = first === undefined ? [] : store.recipients.runById(1, 7, first, size, ascending);
          expect(page).toEqual(former);
          store.db.close();
        },
      ),
      { numRuns: 300 },
    );
  });
});
