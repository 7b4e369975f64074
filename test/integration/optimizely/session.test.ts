import { OptimizelyAuthError } from '../../../src/errors/optimizely-auth-error';
import { type Harness, startHarness } from '../../helpers/simulator-harness';
import { LIST, SEED } from './client-seed';

let harness: Harness;
beforeAll(async () => {
  harness = await startHarness({ seed: SEED });
});
afterAll(() => harness.close());
beforeEach(() => harness.adminJson('DELETE', 'requests'));
afterEach(() => harness.adminJson('DELETE', 'faults'));

describe('Optimizely client: sessions', () => {
  it('logs in once and reuses the session for later calls', async () => {
    const client = harness.client();
    await client.recipient.getCount({ listId: LIST });
    await client.recipient.getCount({ listId: LIST });
    expect(await harness.requests()).toEqual(['Session.login', 'Recipient.getCount', 'Recipient.getCount']);
  });

  it('logs in again and retries once after the server expired the session (20 minutes)', async () => {
    const client = harness.client();
    await client.recipient.getCount({ listId: LIST });
    await harness.adminJson('POST', 'clock/advance', { ms: 21 * 60_000 });
    await expect(client.recipient.getCount({ listId: LIST })).resolves.toBe(0);
    expect(await harness.requests()).toEqual([
      'Session.login',
      'Recipient.getCount',
      'Recipient.getCount',
      'Session.login',
      'Recipient.getCount',
    ]);
  });

  it('survives sessions expiring every few calls', async () => {
    await harness.adminJson('POST', 'faults', { sessionExpiryEveryNCalls: 3 });
    const client = harness.client();
    for (let i = 0; i < 8; i++) await expect(client.recipient.getCount({ listId: LIST })).resolves.toBe(0);
    expect((await harness.requests()).filter((r) => r === 'Session.login').length).toBeGreaterThan(1);
  });

  it('maps wrong credentials to OptimizelyAuthError without the password in the message', async () => {
    const client = harness.client({ password: 'wrong-password' });
    const error = await client.recipient.getCount({ listId: LIST }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OptimizelyAuthError);
    expect((error as Error).message).not.toContain('wrong-password');
  });

  it('logs out on close', async () => {
    const client = harness.client();
    await client.login();
    await client.close();
    expect(await harness.requests()).toEqual(['Session.login', 'Session.logout']);
  });
});
