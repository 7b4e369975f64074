import { API_SURFACE, findOperation, SOAP_NAMESPACE } from '../../../src/optimizely/api/surface';
import { generateWsdl } from '../../../src/optimizely/api/wsdl';
import { HANDLERS, SESSIONLESS } from '../../../src/simulator/services';

describe('API surface', () => {
  it('has a simulator handler for every operation', () => {
    const missing = API_SURFACE.flatMap((s) =>
      s.operations.filter((op) => !HANDLERS[s.service]?.[op.name] && !SESSIONLESS[op.name]).map((op) => `${s.service}.${op.name}`),
    );
    expect(missing).toEqual([]);
  });

  it('finds operations with a case-insensitive service name', () => {
    expect(findOperation('recipient', 'addAll3')?.params.map((p) => p.name)).toEqual([
      'sessionId',
      'recipientListId',
      'optinProcessId',
      'recipientIds',
      'addresses',
      'attributeNames',
      'attributeValues',
    ]);
    expect(findOperation('Recipient', 'ADDALL3')).toBeUndefined();
  });

  it('generates an Axis-style rpc/encoded WSDL with positional parts and ArrayOf types', () => {
    const wsdl = generateWsdl('recipient', 'http://h/soap11/RpcRecipient');
    expect(wsdl).toContain(`targetNamespace="${SOAP_NAMESPACE('Recipient')}"`);
    expect(wsdl).toContain(
      '<wsdl:message name="addAll3Request"><wsdl:part name="in0" type="soapenc:string"/><wsdl:part name="in1" type="xsd:long"/>',
    );
    expect(wsdl).toContain('<wsdl:part name="in6" type="impl:ArrayOfArrayOf_xsd_string"/>');
    expect(wsdl).toContain('<wsdl:part name="addAll3Return" type="impl:ArrayOf_xsd_int"/>');
    expect(wsdl).toContain('<wsdlsoap:binding style="rpc" transport="http://schemas.xmlsoap.org/soap/http"/>');
    expect(wsdl).toContain('<wsdlsoap:operation soapAction=""/>');
    expect(wsdl).toContain('<wsdl:message name="clearResponse"></wsdl:message>');
    expect(wsdl).toContain('<wsdlsoap:address location="http://h/soap11/RpcRecipient"/>');
  });
});
