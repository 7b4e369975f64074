// Test oracle: the request writer as it was before it collected its arrays as parts (`+=` over every
// item, the path of every value spelled out as it was written). The writer must produce the same
// text, or the same refusal, for every input (test/unit/optimizely/request-writer-equivalence.test.ts);
// its escaping is the one of that time too: the XML 1.0 check first, then the markup replaced.
import { OptimizelyArgumentError } from '../../src/errors/optimizely-argument-error';
import type { OperationSpec, SoapScalar, SoapType } from '../../src/optimizely/api/types';
import { isXmlText } from '../../src/optimizely/client/codec/xml-escape';
import { SOAP_ENC_NS, type SoapValue } from '../../src/optimizely/client/codec/soap-value';

/** 'named' uses the table's parameter names, 'positional' uses in0, in1, … (both bind on Axis). */
type ParamNaming = 'named' | 'positional';

interface WriteRequestInput {
  /** Service name, for error messages only. */
  service?: string;
  namespace: string;
  operation: OperationSpec;
  /** One value per parameter of the operation, in table order. */
  args: readonly SoapValue[];
  naming?: ParamNaming;
}

const ENVELOPE_OPEN =
  '<?xml version="1.0" encoding="UTF-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"' +
  ' xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"' +
  ` xmlns:soapenc="${SOAP_ENC_NS}"><soapenv:Body>`;
const ENVELOPE_CLOSE = '</soapenv:Body></soapenv:Envelope>';
const MARKUP = /[&<>\r]/g;
const REPLACEMENT: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '\r': '&#13;' };

function escapeXmlText(text: string): string | undefined {
  return isXmlText(text) ? text.replace(MARKUP, (ch) => REPLACEMENT[ch] ?? ch) : undefined;
}

export function referenceWriteRequest({ service, namespace, operation, args, naming = 'named' }: WriteRequestInput): string {
  const { name, params } = operation;
  if (args.length !== params.length) {
    throw argumentError({ service, operation, path: '' }, `expects ${params.length} arguments, got ${args.length}`);
  }
  let xml = `${ENVELOPE_OPEN}<ns1:${name} soapenv:encodingStyle="${SOAP_ENC_NS}" xmlns:ns1="${namespace}">`;
  for (let i = 0; i < params.length; i++) {
    const param = params[i]!;
    const element = naming === 'positional' ? `in${i}` : param.name;
    xml += writeParam(element, param.type, args[i] as SoapValue, { service, operation, path: param.name });
  }
  return `${xml}</ns1:${name}>${ENVELOPE_CLOSE}`;
}

interface Where {
  service?: string;
  operation: OperationSpec;
  path: string;
}

function writeParam(element: string, type: SoapType, value: SoapValue, where: Where): string {
  if (type === 'void') throw argumentError(where, `${where.path} has type void`);
  if (value === null || value === undefined) return `<${element} xsi:nil="true"/>`;
  if (type === 'string[][]') return writeMatrix(element, value, where);
  if (type.endsWith('[]')) return writeArray(element, type.slice(0, -2) as SoapScalar, value, where);
  return `<${element} xsi:type="xsd:${type}">${scalarText(type as SoapScalar, value, where)}</${element}>`;
}

function writeArray(element: string, itemType: SoapScalar, value: SoapValue, where: Where, attrs = ' xsi:type="soapenc:Array"'): string {
  if (!Array.isArray(value)) throw argumentError(where, `${where.path} must be an array`);
  const items = value as readonly SoapValue[];
  let xml = `<${element}${attrs} soapenc:arrayType="xsd:${itemType}[${items.length}]">`;
  for (let i = 0; i < items.length; i++) {
    const item = items[i];
    if (item === null || item === undefined) xml += '<item xsi:nil="true"/>';
    else xml += `<item>${scalarText(itemType, item, where, i)}</item>`;
  }
  return `${xml}</${element}>`;
}

function writeMatrix(element: string, value: SoapValue, where: Where): string {
  if (!Array.isArray(value)) throw argumentError(where, `${where.path} must be an array of arrays`);
  const rows = value as readonly SoapValue[];
  let xml = `<${element} xsi:type="soapenc:Array" soapenc:arrayType="xsd:string[][${rows.length}]">`;
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i];
    if (row === null || row === undefined) xml += '<item xsi:nil="true"/>';
    // Inner arrays carry their length but no xsi:type: the outer arrayType already types them, Axis
    // binds by the declared parameter type, and 1000 rows x 30 bytes is the server's parse time.
    else xml += writeArray('item', 'string', row, { ...where, path: `${where.path}[${i}]` }, '');
  }
  return `${xml}</${element}>`;
}

function scalarText(type: SoapScalar, value: SoapValue, where: Where, index?: number): string {
  const path = index === undefined ? where.path : `${where.path}[${index}]`;
  if (type === 'string' && typeof value === 'string') {
    const text = escapeXmlText(value);
    if (text === undefined) throw argumentError(where, `${path} contains a character XML 1.0 cannot carry`);
    return text;
  }
  if (type === 'boolean' && typeof value === 'boolean') return value ? 'true' : 'false';
  if ((type === 'int' && isInt32(value)) || (type === 'long' && Number.isSafeInteger(value))) return String(value);
  throw argumentError(where, `${path} is not a valid ${type}`);
}

function isInt32(value: SoapValue): boolean {
  return Number.isInteger(value) && (value as number) >= -2147483648 && (value as number) <= 2147483647;
}

function argumentError(where: Where, reason: string): OptimizelyArgumentError {
  return new OptimizelyArgumentError(`cannot encode request: ${reason}`, { service: where.service, operation: where.operation.name });
}
