import { OptimizelyArgumentError } from '../../../src/errors/optimizely-argument-error';
import { OptimizelyTransientError } from '../../../src/errors/optimizely-transient-error';
import { retryRead } from '../../../src/optimizely/client/retry-read';

function failing(failures: Error[], value = 'page') {
  let calls = 0;
  const read = async () => {
    calls += 1;
    const failure = failures.shift();
    if (failure) throw failure;
    return value;
  };
  return { read, calls: () => calls };
}

describe('retryRead', () => {
  const transient = () => new OptimizelyTransientError('Simulated internal error', { service: 'ClosedLoop', operation: 'getOpens' });

  it('asks again after transient faults and returns the page', async () => {
    const source = failing([transient(), transient()]);
    await expect(retryRead(source.read, { delayMs: 1 })).resolves.toBe('page');
    expect(source.calls()).toBe(3);
  });

  it('gives up after the last attempt with the last fault', async () => {
    const source = failing([transient(), transient(), transient()]);
    await expect(retryRead(source.read, { delayMs: 1 })).rejects.toThrow('ClosedLoop.getOpens: Simulated internal error');
    expect(source.calls()).toBe(3);
  });

  it("does not retry a permanent fault or an error that is not Optimizely's", async () => {
    const argument = failing([new OptimizelyArgumentError('bad window', { service: 'ClosedLoop', operation: 'getOpens' })]);
    await expect(retryRead(argument.read, { delayMs: 1 })).rejects.toMatchObject({ name: 'OptimizelyArgumentError' });
    expect(argument.calls()).toBe(1);
    const other = failing([new TypeError('bug')]);
    await expect(retryRead(other.read, { delayMs: 1 })).rejects.toThrow('bug');
    expect(other.calls()).toBe(1);
  });
});
