// A SOAP faultcode is a QName such as `soapenv:Server.userException`, but it comes from the wire like
// the rest of a fault, so it is rebuilt from allow-listed parts rather than passed on: a prefix, a
// SOAP 1.1 code and an Axis sub-code each from a fixed set, anything else dropped.
const MAX_FAULT_CODE = 64;
const PREFIXES: ReadonlySet<string> = new Set(['soapenv', 'soap', 'SOAP-ENV', 'env', 'S', 's']);
const CODES: ReadonlySet<string> = new Set(['Server', 'Client', 'VersionMismatch', 'MustUnderstand']);
const SUB_CODES: ReadonlySet<string> = new Set(['userException', 'generalException', 'NoService', 'NoSOAPAction']);

/** The fault code from known parts only, or 'unknown'. */
export function redactFaultCode(faultCode: string): string {
  if (faultCode.length > MAX_FAULT_CODE) return 'unknown';
  const colon = faultCode.indexOf(':');
  const prefix = colon < 0 ? '' : faultCode.slice(0, colon);
  const [code = '', subCode] = faultCode.slice(colon + 1).split('.', 3);
  if (!CODES.has(code)) return 'unknown';
  const head = PREFIXES.has(prefix) ? `${prefix}:${code}` : code;
  return subCode !== undefined && SUB_CODES.has(subCode) ? `${head}.${subCode}` : head;
}
