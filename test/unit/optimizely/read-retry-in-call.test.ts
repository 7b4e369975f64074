import fc from 'fast-check';
import { OptimizelyTransientError } from '../../../src/errors/optimizely-transient-error';
import { API_SURFACE, isIdempotentRead } from '../../../src/optimizely/api/surface';
import { createOptimizelyClient } from '../../../src/optimizely/client/create-optimizely-client';
import { fault, ok, stubTransport } from './stub-transport';

// One activity may make dozens of reads (the unsubscribe check asks Unsubscribe.containsAll per 1,000
// recipients before the clear). One passing fault in any of them used to fail the whole activity, so at
// a 10% fault rate a 20-read activity rarely got through its retries. A read is now asked again within
// the call; a write never is (its retry is the activity's, from a checkpoint), so nothing is applied
// twice by the client.

const options = { baseUrl: 'http://optimizely.test', mandatorId: 1234, username: 'api-user', password: 'secret' };
const busy = () => ({ status: 503, body: 'busy' });
// Every get/contains/is operation of the API table, each checked to change nothing at Optimizely or in the simulator.
const KNOWN_READS = [
  ...[
    'getVersion',
    'getAttributes',
    'contains',
    'containsValid',
    'getAll',
    'getAllFlat',
    'getAllAdvanced',
    'getAllAdvancedFlat',
    'getCount',
  ],
  ...['containsAll', 'isBlacklisted', 'getAllEntries', 'getIds', 'getName', 'getType', 'getDescription', 'getAllIds', 'getAttributeNames'],
  ...['isTestRecipientList', 'getCurrentTime', 'getMailings', 'getRecipients', 'getOpens', 'getClicks', 'getResponses', 'getUnsubscribes'],
  ...['getMailingUnsubscribes', 'getOutBounces', 'getBounceCounter', 'getBounceCounterThreshold', 'isBounceCounterThresholdExeeded'],
  ...['getLocale', 'getMediaType'],
];

describe('Optimizely client: reads asked again within the call', () => {
  it('names only get…, contains… and is… operations as reads', () => {
    for (const read of ['getCount', 'containsAll', 'isBlacklisted', 'getAllAdvancedFlat']) expect(isIdempotentRead(read)).toBe(true);
    for (const write of ['addAll3', 'clear', 'removeAll', 'setAttributesInBatch', 'login', 'getaway'.replace('get', 'set')])
      expect(isIdempotentRead(write)).toBe(false);
    expect(isIdempotentRead('getter')).toBe(false);
  });

  it('names every get…, contains… and is… operation of the API table a read (the bare `contains` too), and nothing else', () => {
    const operations = API_SURFACE.flatMap((service) => service.operations.map((op) => `${service.service}.${op.name}`));
    const reads = operations.filter((name) => isIdempotentRead(name.split('.')[1]!));
    expect(reads).toEqual(operations.filter((name) => /^\w+\.(get|contains|is)([A-Z]|$)/.test(name)));
    for (const read of ['Unsubscribe.contains', 'Recipient.contains', 'Blacklist.contains', 'Unsubscribe.containsAll'])
      expect(reads).toContain(read);
    // Pinned: every read the table holds today. A new get/contains/is operation must be checked to be
    // a pure read at Optimizely (and in the simulator) before it is added here.
    expect(new Set(reads.map((name) => name.split('.')[1]))).toEqual(new Set(KNOWN_READS));
  });

  it('asks the bare Unsubscribe.contains again on a passing fault', async () => {
    const { transport, calls } = stubTransport({ login: [ok('login-response.xml')], contains: [busy(), ok('contains-response.xml')] });
    const client = createOptimizelyClient(options, { transport, readRetryDelayMs: 1 });
    await expect(client.unsubscribe.contains({ recipientId: 'r1' })).resolves.toBe(true);
    expect(calls.filter((op) => op === 'contains')).toHaveLength(2);
  });

  it('a read gets through up to two passing faults and gives up on the third; a write is sent once whatever the fault', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.constantFrom('503', 'fault'), { maxLength: 5 }), fc.boolean(), async (failures, endsWell) => {
        const replies = failures.map((kind) => (kind === '503' ? busy() : fault('fault-simulated-internal.xml')));
        const tail = endsWell ? [ok('getcount-response.xml')] : [busy(), busy(), busy()];
        const { transport, calls } = stubTransport({
          login: [ok('login-response.xml')],
          getCount: [...replies, ...tail],
          clear: [...replies, ...tail],
        });
        const client = createOptimizelyClient(options, { transport, readRetryDelayMs: 1 });
        const read = await client.recipient.getCount({ listId: 100 }).then(
          (count) => ({ count }),
          (error: unknown) => ({ error }),
        );
        const tries = calls.filter((op) => op === 'getCount').length;
        expect(tries).toBe(endsWell ? Math.min(failures.length + 1, 3) : 3);
        if (failures.length <= 2 && endsWell) expect(read).toEqual({ count: 42 });
        else expect((read as { error: unknown }).error).toBeInstanceOf(Error);
        if (failures.length === 0) return;
        await expect(client.recipient.clear({ listId: 100 })).rejects.toBeInstanceOf(Error);
        expect(calls.filter((op) => op === 'clear')).toHaveLength(1);
      }),
      { numRuns: 60 },
    );
  });

  it('does not ask again after a timeout or once the caller gave up', async () => {
    const { transport, calls } = stubTransport({ login: [ok('login-response.xml')], getCount: ['hang', 'hang'] });
    const client = createOptimizelyClient(options, { transport, readRetryDelayMs: 1 });
    await expect(client.recipient.getCount({ listId: 1 }, { timeoutMs: 20 })).rejects.toMatchObject({ timedOut: true });
    expect(calls.filter((op) => op === 'getCount')).toHaveLength(1);
    const controller = new AbortController();
    const call = client.recipient.getCount({ listId: 1 }, { signal: controller.signal });
    controller.abort(new Error('activity cancelled'));
    await expect(call).rejects.toThrow('activity cancelled');
    expect(calls.filter((op) => op === 'getCount').length).toBeLessThanOrEqual(2);
    expect(new OptimizelyTransientError('x').timedOut).toBe(false);
  });
});
