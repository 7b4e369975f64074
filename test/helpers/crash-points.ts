// A process death at any outside call, for activity-level crash properties. One attempt of an
// activity gets its ports (the Optimizely port, the CRM, the state store) through `crashAttempt`:
// every method call on them, at any depth of plain objects, is an outside call and is counted. The
// N-th call either never reaches the far side, or runs there and its reply is lost; from then on the
// attempt is dead: every later call throws before it reaches anything, and every call still in
// flight loses its reply. A retry runs the activity again on the unwrapped ports, as Temporal would.
import fc from 'fast-check';

/** Where an attempt dies: its `at`-th outside call (1-based), before or after the far side ran it. */
export interface CrashPoint {
  at: number;
  replyLost: boolean;
}

export class SimulatedCrash extends Error {
  constructor(what: string) {
    super(`simulated process death at ${what}`);
    this.name = 'SimulatedCrash';
  }
}

export interface CrashAttempt {
  /** The ports of this attempt: every method call counts as one outside call. */
  wrap<T extends object>(ports: T): T;
  /** The attempt died (a later heartbeat or write of it never happens). */
  readonly dead: boolean;
  /** Outside calls made so far, the fatal one included. */
  readonly calls: number;
  /** The calls in order, `ledger.record` style, for a failure message. */
  readonly log: readonly string[];
}

/** A crash point among the first `maxCalls` outside calls. */
export const aCrashPoint = (maxCalls: number): fc.Arbitrary<CrashPoint> =>
  fc.record({ at: fc.integer({ min: 1, max: maxCalls }), replyLost: fc.boolean() });

/** An attempt that dies at `crash`; without one it lives (the calls are still counted and logged). */
export function crashAttempt(crash?: CrashPoint): CrashAttempt {
  const log: string[] = [];
  let dead = false;
  const call = (name: string, run: () => unknown): unknown => {
    if (dead) throw new SimulatedCrash(`${name} after death`);
    log.push(name);
    const fatal = crash !== undefined && log.length === crash.at;
    if (fatal && !crash.replyLost) {
      dead = true;
      throw new SimulatedCrash(`${name} (call ${crash.at}, not sent)`);
    }
    const result = run();
    if (fatal) dead = true;
    if (!(result instanceof Promise)) {
      if (fatal) throw new SimulatedCrash(`${name} (call ${crash.at}, reply lost)`);
      return result;
    }
    const reply = result.then((value) => {
      // The far side ran it; this process is gone (it died at this call or at a later one).
      if (dead) throw new SimulatedCrash(`${name} (reply lost)`);
      return value;
    });
    // A dead process reports nothing: a lost reply nobody awaits any more (a Promise.all that
    // failed on its sibling) is no unhandled rejection; whoever awaits it still gets the crash.
    reply.catch(() => undefined);
    return reply;
  };
  const wrap = <T extends object>(target: T, path: string): T =>
    new Proxy(target, {
      get(object, key, receiver) {
        const value = Reflect.get(object, key, receiver) as unknown;
        const name = path === '' ? String(key) : `${path}.${String(key)}`;
        if (typeof value === 'function')
          return (...args: unknown[]) => call(name, () => (value as (...a: unknown[]) => unknown).apply(object, args));
        if (isPlainObject(value)) return wrap(value, name);
        return value;
      },
    });
  return {
    wrap: (ports) => wrap(ports, ''),
    get dead() {
      return dead;
    },
    get calls() {
      return log.length;
    },
    log,
  };
}

function isPlainObject(value: unknown): value is object {
  if (value === null || typeof value !== 'object') return false;
  const prototype = Object.getPrototypeOf(value) as unknown;
  return prototype === Object.prototype || prototype === null;
}

/**
 * Runs `attempt` once per crash point, each on ports that die there, until one completes; then, if
 * none did, once more on living ports (Temporal retries until it succeeds). Returns the completing
 * attempt's result and how many attempts died.
 */
export async function runUntilDone<T>(
  crashes: readonly CrashPoint[],
  attempt: (life: CrashAttempt) => Promise<T>,
): Promise<{ result: T; died: number }> {
  let died = 0;
  for (const crash of crashes) {
    const life = crashAttempt(crash);
    try {
      const result = await attempt(life);
      // Completed on a dead process (it caught the crash): its result never reached Temporal.
      if (!life.dead) return { result, died };
    } catch (error) {
      if (!life.dead) throw error;
    }
    died += 1;
  }
  return { result: await attempt(crashAttempt()), died };
}
