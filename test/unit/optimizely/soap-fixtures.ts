import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Reads a hand-written envelope from test/fixtures/soap. */
export function soapFixture(name: string): string {
  return readFileSync(join(__dirname, '../../fixtures/soap', name), 'utf8');
}

const ENC = 'soapenv:encodingStyle="http://schemas.xmlsoap.org/soap/encoding/"';
/** An addAll3 answer as Axis writes it, multiRefs in reverse order. */
export function addAll3Response(codes: number[]): string {
  const items = codes.map((_, i) => `<addAll3Return href="#id${i}"/>`).join('');
  const refs = codes
    .map(
      (code, i) =>
        `<multiRef id="id${i}" soapenc:root="0" ${ENC} xsi:type="xsd:int" xmlns:soapenc="http://schemas.xmlsoap.org/soap/encoding/">${code}</multiRef>`,
    )
    .reverse()
    .join('');
  return (
    '<?xml version="1.0" encoding="utf-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">' +
    `<soapenv:Body><ns1:addAll3Response ${ENC} xmlns:ns1="urn:api.broadmail.de/soap11/RpcRecipient"><addAll3Return soapenc:arrayType="xsd:int[${codes.length}]" xsi:type="soapenc:Array" xmlns:soapenc="http://schemas.xmlsoap.org/soap/encoding/">` +
    `${items}</addAll3Return></ns1:addAll3Response>${refs}</soapenv:Body></soapenv:Envelope>`
  );
}
