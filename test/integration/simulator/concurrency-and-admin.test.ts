import { type Harness, MANDATOR, startHarness } from '../../helpers/simulator-harness';
import { positional } from '../../helpers/raw-soap';

describe('simulator concurrency limit and admin surface', () => {
  let h: Harness;
  afterEach(() => h.close());

  it('faults calls beyond the per-client concurrency limit', async () => {
    h = await startHarness();
    const sid = await h.login();
    await h.admin('POST', '/admin/faults', { latencyMs: 300, maxConcurrentPerClient: 2 });
    const call = () => h.post('RecipientList', positional('getAllIds', [['xsd:string', sid]]));
    const replies = await Promise.all([call(), call(), call(), call()]);
    expect(replies.filter((r) => r.fault === null)).toHaveLength(2);
    expect(replies.filter((r) => r.fault?.includes('Too many concurrent connections'))).toHaveLength(2);
  });

  it('answers the limit with HTTP 429 when configured so', async () => {
    h = await startHarness();
    const sid = await h.login();
    await h.admin('POST', '/admin/faults', { latencyMs: 200, maxConcurrentPerClient: 1, concurrencyResponse: '429' });
    const call = () => h.post('RecipientList', positional('getAllIds', [['xsd:string', sid]]));
    const statuses = (await Promise.all([call(), call()])).map((r) => r.status).sort();
    expect(statuses).toEqual([200, 429]);
  });

  it('delays a named operation by its own latency and the others by latencyMs', async () => {
    h = await startHarness();
    const sid = await h.login();
    await h.admin('POST', '/admin/faults', { latencyByOperation: { 'RecipientList.getAllIds': 400 } });
    // Order of answers, not wall-clock bounds: the other operation, sent second, answers first.
    const answered: string[] = [];
    const slow = h.post('RecipientList', positional('getAllIds', [['xsd:string', sid]])).then(() => answered.push('getAllIds'));
    const fast = h.post('ClosedLoop', positional('getCurrentTime', [['xsd:string', sid]])).then(() => answered.push('getCurrentTime'));
    await Promise.all([slow, fast]);
    expect(answered).toEqual(['getCurrentTime', 'getAllIds']);
    // The simulator's own log: the named operation was held for its latency (a timer never ends early).
    const { json } = await h.admin('GET', '/admin/requests');
    const logged = (json as { requests: Array<{ operation: string; durationMs: number }> }).requests;
    expect(logged.find((r) => r.operation === 'getAllIds')?.durationMs).toBeGreaterThanOrEqual(399);
  });

  it('serves no admin routes unless enabled', async () => {
    h = await startHarness({ admin: false });
    expect((await fetch(`${h.sim.url}/admin/health`)).status).toBe(404);
    expect((await fetch(`${h.sim.url}/soap11/RpcSession/admin/health`)).status).toBe(404);
  });

  it('logs calls without parameter values', async () => {
    h = await startHarness();
    await h.login();
    const { json } = await h.admin('GET', '/admin/requests');
    const entries = (json as { requests: Record<string, unknown>[] }).requests;
    expect(entries).toEqual([
      expect.objectContaining({ service: 'Session', operation: 'login', mandatorId: MANDATOR, httpStatus: 200, fault: null }),
    ]);
    expect(JSON.stringify(entries)).not.toContain('secret');
  });

  it('rejects an invalid admin body with 400 and the issues', async () => {
    h = await startHarness();
    const reply = await h.admin('POST', '/admin/faults', { errorRate: 2 });
    expect(reply.status).toBe(400);
  });

  it('applies an admin seed to suppression state already in use', async () => {
    h = await startHarness();
    const sid = await h.login();
    const add = () =>
      h.post(
        'Recipient',
        positional('add2', [
          ['xsd:string', sid],
          ['xsd:long', '100'],
          ['xsd:long', '0'],
          ['xsd:string', 'late@example.com'],
          ['xsd:string', 'late@example.com'],
          ['array', []],
          ['array', []],
        ]),
      );
    await h.post(
      'Unsubscribe',
      positional('contains', [
        ['xsd:string', sid],
        ['xsd:string', 'late@example.com'],
      ]),
    );
    await h.admin('POST', '/admin/seed', {
      clients: [{ mandatorId: MANDATOR, username: 'api-user', password: 'secret', unsubscribes: ['late@example.com'] }],
    });
    expect((await add()).value).toBe('2');
  });

  it('seeds a new client through the admin surface', async () => {
    h = await startHarness();
    await h.admin('POST', '/admin/seed', {
      clients: [{ mandatorId: 42, username: 'u', password: 'p', lists: [{ id: 1, name: 'L', fields: ['email'] }] }],
    });
    const sid = await h.login(42, 'u', 'p');
    expect((await h.post('RecipientList', positional('getAllIds', [['xsd:string', sid]]))).value).toEqual(['1']);
  });
});
