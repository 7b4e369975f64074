// The one description of the Optimizely Campaign SOAP surface that campaign-sync speaks. The simulator
// dispatches and binds parameters from it, the WSDL generator renders it, and the client is typed
// from it. Parameter names are the documented Java names (API notes §2–§7); on the wire they are
// also accepted positionally as in0, in1, … in this order.
import { BLACKLIST_SERVICE } from './services/blacklist';
import { CLOSED_LOOP_SERVICE } from './services/closed-loop';
import { OPTIN_PROCESS_SERVICE } from './services/optin-process';
import { RECIPIENT_SERVICE } from './services/recipient';
import { RECIPIENT_LIST_SERVICE } from './services/recipient-list';
import { RESPONSE_SERVICE } from './services/response';
import { SESSION_SERVICE } from './services/session';
import { UNSUBSCRIBE_SERVICE } from './services/unsubscribe';
import type { OperationSpec, ServiceSpec } from './types';

export type { OperationSpec, ParamSpec, ServiceSpec, SoapScalar, SoapType } from './types';

export const API_SURFACE: readonly ServiceSpec[] = [
  SESSION_SERVICE,
  RECIPIENT_SERVICE,
  RECIPIENT_LIST_SERVICE,
  UNSUBSCRIBE_SERVICE,
  BLACKLIST_SERVICE,
  RESPONSE_SERVICE,
  OPTIN_PROCESS_SERVICE,
  CLOSED_LOOP_SERVICE,
];

/** Target namespace of a service's WSDL and of its response elements (Axis 1.4, legacy host name). */
export const SOAP_NAMESPACE = (service: string): string => `urn:api.broadmail.de/soap11/Rpc${service}`;

/** URL path of a service's endpoint, e.g. `/soap11/RpcRecipient`. */
export const servicePath = (service: string): string => `/soap11/Rpc${service}`;

/** Finds a service by name, ignoring case ('recipient' finds 'Recipient'). */
export function findService(service: string): ServiceSpec | undefined {
  const wanted = service.toLowerCase();
  return API_SURFACE.find((spec) => spec.service.toLowerCase() === wanted);
}

/** Finds an operation; the service name is case-insensitive, the operation name is exact (as in Axis). */
export function findOperation(service: string, operation: string): OperationSpec | undefined {
  return findService(service)?.operations.find((op) => op.name === operation);
}

/**
 * Whether an operation only reads (its name starts with get, contains or is: no operation so named
 * changes anything at Optimizely), so asking it again cannot apply anything twice. The client retries
 * these within the call on a transient fault; every other operation's retry is its activity's, from
 * a checkpoint.
 */
export function isIdempotentRead(operation: string): boolean {
  // The bare `contains` (Recipient, Unsubscribe, Blacklist) is a read too; `getter`-like words are not.
  return /^(get|contains|is)([A-Z]|$)/.test(operation);
}
