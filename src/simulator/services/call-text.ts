// The "[sessionId,mandatorId,user] … for call: k='v', …" echo the real service puts into recipient
// faults (API notes §8.2).
import type { CallContext } from '../context';
import { SoapFault } from '../soap/soap-fault';

export function callPrefix(call: CallContext): string {
  return `[${call.session.id},${call.session.mandatorId},${call.session.username}]`;
}

export function forCall(fields: Record<string, string | number>): string {
  return `for call: ${Object.entries(fields)
    .map(([key, value]) => `${key}='${value}'`)
    .join(', ')}`;
}

/** A WebserviceImplException fault carrying the call prefix. */
export function callFault(call: CallContext, text: string): SoapFault {
  return SoapFault.impl(`${callPrefix(call)} ${text}`);
}
