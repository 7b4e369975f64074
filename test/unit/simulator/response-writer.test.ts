import { findOperation } from '../../../src/optimizely/api/surface';
import { writeFault, writeResponse } from '../../../src/simulator/soap/response-writer';

const opts = { shuffleMultiRefs: false };

describe('writeResponse', () => {
  it('writes void as an empty response element', () => {
    expect(writeResponse('Recipient', findOperation('Recipient', 'clear')!, undefined, opts)).toContain(
      '<ns1:clearResponse soapenv:encodingStyle="http://schemas.xmlsoap.org/soap/encoding/" xmlns:ns1="urn:api.broadmail.de/soap11/RpcRecipient"/>',
    );
  });

  it('writes an int as href plus a multiRef sibling of the response element', () => {
    const xml = writeResponse('Recipient', findOperation('Recipient', 'add2')!, 5, opts);
    expect(xml).toContain('<add2Return href="#id0"/></ns1:add2Response><multiRef id="id0" soapenc:root="0"');
    expect(xml).toContain('xsi:type="xsd:int" xmlns:soapenc="http://schemas.xmlsoap.org/soap/encoding/">5</multiRef>');
  });

  it('writes string[][] as inline nested arrays with nil items and escaped text', () => {
    const xml = writeResponse('Recipient', findOperation('Recipient', 'getAll')!, [['a&b', null]], opts);
    expect(xml).toContain('soapenc:arrayType="xsd:string[][1]"');
    expect(xml).toContain(
      '<getAllReturn soapenc:arrayType="xsd:string[2]" xsi:type="soapenc:Array"><getAllReturn xsi:type="soapenc:string">a&amp;b</getAllReturn><getAllReturn xsi:type="soapenc:string" xsi:nil="true"/></getAllReturn>',
    );
  });

  it('writes an Axis fault', () => {
    expect(writeFault('x < y')).toContain('<faultcode>soapenv:Server.userException</faultcode><faultstring>x &lt; y</faultstring>');
  });
});
