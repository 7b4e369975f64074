// Writes responses the way Apache Axis 1.4 does (API notes §1.4): strings inline, int/long/boolean
// (also inside arrays) as href + multiRef siblings of the response element, arrays of arrays inline,
// array items named like the return element, an empty response element for void.
import { SOAP_NAMESPACE } from '../../optimizely/api/surface';
import type { OperationSpec } from '../../optimizely/api/types';
import { escapeXml } from './xml-escape';

const ENC = 'http://schemas.xmlsoap.org/soap/encoding/';
const ENVELOPE_OPEN =
  '<?xml version="1.0" encoding="utf-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"' +
  ' xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><soapenv:Body>';
const ENVELOPE_CLOSE = '</soapenv:Body></soapenv:Envelope>';

export type ReturnValue = string | number | boolean | null | undefined | readonly unknown[];

export interface WriteOptions {
  /** Emit multiRefs in a random order, as the real server sometimes does. */
  shuffleMultiRefs: boolean;
}

export function writeResponse(service: string, op: OperationSpec, value: ReturnValue, options: WriteOptions): string {
  const open = `<ns1:${op.name}Response soapenv:encodingStyle="${ENC}" xmlns:ns1="${SOAP_NAMESPACE(service)}"`;
  if (op.returns === 'void') return `${ENVELOPE_OPEN}${open}/>${ENVELOPE_CLOSE}`;
  const tag = `${op.name}Return`;
  const refs: string[] = [];
  let inner: string;
  if (op.returns === 'string') inner = stringItem(tag, value as string | null, true);
  else if (op.returns === 'string[]') inner = stringArray(tag, value as (string | null)[]);
  else if (op.returns === 'string[][]') inner = nestedArray(tag, value as (string | null)[][]);
  else if (op.returns.endsWith('[]')) inner = scalarArray(tag, op.returns.slice(0, -2), value as unknown[], refs);
  else inner = `<${tag} href="#${addRef(refs, op.returns, value)}"/>`;
  if (options.shuffleMultiRefs) shuffle(refs);
  return `${ENVELOPE_OPEN}${open}>${inner}</ns1:${op.name}Response>${refs.join('')}${ENVELOPE_CLOSE}`;
}

function stringItem(tag: string, value: string | null | undefined, declareEnc: boolean): string {
  const ns = declareEnc ? ` xmlns:soapenc="${ENC}"` : '';
  if (value === null || value === undefined) return `<${tag} xsi:type="soapenc:string" xsi:nil="true"${ns}/>`;
  return `<${tag} xsi:type="soapenc:string"${ns}>${escapeXml(value)}</${tag}>`;
}

function stringArray(tag: string, values: (string | null)[]): string {
  const items = values.map((v) => stringItem(tag, v, false)).join('');
  return `<${tag} soapenc:arrayType="soapenc:string[${values.length}]" xsi:type="soapenc:Array" xmlns:soapenc="${ENC}">${items}</${tag}>`;
}

function nestedArray(tag: string, rows: (string | null)[][]): string {
  const inner = rows
    .map((row) => {
      const items = row.map((v) => stringItem(tag, v, false)).join('');
      return `<${tag} soapenc:arrayType="xsd:string[${row.length}]" xsi:type="soapenc:Array">${items}</${tag}>`;
    })
    .join('');
  return `<${tag} soapenc:arrayType="xsd:string[][${rows.length}]" xsi:type="soapenc:Array" xmlns:soapenc="${ENC}">${inner}</${tag}>`;
}

function scalarArray(tag: string, type: string, values: unknown[], refs: string[]): string {
  const items = values.map((v) => `<${tag} href="#${addRef(refs, type, v)}"/>`).join('');
  return `<${tag} soapenc:arrayType="xsd:${type}[${values.length}]" xsi:type="soapenc:Array" xmlns:soapenc="${ENC}">${items}</${tag}>`;
}

// The part of a multiRef after its id, per type and value: addAll3 answers 1000 of them, mostly the
// same few result codes, so each is built once.
const refTails = new Map<string, string>();

function addRef(refs: string[], type: string, value: unknown): string {
  const id = `id${refs.length}`;
  const key = `${type}:${String(value)}`;
  let tail = refTails.get(key);
  if (tail === undefined) {
    tail = `" soapenc:root="0" soapenv:encodingStyle="${ENC}" xsi:type="xsd:${type}" xmlns:soapenc="${ENC}">${String(value)}</multiRef>`;
    // Bounded: ids and counters are unbounded values, result codes are not.
    if (refTails.size < 1000) refTails.set(key, tail);
  }
  refs.push(`<multiRef id="${id}${tail}`);
  return id;
}

function shuffle<T>(items: T[]): void {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [items[i], items[j]] = [items[j] as T, items[i] as T];
  }
}

/** Axis-style fault envelope (API notes §8.1). */
export function writeFault(faultString: string): string {
  return (
    `${ENVELOPE_OPEN}<soapenv:Fault><faultcode>soapenv:Server.userException</faultcode>` +
    `<faultstring>${escapeXml(faultString)}</faultstring><detail>` +
    '<ns1:hostname xmlns:ns1="http://xml.apache.org/axis/">campaign-sync-simulator</ns1:hostname>' +
    `</detail></soapenv:Fault>${ENVELOPE_CLOSE}`
  );
}
