// Finds the operation call in a parsed request. Dispatch follows Axis 1.4 (reference §1.3): the
// local name of the first Body child names the operation; its namespace and SOAPAction are ignored.
// Body children after the first that carry an id are multiRef targets for href parameters.
import { FAULT_TEXTS } from '../../optimizely/api/fault-texts';
import { SoapFault } from './soap-fault';
import type { XmlNode } from './xml-node';

export interface OperationCall {
  operation: string;
  params: XmlNode[];
  refs: Map<string, XmlNode>;
}

export function readOperationCall(root: XmlNode): OperationCall {
  if (root.name !== 'Envelope') throw SoapFault.impl(`${FAULT_TEXTS.malformedRequest}: no SOAP Envelope`);
  const body = root.children.find((child) => child.name === 'Body');
  const call = body?.children[0];
  if (!body || !call) throw SoapFault.impl(`${FAULT_TEXTS.malformedRequest}: no operation in the SOAP Body`);
  const refs = new Map<string, XmlNode>();
  for (const node of body.children.slice(1)) {
    const id = node.attrs?.id;
    if (id !== undefined) refs.set(id, node);
  }
  return { operation: call.name, params: call.children, refs };
}
