// A small strict XML scanner for SOAP requests. fast-xml-parser 5 needs about 55 ms of CPU for one
// 390 KB addAll3 envelope (1000 recipients x 10 attributes, warm JIT), which alone would cap the
// simulator near 18,000 recipients/s, below what the client benchmark needs; this scanner needs
// about 4 ms. It refuses
// DTDs (<!DOCTYPE, <!ENTITY: no XXE, no entity expansion) and processing instructions, checks that
// tags balance, and keeps only what SOAP binding needs: local names, attributes, leaf text, and the
// namespace of the two outer levels (Envelope, Body).
import { decodeEntities } from './xml-entities';
import type { XmlNode } from './xml-node';
import { XmlRejectedError } from './xml-rejected-error';

const MAX_DEPTH = 64;
// Characters XML 1.0 does not allow anywhere, even literally (the decoded text has no lone
// surrogates: the body was decoded as strict UTF-8).
// eslint-disable-next-line no-control-regex -- matching control characters is the point here
const NOT_XML_CHAR = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/;

const localName = (qname: string): string => qname.slice(qname.indexOf(':') + 1);

/** Parses a document and returns its root element. */
export function scanXml(xml: string): XmlNode {
  if (NOT_XML_CHAR.test(xml)) throw new XmlRejectedError('a character XML 1.0 does not allow');
  // Open elements as two parallel arrays, and the tag end in module state rather than a result
  // object: an addAll3 envelope has ~13,000 elements and these allocations showed in the profile.
  const nodes: XmlNode[] = [];
  const qnames: string[] = [];
  let root: XmlNode | undefined;
  let rootDeclarations: Map<string, string> | undefined;
  let pos = xml.charCodeAt(0) === 0xfeff ? 1 : 0;
  if (xml.startsWith('<?xml', pos)) pos = mustFind(xml, '?>', pos) + 2;
  while (pos < xml.length) {
    const lt = xml.indexOf('<', pos);
    const textEnd = lt === -1 ? xml.length : lt;
    if (textEnd > pos) addText(nodes, xml.slice(pos, textEnd));
    if (lt === -1) break;
    const next = xml.charCodeAt(lt + 1);
    if (next === 0x2f /* / */) {
      const gt = mustFind(xml, '>', lt);
      const qname = qnames.pop();
      nodes.pop();
      // Compare in place: no substring per closing tag.
      if (qname === undefined || !closes(xml, lt + 2, gt, qname)) throw new XmlRejectedError('mismatched closing tag');
      pos = gt + 1;
    } else if (next === 0x21 /* ! */) {
      pos = special(xml, lt, nodes);
    } else if (next === 0x3f /* ? */) {
      throw new XmlRejectedError('processing instructions are not accepted');
    } else {
      if (root && nodes.length === 0) throw new XmlRejectedError('content after the root element');
      // Namespaces matter only for the Envelope and its Body: declarations are kept for those two levels.
      const declarations = nodes.length <= 1 ? new Map<string, string>() : undefined;
      const node = openTag(xml, lt, declarations);
      if (declarations) node.namespace = resolveNamespace(tag.qname, declarations, nodes.length === 0 ? undefined : rootDeclarations);
      if (declarations && nodes.length === 0) rootDeclarations = declarations;
      const parent = nodes[nodes.length - 1];
      if (parent) parent.children.push(node);
      else root = node;
      if (tag.selfClosing) pos = tag.end;
      else if (nodes.length >= MAX_DEPTH) throw new XmlRejectedError('nesting too deep');
      else if ((pos = closedLeaf(xml, node)) === -1) {
        nodes.push(node);
        qnames.push(tag.qname);
        pos = tag.end;
      }
    }
  }
  if (!root || nodes.length > 0) throw new XmlRejectedError('unexpected end of document');
  return root;
}

/**
 * The leaf fast path: an element whose text runs straight to its own closing tag, written without
 * spaces (`<item>text</item>`, most of an addAll3 envelope's ~13,000 elements), is read in one step
 * instead of being pushed, given its text and popped; anything else (a child, a comment, CDATA,
 * another or a spaced closing tag) answers -1 and goes the general way. Same tree, same refusals:
 * test/unit/simulator/xml-scanner-equivalence.test.ts.
 */
