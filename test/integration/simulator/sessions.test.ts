import { type Harness, REGULAR_LIST, startHarness } from '../../helpers/simulator-harness';
import { positional } from '../../helpers/raw-soap';

const getCount = (sid: string) =>
  positional('getCount', [
    ['xsd:string', sid],
    ['xsd:long', String(REGULAR_LIST)],
    ['xsd:long', '0'],
  ]);
const INVALID = 'optivo.core.util.DontLogMeException: broadmail.api.soap11.impl.InvalidWebserviceSessionException: Invalid sessionId: ';

describe('simulator sessions', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(() => h.close());

  it('issues 15–16 lowercase hex session ids', async () => {
    const ids = await Promise.all([1, 2, 3, 4, 5].map(() => h.login()));
    for (const id of ids) expect(id).toMatch(/^[0-9a-f]{15,16}$/);
    expect(new Set(ids).size).toBe(5);
  });

  it('expires a session 20 minutes after login on the simulator clock', async () => {
    const sid = await h.login();
    await h.admin('POST', '/admin/clock/advance', { ms: 19 * 60 * 1000 });
    expect((await h.post('Recipient', getCount(sid))).fault).toBeNull();
    await h.admin('POST', '/admin/clock/advance', { ms: 60 * 1000 });
    expect((await h.post('Recipient', getCount(sid))).fault).toBe(`${INVALID}${sid}`);
  });

  it('invalidates a session on logout', async () => {
    const sid = await h.login();
    expect((await h.post('Session', positional('logout', [['xsd:string', sid]]))).text).toContain('<ns1:logoutResponse');
    expect((await h.post('Recipient', getCount(sid))).fault).toContain('Invalid sessionId');
  });

  it('expires the session every N calls when injected', async () => {
    await h.admin('POST', '/admin/faults', { sessionExpiryEveryNCalls: 2 });
    const sid = await h.login();
    expect((await h.post('Recipient', getCount(sid))).fault).toBeNull();
    expect((await h.post('Recipient', getCount(sid))).fault).toContain('Invalid sessionId');
  });
});
