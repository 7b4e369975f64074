import { OptimizelyArgumentError } from '../../../src/errors/optimizely-argument-error';
import { OptimizelyResponseRejectedError } from '../../../src/errors/optimizely-response-rejected-error';
import { OptimizelySessionError } from '../../../src/errors/optimizely-session-error';
import { OptimizelyTransientError } from '../../../src/errors/optimizely-transient-error';
import { BATCH_ARRAY_CAP, SINGLE_VALUE_CAP } from '../../../src/optimizely/api/response-caps';
import { createOptimizelyClient } from '../../../src/optimizely/client/create-optimizely-client';
import { PERMANENT_ERROR_TYPES } from '../../../workflows/retry-contract';
import { ResponseRejection } from '../../../src/optimizely/client/response-rejection';
import { fault, ok, stubTransport } from './stub-transport';

const options = { baseUrl: 'http://optimizely.test', mandatorId: 1234, username: 'api-user', password: 'secret' };

describe('Optimizely client call handling', () => {
  it("passes each operation's response cap to the transport and makes a refused response permanent", async () => {
    const { transport, caps } = stubTransport({
      login: [ok('login-response.xml')],
      getCount: [new ResponseRejection('response is larger than the cap of 262144 bytes', 200)],
      addAll3: [new ResponseRejection('response is not valid UTF-8', 200)],
    });
    const client = createOptimizelyClient(options, { transport });
    const error = await client.recipient.getCount({ listId: 100 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OptimizelyResponseRejectedError);
    expect(error).toMatchObject({
      service: 'Recipient',
      operation: 'getCount',
      message: 'Recipient.getCount: list 100: response is larger than the cap of 262144 bytes',
    });
    expect(PERMANENT_ERROR_TYPES).toContain((error as Error).name);
    const batch = {
      listId: 100,
      optinProcessId: 0,
      recipientIds: ['a'],
      addresses: ['a@x.test'],
      attributeNames: [],
      attributeValues: [[]],
    };
    await expect(client.recipient.addAll3(batch)).rejects.toThrow(/Recipient.addAll3: list 100: response is not valid UTF-8/);
    expect(caps).toEqual([SINGLE_VALUE_CAP, SINGLE_VALUE_CAP, BATCH_ARRAY_CAP]);
  });

  it('logs in again and retries once when the session is rejected', async () => {
    const { transport, calls } = stubTransport({
      login: [ok('login-response.xml'), ok('login-response.xml')],
      getCount: [fault('fault-invalid-session.xml'), ok('getcount-response.xml')],
    });
    const client = createOptimizelyClient(options, { transport });
    await expect(client.recipient.getCount({ listId: 100 })).resolves.toBe(42);
    expect(calls).toEqual(['login', 'getCount', 'login', 'getCount']);
  });

  it('gives up with OptimizelySessionError when the fresh session is rejected too', async () => {
    const { transport, calls } = stubTransport({
      login: [ok('login-response.xml'), ok('login-response.xml')],
      getCount: [fault('fault-invalid-session.xml'), fault('fault-invalid-session.xml')],
    });
    const client = createOptimizelyClient(options, { transport });
    await expect(client.recipient.getCount({ listId: 100 })).rejects.toBeInstanceOf(OptimizelySessionError);
    expect(calls).toHaveLength(4);
  });

  it('renews the session before it is sessionRenewAfterMs old', async () => {
    let now = 0;
    const { transport, calls } = stubTransport({
      login: [ok('login-response.xml'), ok('login-response.xml')],
      getCount: [ok('getcount-response.xml'), ok('getcount-response.xml')],
    });
    const client = createOptimizelyClient({ ...options, sessionRenewAfterMs: 60_000 }, { transport, now: () => now });
    await client.recipient.getCount({ listId: 100 });
    now += 60_000;
    await client.recipient.getCount({ listId: 100 });
    expect(calls).toEqual(['login', 'getCount', 'login', 'getCount']);
  });

  it('turns a timeout into OptimizelyTransientError and an abort into the abort reason', async () => {
    const { transport } = stubTransport({ login: [ok('login-response.xml')], getCount: ['hang', 'hang'] });
    const client = createOptimizelyClient(options, { transport });
    const timedOut = client.recipient.getCount({ listId: 1 }, { timeoutMs: 20 });
    await expect(timedOut).rejects.toBeInstanceOf(OptimizelyTransientError);
    await expect(timedOut).rejects.toThrow('Recipient.getCount: list 1: timed out after 20 ms');
    const controller = new AbortController();
    const call = client.recipient.getCount({ listId: 1 }, { signal: controller.signal });
    controller.abort(new Error('activity cancelled'));
    await expect(call).rejects.toThrow('activity cancelled');
  });

  it('maps HTTP 503 without a fault to OptimizelyTransientError', async () => {
    const { transport } = stubTransport({ login: [ok('login-response.xml')], clear: [{ status: 503, body: 'busy' }] });
    const client = createOptimizelyClient(options, { transport });
    await expect(client.recipient.clear({ listId: 1 })).rejects.toMatchObject({ name: 'OptimizelyTransientError', httpStatus: 503 });
  });

  it('refuses an oversized or ragged batch without calling the server', async () => {
    const { transport, calls } = stubTransport({});
    const client = createOptimizelyClient(options, { transport });
    const ids = Array.from({ length: 1001 }, (_, i) => `r${i}`);
    const batch = {
      listId: 1,
      optinProcessId: 0,
      recipientIds: ids,
      addresses: ids,
      attributeNames: [],
      attributeValues: ids.map(() => []),
    };
    await expect(client.recipient.addAll3(batch)).rejects.toThrow(/1001 recipients exceed the batch limit of 1000/);
    await expect(client.recipient.addAll3({ ...batch, recipientIds: ['a'], addresses: ['a'], attributeValues: [['x']] })).rejects.toThrow(
      OptimizelyArgumentError,
    );
    expect(calls).toEqual([]);
  });

  it('rejects a concurrency above 40 without echoing the password', () => {
    const create = () => createOptimizelyClient({ ...options, concurrency: 41 });
    expect(create).toThrow(/concurrency/);
    expect(create).not.toThrow(/secret/);
  });

  it('logs out on close and refuses calls afterwards', async () => {
    const { transport, calls } = stubTransport({ login: [ok('login-response.xml')], logout: [ok('logout-response.xml')] });
    const client = createOptimizelyClient(options, { transport });
    await client.login();
    await client.close();
    expect(calls).toEqual(['login', 'logout']);
    await expect(client.recipient.clear({ listId: 1 })).rejects.toThrow(/after the Optimizely client was closed/);
  });
});
