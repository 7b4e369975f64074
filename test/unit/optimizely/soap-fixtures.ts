import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Reads a hand-written envelope from test/fixtures/soap. */
export function soapFixture(name: string): string {
  return readFileSync(join(__dirname, '../../fixtures/soap', name), 'utf8');
}

const ENC = 'soapenv:encodingStyle="http://schemas.xmlsoap.org/soap/encoding/"';
/** An addAll3 answer as Axis writes it, multiRefs in reverse order. */
export function addAll3Response(codes: number[]): string {
  return multiRefArrayResponse('addAll3', 'int', codes);
}

/** A removeAll answer (boolean[]) as Axis writes it, multiRefs in reverse order. */
export function removeAllResponse(answers: boolean[]): string {
  return multiRefArrayResponse('removeAll', 'boolean', answers);
}

/** An array answer of `type` items with each item's text as given (the caller escapes it). */
export function multiRefArrayResponse(operation: string, type: string, values: readonly (number | boolean | string)[]): string {
  const items = values.map((_, i) => `<${operation}Return href="#id${i}"/>`).join('');
  const refs = values
    .map(
      (value, i) =>
        `<multiRef id="id${i}" soapenc:root="0" ${ENC} xsi:type="xsd:${type}" xmlns:soapenc="http://schemas.xmlsoap.org/soap/encoding/">${value}</multiRef>`,
    )
    .reverse()
    .join('');
  return (
    '<?xml version="1.0" encoding="utf-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">' +
    `<soapenv:Body><ns1:${operation}Response ${ENC} xmlns:ns1="urn:api.broadmail.de/soap11/RpcRecipient"><${operation}Return soapenc:arrayType="xsd:${type}[${values.length}]" xsi:type="soapenc:Array" xmlns:soapenc="http://schemas.xmlsoap.org/soap/encoding/">` +
    `${items}</${operation}Return></ns1:${operation}Response>${refs}</soapenv:Body></soapenv:Envelope>`
  );
}
