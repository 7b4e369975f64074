import { createOptimizelyClient } from '../../../src/optimizely/client/create-optimizely-client';
import type { SoapTransport } from '../../../src/optimizely/client/http-transport';
import { Semaphore } from '../../../src/optimizely/client/semaphore';
import { OptimizelyTransientError } from '../../../src/errors/optimizely-transient-error';
import { soapFixture } from './soap-fixtures';

const options = { baseUrl: 'http://optimizely.test', mandatorId: 1234, username: 'api-user', password: 'secret', concurrency: 5 };

/** A transport that holds every getCount until released, counting how many are in flight at most. */
function heldTransport() {
  const held: Array<() => void> = [];
  let inFlight = 0;
  let peak = 0;
  const transport: SoapTransport = {
    post: (_url, body, signal) => {
      const operation = /<ns1:(\w+) /.exec(body)![1]!;
      if (operation === 'login') return Promise.resolve({ status: 200, body: soapFixture('login-response.xml') });
      peak = Math.max(peak, ++inFlight);
      if (signal.aborted) return Promise.reject(signal.reason);
      return new Promise((resolve, reject) => {
        signal.addEventListener('abort', () => reject(signal.reason), { once: true });
        held.push(() => {
          inFlight--;
          resolve({ status: 200, body: soapFixture('getcount-response.xml') });
        });
      });
    },
    close: () => undefined,
  };
  return { transport, held, peak: () => peak };
}

describe('Optimizely client budgets', () => {
  it('holds Recipient.getCount to its read budget as well as the call budget', async () => {
    const { transport, held, peak } = heldTransport();
    const permits = { calls: new Semaphore(5), reads: new Semaphore(2) };
    const client = createOptimizelyClient(options, { transport, permits });
    await client.login();
    const counts = Array.from({ length: 6 }, () => client.recipient.getCount({ listId: 100 }));
    while (held.length < 2) await new Promise((resolve) => setImmediate(resolve));
    expect(permits.reads.inUse).toBe(2);
    expect(permits.calls.inUse).toBe(2);
    while (held.length > 0 || permits.reads.inUse > 0) {
      held.shift()?.();
      await new Promise((resolve) => setImmediate(resolve));
    }
    expect(await Promise.all(counts)).toEqual([42, 42, 42, 42, 42, 42]);
    expect(peak()).toBe(2);
    await client.close();
  });

  it('stops a call whose slot was revoked, as retryable', async () => {
    const { transport } = heldTransport();
    const revoke = new AbortController();
    const calls = Object.assign(new Semaphore(5), { revoked: revoke.signal });
    const client = createOptimizelyClient(options, { transport, permits: { calls, reads: new Semaphore(2) } });
    await client.login();
    const count = client.recipient.getCount({ listId: 100 }).catch((e: unknown) => e);
    while (calls.inUse === 0) await new Promise((resolve) => setImmediate(resolve));
    revoke.abort(new Error('lease lost'));
    expect(await count).toBeInstanceOf(OptimizelyTransientError);
    expect(calls.inUse).toBe(0);
    await client.close();
  });
});
