// Serves one SOAP call: parse, dispatch, bind, guard, run, write. Every failure becomes an Axis-style
// fault (or a bare HTTP status for injected 503/429); nothing is processed from a rejected document.
import { FAULT_TEXTS } from '../../optimizely/api/fault-texts';
import type { OperationSpec, ServiceSpec } from '../../optimizely/api/types';
import type { ConcurrencyGate } from '../concurrency-gate';
import type { SimContext } from '../context';
import { HANDLERS, SESSIONLESS } from '../services';
import { type BoundParams, bindParams } from './binder';
import { acquireSlots, checkInjectedError, checkUnavailable } from './call-guards';
import { readOperationCall } from './envelope';
import { writeFault, writeResponse } from './response-writer';
import { HttpStatusReply } from './http-status-reply';
import { SoapFault } from './soap-fault';
import { XmlRejectedError } from './xml-rejected-error';
import { scanXml } from './xml-scanner';

export interface SoapReply {
  status: number;
  body: string;
  operation: string;
  mandatorId: number | null;
  fault: string | null;
}

export interface DispatchDeps {
  sim: SimContext;
  gate: ConcurrencyGate;
  onInternalError: (error: unknown, operation: string) => void;
}

export async function dispatchSoap(deps: DispatchDeps, service: ServiceSpec, xml: string): Promise<SoapReply> {
  const reply: SoapReply = { status: 200, body: '', operation: '?', mandatorId: null, fault: null };
  try {
    if (declaresDtd(xml)) throw new XmlRejectedError('document type declarations and entity declarations are not accepted');
    const call = readOperationCall(scanXml(xml));
    reply.operation = call.operation;
    const op = service.operations.find((o) => o.name === call.operation);
    if (!op) throw SoapFault.impl(`${FAULT_TEXTS.unknownOperation} '${call.operation}'`);
    const params = bindParams(op, call.params, call.refs);
    reply.body = await run(deps, service, op, params, reply);
  } catch (error) {
    if (error instanceof HttpStatusReply) return { ...reply, status: error.status, body: '' };
    const fault = toFault(error, deps, reply.operation);
    return { ...reply, status: fault.httpStatus, body: writeFault(fault.faultString), fault: fault.faultString };
  }
  return reply;
}

async function run(deps: DispatchDeps, service: ServiceSpec, op: OperationSpec, params: BoundParams, reply: SoapReply): Promise<string> {
  const { sim } = deps;
  checkUnavailable(sim);
  const sessionId = op.params[0]?.name === 'sessionId' ? ((params.sessionId as string | null) ?? null) : null;
  const mandatorId =
    sessionId !== null ? sim.sessions.mandatorOf(sessionId) : typeof params.mandatorId === 'number' ? params.mandatorId : undefined;
  reply.mandatorId = mandatorId ?? null;
  const release =
    mandatorId === undefined
      ? () => undefined
      : acquireSlots(sim, deps.gate, mandatorId, service.service === 'Recipient' && op.name === 'getCount');
  try {
    const latencyMs = sim.faults.latencyByOperation[`${service.service}.${op.name}`] ?? sim.faults.latencyMs;
    if (latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, latencyMs));
    checkInjectedError(sim, `${service.service}.${op.name}`);
    const value = invoke(deps, service, op, params, sessionId);
    return writeResponse(service.service, op, value, { shuffleMultiRefs: sim.settings.shuffleMultiRefs });
  } finally {
    release();
  }
}

function invoke(deps: DispatchDeps, service: ServiceSpec, op: OperationSpec, params: BoundParams, sessionId: string | null) {
  const { sim } = deps;
  const sessionless = SESSIONLESS[op.name];
  if (sessionless && op.params[0]?.name !== 'sessionId') return sessionless(sim, params);
  const every = sim.faults.sessionExpiryEveryNCalls;
  if (every > 0 && sessionId !== null && ++sim.counters.callsWithSession % every === 0) sim.sessions.close(sessionId);
  const session = sim.sessions.require(sessionId);
  const handler = HANDLERS[service.service]?.[op.name];
  if (!handler) throw SoapFault.impl(`${FAULT_TEXTS.unknownOperation} '${op.name}'`);
  return handler({ sim, session, params });
}

function toFault(error: unknown, deps: DispatchDeps, operation: string): SoapFault {
  if (error instanceof SoapFault) return error;
  if (error instanceof XmlRejectedError) return SoapFault.impl(error.message);
  deps.onInternalError(error, operation);
  // A rolled-back transaction may have left the in-memory suppression cache ahead of the database.
  deps.sim.store.suppression.invalidate();
  return SoapFault.impl('java.lang.RuntimeException: internal error');
}

/** True when the text contains <!DOCTYPE or <!ENTITY anywhere; checked before any parsing. */
function declaresDtd(xml: string): boolean {
  for (let i = xml.indexOf('<!'); i !== -1; i = xml.indexOf('<!', i + 2)) {
    const head = xml.slice(i + 2, i + 9).toUpperCase();
    if (head.startsWith('DOCTYPE') || head.startsWith('ENTITY')) return true;
  }
  return false;
}
