// Types of the API table (see surface.ts). Kept apart so the per-service tables can import them
// without a cycle through surface.ts.
export type SoapScalar = 'string' | 'int' | 'long' | 'boolean';
export type SoapType = SoapScalar | `${SoapScalar}[]` | 'string[][]' | 'void';

export interface ParamSpec {
  name: string;
  type: SoapType;
}

export interface OperationSpec {
  name: string;
  params: ParamSpec[];
  returns: SoapType;
}

export interface ServiceSpec {
  /** Service name without "Webservice" and without "Rpc", e.g. 'Recipient'. */
  service: string;
  operations: OperationSpec[];
}

/** Builds an operation from `[name, type]` pairs; keeps the service tables one line per operation. */
export function op(name: string, returns: SoapType, ...params: [string, SoapType][]): OperationSpec {
  return { name, returns, params: params.map(([paramName, type]) => ({ name: paramName, type })) };
}

/** `getVersion()` exists on every service (Soap11Webservice, API notes §1.1). */
export const GET_VERSION: OperationSpec = op('getVersion', 'string');

export const SESSION_ID: [string, SoapType] = ['sessionId', 'string'];
export const LIST_ID: [string, SoapType] = ['recipientListId', 'long'];
