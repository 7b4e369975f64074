/** One element of a parsed request: local name, attributes by local name, children, leaf text. */
export interface XmlNode {
  name: string;
  attrs: Record<string, string> | null;
  children: XmlNode[];
  text: string;
  /** Namespace URI of the element, resolved for the root and its children only (Envelope, Body). */
  namespace?: string;
}
