import type { SimClock } from './clock';
import type { ConcurrencyGate } from './concurrency-gate';
import type { FaultDraw } from './fault-draws';
import type { FaultSettings } from './fault-injection';
import type { RequestLog } from './request-log';
import type { Session, SessionRegistry } from './sessions';
import type { BoundParams } from './soap/binder';
import type { ReturnValue } from './soap/response-writer';
import type { Store } from './store/store';

/** Behaviour switches that are not faults. */
export interface SimSettings {
  /** Emit multiRefs in random order (the real server's order is arbitrary). */
  shuffleMultiRefs: boolean;
  /** A ClosedLoop export batch is produced every this many ms of simulator time. */
  batchIntervalMs: number;
  /** Elements per array parameter (API notes §3.5: 1000). */
  maxElements: number;
}

/** Everything a running simulator shares between requests. */
export interface SimContext {
  store: Store;
  clock: SimClock;
  sessions: SessionRegistry;
  requestLog: RequestLog;
  faults: FaultSettings;
  /** The random draws of the rate faults: Math.random, or seeded by faults.randomSeed. */
  faultDraw: FaultDraw;
  settings: SimSettings;
  /** In-flight calls per client against the limits, and their observed peaks. */
  gate: ConcurrencyGate;
  /** Calls that carried a session, for sessionExpiryEveryNCalls. */
  counters: { callsWithSession: number };
}

/** One SOAP call being served. `session` is set for every operation that takes a sessionId. */
export interface CallContext {
  sim: SimContext;
  session: Session;
  params: BoundParams;
}

export type Handler = (call: CallContext) => ReturnValue;
export type SessionlessHandler = (sim: SimContext, params: BoundParams) => ReturnValue;