function closedLeaf(xml: string, node: XmlNode): number {
  const lt = xml.indexOf('<', tag.end);
  const { qname } = tag;
  const gt = lt + 2 + qname.length;
  if (lt === -1 || xml.charCodeAt(lt + 1) !== 0x2f /* / */ || xml.charCodeAt(gt) !== 0x3e /* > */ || !xml.startsWith(qname, lt + 2))
    return -1;
  if (lt > tag.end) node.text = decodeEntities(xml.slice(tag.end, lt));
  return gt + 1;
}

function closes(xml: string, start: number, gt: number, qname: string): boolean {
  if (!xml.startsWith(qname, start)) return false;
  for (let i = start + qname.length; i < gt; i++) if (!isSpace(xml.charCodeAt(i))) return false;
  return true;
}

function mustFind(xml: string, token: string, from: number): number {
  const at = xml.indexOf(token, from);
  if (at === -1) throw new XmlRejectedError(`missing ${token}`);
  return at;
}

function addText(nodes: XmlNode[], raw: string): void {
  const top = nodes[nodes.length - 1];
  if (!top) {
    if (raw.trim() !== '') throw new XmlRejectedError('text outside the root element');
  } else if (top.text === '') top.text = decodeEntities(raw);
  else top.text += decodeEntities(raw);
}

function special(xml: string, lt: number, nodes: XmlNode[]): number {
  if (xml.startsWith('<!--', lt)) return mustFind(xml, '-->', lt + 4) + 3;
  if (xml.startsWith('<![CDATA[', lt)) {
    const end = mustFind(xml, ']]>', lt + 9);
    const top = nodes[nodes.length - 1];
    if (!top) throw new XmlRejectedError('CDATA outside the root element');
    top.text += xml.slice(lt + 9, end);
    return end + 3;
  }
  throw new XmlRejectedError('document type declarations and entity declarations are not accepted');
}

const ATTR = /\s*([^\s=/>]+)\s*=\s*(?:"([^"<]*)"|'([^'<]*)')/y;

/** What openTag found besides the node; valid until the next call (the scanner is synchronous). */
const tag = { qname: '', end: 0, selfClosing: false };

/** The namespace URI bound to the qualified name's prefix (or the default namespace), if declared. */
function resolveNamespace(qname: string, own: Map<string, string>, inherited: Map<string, string> | undefined): string | undefined {
  const colon = qname.indexOf(':');
  const prefix = colon < 0 ? '' : qname.slice(0, colon);
  return own.get(prefix) ?? inherited?.get(prefix);
}

/** The last tag name read and its local name: the next tag mostly repeats it (`<item>` after `<item>`). */
const lastName = { qname: '', name: '' };

function openTag(xml: string, lt: number, declarations: Map<string, string> | undefined): XmlNode {
  let i = lt + 1 + lastName.qname.length;
  if (lastName.qname === '' || !xml.startsWith(lastName.qname, lt + 1) || !isNameEnd(xml.charCodeAt(i))) {
    i = lt + 1;
    while (i < xml.length && !isNameEnd(xml.charCodeAt(i))) i++;
    const qname = xml.slice(lt + 1, i);
    if (qname === '') throw new XmlRejectedError('empty tag name');
    lastName.qname = qname;
    lastName.name = localName(qname);
  }
  const node: XmlNode = { name: lastName.name, attrs: null, children: [], text: '' };
  tag.qname = lastName.qname;
  for (;;) {
    while (isSpace(xml.charCodeAt(i))) i++;
    const c = xml.charCodeAt(i);
    if (c === 0x3e /* > */) return opened(node, i + 1, false);
    if (c === 0x2f && xml.charCodeAt(i + 1) === 0x3e) return opened(node, i + 2, true);
    ATTR.lastIndex = i;
    const m = ATTR.exec(xml);
    if (!m || m[1] === undefined) throw new XmlRejectedError('malformed attribute');
    const value = m[2] ?? m[3] ?? '';
    // No prototype: an attribute named __proto__ or constructor is just a key.
    if (!m[1].startsWith('xmlns')) (node.attrs ??= Object.create(null) as Record<string, string>)[localName(m[1])] = decodeEntities(value);
    else if (declarations && (m[1] === 'xmlns' || m[1].startsWith('xmlns:'))) declarations.set(m[1].slice(6), decodeEntities(value));
    i = ATTR.lastIndex;
  }
}

function opened(node: XmlNode, end: number, selfClosing: boolean): XmlNode {
  tag.end = end;
  tag.selfClosing = selfClosing;
  return node;
}

const isSpace = (c: number): boolean => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
const isNameEnd = (c: number): boolean => isSpace(c) || c === 0x3e || c === 0x2f || Number.isNaN(c);
