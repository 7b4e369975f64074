// Fault injection and concurrency limits applied around a SOAP call (test controls, API notes §11.7,
// §11.15). What the real service does when the 40-connection limit is exceeded is unknown; here it
// is a configurable fault, HTTP 503 or HTTP 429.
import { FAULT_TEXTS } from '../../optimizely/api/fault-texts';
import type { ConcurrencyGate } from '../concurrency-gate';
import type { SimContext } from '../context';
import { HttpStatusReply } from './http-status-reply';
import { SoapFault } from './soap-fault';

export function checkUnavailable(sim: SimContext): void {
  if (sim.faults.unavailableNextCalls > 0) {
    sim.faults.unavailableNextCalls--;
    throw new HttpStatusReply(503);
  }
  if (sim.faults.unavailableRate > 0 && sim.faultDraw() < sim.faults.unavailableRate) throw new HttpStatusReply(503);
}

export function checkInjectedError(sim: SimContext, operation: string): void {
  const refuseNext = sim.faults.refuseNextCallsOf[operation] ?? 0;
  if (refuseNext > 0) {
    sim.faults.refuseNextCallsOf[operation] = refuseNext - 1;
    throw SoapFault.impl(FAULT_TEXTS.injectedPermanent);
  }
  const failNext = sim.faults.failNextCalls > 0;
  if (failNext) sim.faults.failNextCalls--;
  if (failNext || (sim.faults.errorRate > 0 && sim.faultDraw() < sim.faults.errorRate)) throw SoapFault.impl(FAULT_TEXTS.injected);
}

/** Takes the slots a call needs, or answers as configured; returns the release function. */
export function acquireSlots(sim: SimContext, gate: ConcurrencyGate, mandatorId: number, isGetCount: boolean): () => void {
  const clientKey = `c${mandatorId}`;
  const countKey = `g${mandatorId}`;
  const leave = [gate.arrive(clientKey), ...(isGetCount ? [gate.arrive(countKey)] : [])];
  const refuse = (): never => {
    leave.forEach((l) => l());
    tooMany(sim);
  };
  if (!gate.tryAcquire(clientKey, sim.faults.maxConcurrentPerClient)) refuse();
  if (isGetCount && !gate.tryAcquire(countKey, sim.faults.maxConcurrentGetCount)) {
    gate.release(clientKey);
    refuse();
  }
  return () => {
    gate.release(clientKey);
    if (isGetCount) gate.release(countKey);
    leave.forEach((l) => l());
  };
}

function tooMany(sim: SimContext): never {
  if (sim.faults.concurrencyResponse === '503') throw new HttpStatusReply(503);
  if (sim.faults.concurrencyResponse === '429') throw new HttpStatusReply(429);
  throw SoapFault.impl(FAULT_TEXTS.tooManyConnections);
}
