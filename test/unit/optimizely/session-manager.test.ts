import { SessionManager } from '../../../src/optimizely/client/session-manager';

function manager(renewAfterMs = 1000) {
  let clock = 0;
  let logins = 0;
  const logouts: string[] = [];
  const sessions = new SessionManager({
    login: async () => `s${++logins}`,
    logout: async (id) => {
      logouts.push(id);
      throw new Error('server gone');
    },
    renewAfterMs,
    now: () => clock,
  });
  return { sessions, logouts, advance: (ms: number) => (clock += ms), logins: () => logins };
}

describe('SessionManager', () => {
  it('logs in once for concurrent callers and reuses the session', async () => {
    const { sessions, logins } = manager();
    expect(await Promise.all([sessions.sessionId(), sessions.sessionId(), sessions.sessionId()])).toEqual(['s1', 's1', 's1']);
    expect(await sessions.sessionId()).toBe('s1');
    expect(logins()).toBe(1);
  });

  it('renews a session once it is renewAfterMs old', async () => {
    const { sessions, advance } = manager(1000);
    await sessions.sessionId();
    advance(999);
    expect(await sessions.sessionId()).toBe('s1');
    advance(1);
    expect(await sessions.sessionId()).toBe('s2');
  });

  it('forgets an invalidated session but not a newer one', async () => {
    const { sessions } = manager();
    await sessions.sessionId();
    sessions.invalidate('s0');
    expect(await sessions.sessionId()).toBe('s1');
    sessions.invalidate('s1');
    expect(await sessions.sessionId()).toBe('s2');
  });

  it('logs out on close and ignores a failing logout', async () => {
    const { sessions, logouts } = manager();
    await sessions.sessionId();
    await expect(sessions.close()).resolves.toBeUndefined();
    expect(logouts).toEqual(['s1']);
  });
});
