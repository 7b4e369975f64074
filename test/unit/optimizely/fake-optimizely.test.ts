import { OptimizelyArgumentError } from '../../../src/errors/optimizely-argument-error';
import { createFakeOptimizely } from '../../helpers/fake-optimizely';

const batch = (recipientIds: string[], addresses = recipientIds) => ({
  listId: 100,
  optinProcessId: 0,
  recipientIds,
  addresses,
  attributeNames: ['firstname'],
  attributeValues: recipientIds.map((id) => [id.toUpperCase()]),
});

describe('createFakeOptimizely', () => {
  it('answers addAll3 with result codes in input order and stores the added recipients', async () => {
    const fake = createFakeOptimizely();
    fake.addList({ id: 100, name: 'Newsletter', fields: ['email', 'firstname'] });
    fake.unsubscribed.add('gone@x.de');
    fake.blocklist.push('*@blocked.de');
    const codes = await fake.recipient.addAll3(batch(['a@x.de', 'bad', 'gone@x.de', 'b@blocked.de', 'a@x.de']));
    expect(codes).toEqual([0, 1, 2, 3, 5]);
    expect(await fake.recipient.getCount({ listId: 100 })).toBe(1);
    expect(await fake.recipient.getAllAdvanced({ listId: 100, attributeNames: ['firstname'], pageStart: 0, pageSize: 10 })).toEqual([
      ['A@X.DE'],
    ]);
  });

  it('faults on an unknown list and on injected failures, and logs calls', async () => {
    const fake = createFakeOptimizely();
    await expect(fake.recipient.clear({ listId: 7 })).rejects.toBeInstanceOf(OptimizelyArgumentError);
    fake.addList({ id: 7, name: 'x', fields: [] });
    fake.failNext('Recipient.clear', new Error('boom'));
    await expect(fake.recipient.clear({ listId: 7 })).rejects.toThrow('boom');
    await expect(fake.recipient.clear({ listId: 7 })).resolves.toBeUndefined();
    expect(fake.calls).toEqual(['Recipient.clear', 'Recipient.clear', 'Recipient.clear']);
  });

  it('pages ClosedLoop rows the test put in', async () => {
    const fake = createFakeOptimizely();
    fake.closedLoopRows.getOpens.push(['a', '1', 't', '100'], ['b', '1', 't', '100']);
    expect(await fake.closedLoop.getOpens({ since: 0, until: fake.now, startRow: 1, numberOfRows: 5 })).toEqual([['b', '1', 't', '100']]);
  });
});
