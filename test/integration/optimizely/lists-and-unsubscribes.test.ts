import { type Harness, startHarness } from '../../helpers/simulator-harness';
import { LIST, SEED } from './client-seed';

let harness: Harness;
beforeAll(async () => {
  harness = await startHarness({ seed: SEED });
});
afterAll(() => harness.close());

describe('Optimizely client: RecipientList', () => {
  it('reads list ids, names, the number of lists and attribute names', async () => {
    const client = harness.client();
    expect((await client.recipientList.getAllIds()).sort()).toEqual([LIST, 101]);
    expect(await client.recipientList.getName({ listId: LIST })).toBe('Newsletter');
    expect(await client.recipientList.getCount({ includeTestLists: true })).toBe(2);
    const names = await client.recipientList.getAttributeNames({ listId: LIST, locale: 'en' });
    expect(names.slice(0, 3)).toEqual(['email', 'opt-in-id', 'description']);
  });
});

describe('Optimizely client: Unsubscribe', () => {
  it('checks one and many recipients against the client-wide unsubscribe list', async () => {
    const client = harness.client();
    expect(await client.unsubscribe.contains({ recipientId: 'gone@example.com' })).toBe(true);
    expect(await client.unsubscribe.containsAll({ recipientIds: ['gone@example.com', 'here@example.com'] })).toEqual([true, false]);
  });

  it('adds an unsubscribe that later addAll3 calls answer with code 2', async () => {
    const client = harness.client();
    await client.unsubscribe.add({ recipientId: 'leaving@example.com' });
    expect(await client.unsubscribe.contains({ recipientId: 'leaving@example.com' })).toBe(true);
    const batch = {
      listId: LIST,
      optinProcessId: 0,
      recipientIds: ['leaving@example.com'],
      addresses: ['leaving@example.com'],
      attributeNames: [],
      attributeValues: [[]],
    };
    expect(await client.recipient.addAll3(batch)).toEqual([2]);
  });
});
