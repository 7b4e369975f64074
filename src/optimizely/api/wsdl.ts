// Renders a service of the API table as an Apache Axis 1.4 style WSDL: rpc/encoded, parts in0…,
// return part <op>Return, ArrayOf_xsd_* array types, one WebserviceException fault, soapAction "".
// Generated from the table, never copied, so the simulator and the client cannot drift apart.
import { findService, SOAP_NAMESPACE } from './surface';
import type { OperationSpec, SoapType } from './types';

const ENC = 'http://schemas.xmlsoap.org/soap/encoding/';

/** WSDL type of a table type; Axis maps java.lang.String to soapenc:string, primitives to xsd:*. */
export function wsdlType(type: SoapType): string {
  switch (type) {
    case 'string':
      return 'soapenc:string';
    case 'string[][]':
      return 'impl:ArrayOfArrayOf_xsd_string';
    case 'void':
      throw new Error('void has no WSDL type');
    default:
      return type.endsWith('[]') ? `impl:ArrayOf_xsd_${type.slice(0, -2)}` : `xsd:${type}`;
  }
}

function arrayType(name: string, itemType: string): string {
  return [
    `<complexType name="${name}"><complexContent><restriction base="soapenc:Array">`,
    `<attribute ref="soapenc:arrayType" wsdl:arrayType="${itemType}[]"/>`,
    '</restriction></complexContent></complexType>',
  ].join('');
}

function schema(ns: string): string {
  return [
    `<wsdl:types><schema targetNamespace="${ns}" xmlns="http://www.w3.org/2001/XMLSchema">`,
    `<import namespace="${ENC}"/>`,
    ...['string', 'int', 'long', 'boolean'].map((s) => arrayType(`ArrayOf_xsd_${s}`, `xsd:${s}`)),
    arrayType('ArrayOfArrayOf_xsd_string', 'impl:ArrayOf_xsd_string'),
    '<complexType name="WebserviceException"><sequence>',
    '<element name="cause" nillable="true" type="xsd:anyType"/>',
    '<element name="message" nillable="true" type="soapenc:string"/>',
    '</sequence></complexType></schema></wsdl:types>',
  ].join('');
}

function messages(op: OperationSpec): string {
  const parts = op.params.map((p, i) => `<wsdl:part name="in${i}" type="${wsdlType(p.type)}"/>`).join('');
  const ret = op.returns === 'void' ? '' : `<wsdl:part name="${op.name}Return" type="${wsdlType(op.returns)}"/>`;
  return `<wsdl:message name="${op.name}Request">${parts}</wsdl:message>` + `<wsdl:message name="${op.name}Response">${ret}</wsdl:message>`;
}

function portOperation(op: OperationSpec): string {
  const order = op.params.length > 0 ? ` parameterOrder="${op.params.map((_, i) => `in${i}`).join(' ')}"` : '';
  return [
    `<wsdl:operation name="${op.name}"${order}>`,
    `<wsdl:input message="impl:${op.name}Request" name="${op.name}Request"/>`,
    `<wsdl:output message="impl:${op.name}Response" name="${op.name}Response"/>`,
    '<wsdl:fault message="impl:WebserviceException" name="WebserviceException"/>',
    '</wsdl:operation>',
  ].join('');
}

function bindingOperation(op: OperationSpec, ns: string): string {
  const body = `<wsdlsoap:body encodingStyle="${ENC}" namespace="${ns}" use="encoded"/>`;
  return [
    `<wsdl:operation name="${op.name}"><wsdlsoap:operation soapAction=""/>`,
    `<wsdl:input name="${op.name}Request">${body}</wsdl:input>`,
    `<wsdl:output name="${op.name}Response">${body}</wsdl:output>`,
    '<wsdl:fault name="WebserviceException">',
    `<wsdlsoap:fault encodingStyle="${ENC}" name="WebserviceException" namespace="${ns}" use="encoded"/>`,
    '</wsdl:fault></wsdl:operation>',
  ].join('');
}

/** The WSDL of one service (name case-insensitive) whose port points at `endpointUrl`. */
export function generateWsdl(service: string, endpointUrl: string): string {
  const spec = findService(service);
  if (!spec) throw new Error(`Unknown service: ${service}`);
  const ns = SOAP_NAMESPACE(spec.service);
  const portType = `${spec.service}Webservice`;
  const binding = `Rpc${spec.service}SoapBinding`;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<wsdl:definitions targetNamespace="${ns}" xmlns:apachesoap="http://xml.apache.org/xml-soap"`,
    ` xmlns:impl="${ns}" xmlns:intf="${ns}" xmlns:soapenc="${ENC}"`,
    ' xmlns:wsdl="http://schemas.xmlsoap.org/wsdl/" xmlns:wsdlsoap="http://schemas.xmlsoap.org/wsdl/soap/"',
    ' xmlns:xsd="http://www.w3.org/2001/XMLSchema">',
    schema(ns),
    '<wsdl:message name="WebserviceException"><wsdl:part name="fault" type="impl:WebserviceException"/></wsdl:message>',
    ...spec.operations.map(messages),
    `<wsdl:portType name="${portType}">${spec.operations.map(portOperation).join('')}</wsdl:portType>`,
    `<wsdl:binding name="${binding}" type="impl:${portType}">`,
    '<wsdlsoap:binding style="rpc" transport="http://schemas.xmlsoap.org/soap/http"/>',
    ...spec.operations.map((op) => bindingOperation(op, ns)),
    '</wsdl:binding>',
    `<wsdl:service name="${portType}Service"><wsdl:port binding="impl:${binding}" name="Rpc${spec.service}">`,
    `<wsdlsoap:address location="${escapeAttr(endpointUrl)}"/></wsdl:port></wsdl:service>`,
    '</wsdl:definitions>',
  ].join('');
}

function escapeAttr(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
}
