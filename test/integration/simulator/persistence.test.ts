import { type Harness, MANDATOR, REGULAR_LIST, startHarness } from '../../helpers/simulator-harness';
import { positional } from '../../helpers/raw-soap';

describe('simulator persistence', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(() => h.close());

  it('keeps recipients, unsubscribes, bounces and the clock across a restart', async () => {
    const sid = await h.login();
    await h.post(
      'Recipient',
      positional('add2', [
        ['xsd:string', sid],
        ['xsd:long', String(REGULAR_LIST)],
        ['xsd:long', '0'],
        ['xsd:string', 'kept@example.com'],
        ['xsd:string', 'kept@example.com'],
        ['array', ['firstname']],
        ['array', ['Kay']],
      ]),
    );
    await h.post(
      'Unsubscribe',
      positional('add', [
        ['xsd:string', sid],
        ['xsd:long', '0'],
        ['xsd:string', 'left@example.com'],
      ]),
    );
    const advanced = (await h.admin('POST', '/admin/clock/advance', { ms: 3_600_000 })).json as { now: number };

    await h.restart();

    const { json } = await h.admin('GET', `/admin/clients/${MANDATOR}/lists/${REGULAR_LIST}/recipients`);
    expect(json).toMatchObject({ recipients: [{ recipientId: 'kept@example.com', attributes: { firstname: 'Kay' } }] });
    const sid2 = await h.login();
    const unsub = await h.post(
      'Unsubscribe',
      positional('contains', [
        ['xsd:string', sid2],
        ['xsd:string', 'left@example.com'],
      ]),
    );
    expect(unsub.value).toBe('true');
    const bounced = await h.post(
      'Response',
      positional('isBounceCounterThresholdExeeded', [
        ['xsd:string', sid2],
        ['xsd:string', 'bouncy@example.com'],
      ]),
    );
    expect(bounced.value).toBe('true');
    const clock = (await h.admin('GET', '/admin/clock')).json as { now: number };
    expect(clock.now).toBeGreaterThanOrEqual(advanced.now);
  });

  it('ends sessions on restart', async () => {
    const sid = await h.login();
    await h.restart();
    const reply = await h.post('RecipientList', positional('getAllIds', [['xsd:string', sid]]));
    expect(reply.fault).toContain('Invalid sessionId');
  });
});
