import { OptimizelyArgumentError } from '../../../src/errors/optimizely-argument-error';
import { checkListAtOptimizely } from '../../../src/sync/preflight/check-list-at-optimizely';
import { type Harness, startHarness } from '../../helpers/simulator-harness';
import { LIST, SEED } from './client-seed';

let harness: Harness;
beforeAll(async () => {
  harness = await startHarness({ seed: SEED });
});
afterAll(() => harness.close());

describe('Optimizely client: the pre-flight calls over SOAP', () => {
  it('reads the opt-in process ids of the client', async () => {
    expect(await harness.client().optinProcess.getIds()).toEqual([11]);
  });

  it('reports an unknown list as a permanent argument error', async () => {
    await expect(harness.client().recipientList.getAttributeNames({ listId: 999, locale: 'en' })).rejects.toThrow(OptimizelyArgumentError);
  });

  it('passes a list with the fields the refill sends and names the ones it lacks', async () => {
    const check = (attributeNames: string[], optinProcessId = 0, listId = LIST) =>
      checkListAtOptimizely({ optimizely: harness.client(), listKey: 'newsletter', listId, optinProcessId, attributeNames });
    await expect(check(['opt-in-id', 'firstname'], 11)).resolves.toMatchObject({ problems: [], fieldsPresent: 2, fieldsRequired: 2 });
    expect((await check(['opt-in-id', 'lastname', 'Firstname'])).problems).toEqual([
      'Optimizely list 100 lacks the fields "lastname", "Firstname"',
    ]);
    expect((await check(['firstname'], 12)).problems).toEqual([
      'Optimizely has no opt-in process 12 (setting optinProcessId of list newsletter)',
    ]);
    expect((await check(['firstname', 'Opt-in Date'])).problems).toEqual([
      '"Opt-in Date" of list 100 are Optimizely system fields, which a client cannot write: map to custom fields',
    ]);
    expect((await check(['firstname'], 0, 999)).problems).toEqual([
      'Optimizely has no recipient list 999 for mandator 1234 (setting listId of list newsletter)',
    ]);
  });
});

describe('the simulator behind the pre-flight verdicts', () => {
  it('faults an addAll3 that writes a system field the list lists among its names', async () => {
    const client = harness.client();
    expect(await client.recipientList.getAttributeNames({ listId: LIST, locale: 'en' })).toContain('Created');
    const batch = {
      listId: LIST,
      optinProcessId: 0,
      recipientIds: ['a@example.com'],
      addresses: ['a@example.com'],
      attributeNames: ['Created'],
      attributeValues: [['x']],
    };
    await expect(client.recipient.addAll3(batch)).rejects.toThrow(/Unknown attribute name/);
  });
});
