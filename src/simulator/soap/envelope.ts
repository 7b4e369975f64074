// Finds the operation call in a parsed request. Dispatch follows Axis 1.4 (API notes §1.3): the
// local name of the first Body child names the operation; its namespace and SOAPAction are ignored.
// Body children after the first that carry an id are multiRef targets for href parameters. The
// frame itself is strict: the root is an Envelope in the SOAP 1.1 namespace, and its Body (after an
// optional Header, nothing else beside it) is in that namespace too.
import { FAULT_TEXTS } from '../../optimizely/api/fault-texts';
import { SOAP_ENV_NS } from '../../optimizely/client/codec/soap-value';
import { SoapFault } from './soap-fault';
import type { XmlNode } from './xml-node';

export interface OperationCall {
  operation: string;
  params: XmlNode[];
  refs: Map<string, XmlNode>;
}

export function readOperationCall(root: XmlNode): OperationCall {
  if (root.name !== 'Envelope' || root.namespace !== SOAP_ENV_NS)
    throw SoapFault.impl(`${FAULT_TEXTS.malformedRequest}: no SOAP 1.1 Envelope`);
  const [first, second] = root.children;
  const body = root.children.length === 1 ? first : root.children.length === 2 && isSoap(first, 'Header') ? second : undefined;
  if (!isSoap(body, 'Body')) throw SoapFault.impl(`${FAULT_TEXTS.malformedRequest}: no SOAP 1.1 Body`);
  const call = body.children[0];
  if (!call) throw SoapFault.impl(`${FAULT_TEXTS.malformedRequest}: no operation in the SOAP Body`);
  const refs = new Map<string, XmlNode>();
  for (const node of body.children.slice(1)) {
    const id = node.attrs?.id;
    if (id !== undefined) refs.set(id, node);
  }
  return { operation: call.name, params: call.children, refs };
}

function isSoap(node: XmlNode | undefined, name: string): node is XmlNode {
  return node !== undefined && node.name === name && node.namespace === SOAP_ENV_NS;
}
