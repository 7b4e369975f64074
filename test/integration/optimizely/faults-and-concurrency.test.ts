import { OptimizelyFaultError } from '../../../src/errors/optimizely-fault-error';
import { OptimizelyTransientError } from '../../../src/errors/optimizely-transient-error';
import { waitFor } from '../../helpers/wait-for';
import { type Harness, startHarness } from '../../helpers/simulator-harness';
import { LIST, SEED } from './client-seed';

let harness: Harness;
beforeAll(async () => {
  harness = await startHarness({ seed: SEED });
});
afterAll(() => harness.close());
afterEach(() => harness.adminJson('DELETE', 'faults'));

describe('Optimizely client: faults', () => {
  it('maps HTTP 503 to OptimizelyTransientError', async () => {
    const client = harness.client();
    await client.login();
    // A read is asked three times within the call on a passing fault (retry-read.ts): three 503s in a
    // row reach the caller. With one, the call now answers from its second try.
    await harness.adminJson('POST', 'faults', { unavailableNextCalls: 3 });
    await expect(client.recipient.getCount({ listId: LIST })).rejects.toMatchObject({ name: 'OptimizelyTransientError', httpStatus: 503 });
    await expect(client.recipient.getCount({ listId: LIST })).resolves.toBe(0);
  });

  it('maps an unrecognised server fault to the retryable OptimizelyFaultError base', async () => {
    const client = harness.client();
    await client.login();
    await harness.adminJson('POST', 'faults', { failNextCalls: 1 });
    const error = await client.recipient.clear({ listId: LIST }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OptimizelyFaultError);
    expect((error as Error).name).toBe('OptimizelyFaultError');
  });

  it('times out a slow call with OptimizelyTransientError and honours an AbortSignal', async () => {
    const client = harness.client();
    await client.login();
    const answeredGetCounts = async () =>
      (await harness.adminJson<{ requests: Array<{ operation: string }> }>('GET', 'requests')).requests.filter(
        (r) => r.operation === 'getCount',
      ).length;
    const before = await answeredGetCounts();
    await harness.adminJson('POST', 'faults', { latencyMs: 400 });
    await expect(client.recipient.getCount({ listId: LIST }, { timeoutMs: 50 })).rejects.toThrow(/timed out after 50 ms/);
    // The call to abort is held far longer than the timed-out one (the simulator reads the latency as
    // a call arrives): with both at 400 ms it could be answered before the abort whenever polling for
    // the first call's answer took more than the ~50 ms between the two sends, as on a loaded machine.
    await harness.adminJson('POST', 'faults', { latencyMs: 5_000 });
    const controller = new AbortController();
    const call = client.recipient.getCount({ listId: LIST }, { signal: controller.signal });
    // The simulator logs a call when it answers: once the timed-out call is logged, the second one,
    // sent right after the timeout, is still held by its 5 s latency. Abort it then.
    await waitFor(async () => (await answeredGetCounts()) >= before + 1, undefined, 10);
    controller.abort(new Error('cancelled by test'));
    await expect(call).rejects.toThrow('cancelled by test');
    // The server still works on the abandoned call; wait for its answer so it holds no slot later.
    await waitFor(async () => (await answeredGetCounts()) >= before + 2, undefined, 10);
  });

  it('maps a refused connection to OptimizelyTransientError', async () => {
    const client = harness.client({ baseUrl: 'http://127.0.0.1:9' });
    await expect(client.recipient.getCount({ listId: LIST })).rejects.toBeInstanceOf(OptimizelyTransientError);
  });
});

describe('Optimizely client: concurrency', () => {
  const burst = (client: ReturnType<Harness['client']>, calls: number) =>
    Promise.allSettled(Array.from({ length: calls }, () => client.recipient.getCount({ listId: LIST })));

  it('keeps at most `concurrency` calls in flight, so a server limit of 3 is never hit', async () => {
    await harness.adminJson('POST', 'faults', { latencyMs: 60, maxConcurrentPerClient: 3 });
    const client = harness.client({ concurrency: 3 });
    await client.login();
    const results = await burst(client, 12);
    expect(results.filter((r) => r.status === 'rejected')).toEqual([]);
  });

  it('runs into the same server limit with a larger bound (the limit fault is transient)', async () => {
    // A refused read is asked again within the call 200 ms and 600 ms later (retry-read.ts): the first
    // three calls hold the server's slots for 3 s, so the refused ones are refused on every try. With
    // 60 ms the slots were free again by the second try, and whether any call gave up was luck.
    await harness.adminJson('POST', 'faults', { latencyMs: 3000, maxConcurrentPerClient: 3 });
    const client = harness.client({ concurrency: 8 });
    await client.login();
    const rejected = (await burst(client, 12)).filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(rejected.length).toBeGreaterThan(0);
    expect(rejected.every((r) => r.reason instanceof OptimizelyTransientError)).toBe(true);
  });
});
