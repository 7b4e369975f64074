import { OptimizelyArgumentError } from '../../../src/errors/optimizely-argument-error';
import { createLiveIndex } from '../../../src/plan/live-index';
import { planFields } from '../../../src/plan/plan-fields';
import { readLiveList } from '../../../src/plan/read-live-list';
import { CREDENTIALS, type Harness, startHarness } from '../../helpers/simulator-harness';
import { LIST, SEED, batchOf } from './client-seed';

let harness: Harness;
beforeAll(async () => {
  harness = await startHarness({ seed: SEED });
});
afterAll(() => harness.close());

interface Recipients {
  recipients: { recipientId: string; attributes: Record<string, string | null> }[];
}
const listed = () => harness.adminJson<Recipients>('GET', `clients/${CREDENTIALS.mandatorId}/lists/${LIST}/recipients`);

describe('Optimizely client: Recipient', () => {
  it('answers addAll3 with a result code per recipient in input order', async () => {
    const client = harness.client();
    await client.recipient.clear({ listId: LIST });
    const ids = ['ada@example.com', 'not-an-address', 'gone@example.com', 'x@blocked.example', 'bouncy@example.com', 'ada@example.com'];
    expect(await client.recipient.addAll3(batchOf(ids))).toEqual([0, 1, 2, 3, 4, 5]);
    expect(await client.recipient.addAll3(batchOf(['ada@example.com']))).toEqual([5]);
  });

  it('keeps result-code order when the simulator shuffles multiRefs', async () => {
    await harness.adminJson('POST', 'settings', { shuffleMultiRefs: true });
    const client = harness.client();
    await client.recipient.clear({ listId: LIST });
    const ids = Array.from({ length: 60 }, (_, i) => (i % 3 === 0 ? `bad-${i}` : `r${i}@example.com`));
    const codes = await client.recipient.addAll3(batchOf(ids));
    expect(codes).toEqual(ids.map((id) => (id.startsWith('bad') ? 1 : 0)));
    await harness.adminJson('POST', 'settings', { shuffleMultiRefs: false });
  });

  it('clears a list, counts it and pages it with getAllAdvanced, nil cells as null', async () => {
    const client = harness.client();
    await client.recipient.clear({ listId: LIST });
    expect(await client.recipient.getCount({ listId: LIST })).toBe(0);
    await client.recipient.addAll3(batchOf(['a@example.com', 'b@example.com', 'c@example.com']));
    expect(await client.recipient.getCount({ listId: LIST })).toBe(3);
    const page = { listId: LIST, attributeNames: ['email', 'entity-id'], orderBy: 'email', ascending: true, pageSize: 2 };
    expect(await client.recipient.getAllAdvanced({ ...page, pageStart: 0 })).toEqual([
      ['a@example.com', 'E0'],
      ['b@example.com', null],
    ]);
    expect(await client.recipient.getAllAdvanced({ ...page, pageStart: 2 })).toEqual([['c@example.com', 'E2']]);
  });

  it('pages a list with getAllAdvancedFlat, split back into rows, and reads it in full for a plan', async () => {
    const client = harness.client();
    await client.recipient.clear({ listId: LIST });
    await client.recipient.addAll3(batchOf(['c@example.com', 'a@example.com', 'b@example.com']));
    const page = { listId: LIST, attributeNames: ['email', 'entity-id'], orderBy: 'email', ascending: true, pageSize: 2 };
    expect(await client.recipient.getAllAdvancedFlat({ ...page, pageStart: 0 })).toEqual([
      ['a@example.com', null],
      ['b@example.com', 'E2'],
    ]);
    expect(await client.recipient.getAllAdvancedFlat({ ...page, pageStart: 2 })).toEqual([['c@example.com', 'E0']]);
    const index = createLiveIndex();
    try {
      const fields = planFields({ idField: 'email', emailField: 'email' }, {});
      expect(await readLiveList({ optimizely: client, listId: LIST, fields, index, pageSize: 2 })).toEqual({
        count: 3,
        rowsRead: 3,
        // Pages of 2 overlap by a row: rows 0-1, 1-2, 2 (short, the end).
        pages: 3,
        rereads: 0,
      });
      expect([...index.unseen()]).toEqual(['a@example.com', 'b@example.com', 'c@example.com']);
    } finally {
      index.close();
    }
  });

  it('updates attributes with setAttributesInBatch', async () => {
    const client = harness.client();
    await client.recipient.clear({ listId: LIST });
    await client.recipient.addAll3(batchOf(['a@example.com', 'b@example.com']));
    const update = {
      listId: LIST,
      recipientIds: ['a@example.com', 'b@example.com'],
      attributeNames: ['firstname'],
      attributeValues: [['Ada & Co <x>'], ['Bob']],
    };
    await client.recipient.setAttributesInBatch(update);
    const names = (await listed()).recipients.map((r) => [r.recipientId, r.attributes.firstname]);
    expect(names).toEqual(
      expect.arrayContaining([
        ['a@example.com', 'Ada & Co <x>'],
        ['b@example.com', 'Bob'],
      ]),
    );
  });

  it('removes with removeAll, answering true for each id removed and false for one that was not on the list', async () => {
    const client = harness.client();
    await client.recipient.clear({ listId: LIST });
    await client.recipient.addAll3(batchOf(['a@example.com', 'b@example.com', 'c@example.com']));
    const ids = ['b@example.com', 'nobody@example.com', 'a@example.com'];
    expect(await client.recipient.removeAll({ listId: LIST, recipientIds: ids })).toEqual([true, false, true]);
    // Removing again is harmless: a resumed removal learns the ids are gone.
    expect(await client.recipient.removeAll({ listId: LIST, recipientIds: ids })).toEqual([false, false, false]);
    expect((await listed()).recipients.map((r) => r.recipientId)).toEqual(['c@example.com']);
  });

  it('maps missing recipients, unknown lists and unknown attributes to OptimizelyArgumentError', async () => {
    const client = harness.client();
    const update = { listId: LIST, recipientIds: ['nobody@example.com'], attributeNames: ['firstname'], attributeValues: [['X']] };
    await expect(client.recipient.setAttributesInBatch(update)).rejects.toBeInstanceOf(OptimizelyArgumentError);
    await expect(client.recipient.clear({ listId: 999 })).rejects.toBeInstanceOf(OptimizelyArgumentError);
    const unknownField = { ...batchOf(['z@example.com']), attributeNames: ['shoe-size', 'entity-id'] };
    const error = await client.recipient.addAll3(unknownField).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OptimizelyArgumentError);
    expect((error as Error).message).not.toContain('z@example.com');
  });
});
