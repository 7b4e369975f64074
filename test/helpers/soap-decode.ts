// A test-side reader of simulator replies that resolves href/multiRef, so assertions see values.
import { scanXml } from '../../src/simulator/soap/xml-scanner';
import type { XmlNode } from '../../src/simulator/soap/xml-node';

export type Decoded = string | null | Decoded[];

export interface DecodedReply {
  status: number;
  text: string;
  /** The return value (scalars as their text), undefined for void or a fault. */
  value: Decoded | undefined;
  fault: string | null;
  faultCode: string | null;
  multiRefIds: string[];
}

export function decodeSoapReply(status: number, text: string): DecodedReply {
  const reply: DecodedReply = { status, text, value: undefined, fault: null, faultCode: null, multiRefIds: [] };
  if (text === '') return reply;
  const body = scanXml(text).children.find((c) => c.name === 'Body');
  const first = body?.children[0];
  if (!body || !first) return reply;
  if (first.name === 'Fault') {
    reply.fault = first.children.find((c) => c.name === 'faultstring')?.text ?? null;
    reply.faultCode = first.children.find((c) => c.name === 'faultcode')?.text ?? null;
    return reply;
  }
  const refs = new Map<string, XmlNode>();
  for (const node of body.children.slice(1)) {
    if (node.attrs?.id) refs.set(node.attrs.id, node);
    if (node.name === 'multiRef' && node.attrs?.id) reply.multiRefIds.push(node.attrs.id);
  }
  const ret = first.children[0];
  if (ret) reply.value = decode(ret, refs);
  return reply;
}

function decode(node: XmlNode, refs: Map<string, XmlNode>): Decoded {
  const href = node.attrs?.href;
  if (href) return decode(refs.get(href.slice(1)) as XmlNode, refs);
  if (node.attrs?.nil === 'true') return null;
  if (node.attrs?.type === 'soapenc:Array') return node.children.map((c) => decode(c, refs));
  return node.text;
}
