// Navigation over fast-xml-parser's preserveOrder output: each node is `{ [tag]: children, ':@'?: attrs }`
// or `{ '#text': text }`. Tag and attribute names keep their prefixes (stripping them in the parser
// doubles its cost), so lookups compare local names here.
export type XmlNode = Record<string, unknown>;
type Attributes = Record<string, string>;

const ATTRS = ':@';
const TEXT = '#text';

/** The element's tag with prefix, or undefined for a text node. */
export function tagOf(node: XmlNode): string | undefined {
  for (const key in node) if (key !== ATTRS) return key === TEXT ? undefined : key;
  return undefined;
}

export function localName(tag: string): string {
  const colon = tag.indexOf(':');
  return colon < 0 ? tag : tag.slice(colon + 1);
}

/** Element children in document order (text and whitespace are skipped). */
export function elementChildren(node: XmlNode): XmlNode[] {
  const tag = tagOf(node);
  const children = tag === undefined ? undefined : (node[tag] as XmlNode[] | undefined);
  if (!children) return [];
  const out: XmlNode[] = [];
  for (const child of children) if (!(TEXT in child)) out.push(child);
  return out;
}

/** Concatenated text content of an element (entities already decoded by the parser). */
export function textOf(node: XmlNode): string {
  const tag = tagOf(node);
  const children = tag === undefined ? undefined : (node[tag] as XmlNode[] | undefined);
  if (!children || children.length === 0) return '';
  if (children.length === 1) return String(children[0]![TEXT] ?? '');
  let text = '';
  for (const child of children) if (TEXT in child) text += String(child[TEXT]);
  return text;
}

/** An attribute by local name, whatever prefix the writer chose (xsi:nil, x:nil, nil). */
export function attribute(node: XmlNode, local: string): string | undefined {
  const attrs = node[ATTRS] as Attributes | undefined;
  if (!attrs) return undefined;
  const direct = attrs[local];
  if (direct !== undefined) return direct;
  for (const key in attrs) if (localName(key) === local) return attrs[key];
  return undefined;
}

export function findChild(nodes: readonly XmlNode[], local: string): XmlNode | undefined {
  for (const node of nodes) {
    const tag = tagOf(node);
    if (tag !== undefined && localName(tag) === local) return node;
  }
  return undefined;
}

/** The first element with the local name anywhere below `root` (depth first, no recursion). */
export function findDescendant(root: XmlNode, local: string): XmlNode | undefined {
  const pending = elementChildren(root).reverse();
  for (let node = pending.pop(); node; node = pending.pop()) {
    if (localName(tagOf(node)!) === local) return node;
    const children = elementChildren(node);
    for (let i = children.length - 1; i >= 0; i--) pending.push(children[i]!);
  }
  return undefined;
}

/** How many elements lie below `root` (depth first, no recursion). */
export function countElements(root: XmlNode): number {
  let count = 0;
  const pending = elementChildren(root);
  for (let node = pending.pop(); node; node = pending.pop()) {
    count++;
    for (const child of elementChildren(node)) pending.push(child);
  }
  return count;
}
