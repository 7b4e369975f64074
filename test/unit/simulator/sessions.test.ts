import { openDatabase } from '../../../src/simulator/store/database';
import { FAULT_TEXTS } from '../../../src/optimizely/api/fault-texts';
import { SimClock } from '../../../src/simulator/clock';
import { DEFAULT_MAX_SESSIONS_PER_CLIENT, SessionRegistry } from '../../../src/simulator/sessions';
import { SoapFault } from '../../../src/simulator/soap/soap-fault';

function registry() {
  const clock = new SimClock(openDatabase(':memory:'));
  return { clock, sessions: new SessionRegistry(clock) };
}

describe('SessionRegistry', () => {
  it('caps open sessions per client: 3000 logins do not make 3000 sessions', () => {
    const { sessions } = registry();
    const outcomes = Array.from({ length: 3000 }, () => {
      try {
        return sessions.open(1, 'u').id;
      } catch (error) {
        return error;
      }
    });
    const faults = outcomes.filter((o) => o instanceof SoapFault);
    expect(outcomes.length - faults.length).toBe(DEFAULT_MAX_SESSIONS_PER_CLIENT);
    expect((faults[0] as SoapFault).faultString).toContain(FAULT_TEXTS.tooManySessions);
    expect(sessions.openFor(1)).toBe(DEFAULT_MAX_SESSIONS_PER_CLIENT);
    // Another client is not affected.
    expect(() => sessions.open(2, 'v')).not.toThrow();
  });

  it('frees a place on logout and once a session has expired', () => {
    const { clock, sessions } = registry();
    sessions.maxPerClient = 2;
    const first = sessions.open(1, 'u');
    sessions.open(1, 'u');
    expect(() => sessions.open(1, 'u')).toThrow(SoapFault);
    sessions.close(first.id);
    const third = sessions.open(1, 'u');
    expect(() => sessions.open(1, 'u')).toThrow(SoapFault);
    clock.advance(sessions.ttlMs);
    expect(() => sessions.open(1, 'u')).not.toThrow();
    expect(() => sessions.require(third.id)).toThrow(SoapFault);
  });
});
