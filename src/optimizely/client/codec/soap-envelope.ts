// The strict frame of a response: the document is one Envelope element in the SOAP 1.1 namespace
// whose element children are an optional Header and a Body, both in that namespace. Anything else
// (an HTML error page that mentions the operation, a second root, an Envelope of another
// namespace) is not a SOAP answer, whatever it contains.
import { ownValue } from '../../../own-value';
import { SOAP_ENV_NS } from './soap-value';
import { elementChildren, localName, tagOf, type XmlNode } from './xml-tree';

/** The Body of a strictly framed envelope, or undefined. */
export function soapBody(document: readonly XmlNode[]): XmlNode | undefined {
  const roots = document.filter((node) => tagOf(node) !== undefined);
  const envelope = roots.length === 1 ? roots[0]! : undefined;
  if (!envelope || !inSoapNamespace(envelope, 'Envelope', [])) return undefined;
  const children = elementChildren(envelope);
  const [first, second] = children;
  const body =
    children.length === 1 ? first : children.length === 2 && first && inSoapNamespace(first, 'Header', [envelope]) ? second : undefined;
  return body && inSoapNamespace(body, 'Body', [envelope]) ? body : undefined;
}

/** True when the element has the local name and its prefix resolves to the SOAP 1.1 namespace. */
function inSoapNamespace(node: XmlNode, local: string, ancestors: readonly XmlNode[]): boolean {
  const tag = tagOf(node)!;
  if (localName(tag) !== local) return false;
  const colon = tag.indexOf(':');
  const declaration = colon < 0 ? 'xmlns' : `xmlns:${tag.slice(0, colon)}`;
  for (const scope of [node, ...[...ancestors].reverse()]) {
    const uri = declared(scope, declaration);
    if (uri !== undefined) return uri === SOAP_ENV_NS;
  }
  return false;
}

function declared(node: XmlNode, declaration: string): string | undefined {
  const attrs = node[':@'] as Record<string, string> | undefined;
  return attrs !== undefined ? ownValue(attrs, declaration) : undefined;
}
