// A small strict XML scanner for SOAP requests. fast-xml-parser 5 needs about 55 ms of CPU for one
// 390 KB addAll3 envelope (1000 recipients x 10 attributes, warm JIT), which alone would cap the
// simulator near 18,000 recipients/s, below what the client benchmark needs; this scanner needs
// about 4 ms. It refuses
// DTDs (<!DOCTYPE, <!ENTITY: no XXE, no entity expansion) and processing instructions, checks that
// tags balance, and keeps only what SOAP binding needs: local names, attributes, leaf text.
import { decodeEntities } from './xml-entities';
import type { XmlNode } from './xml-node';
import { XmlRejectedError } from './xml-rejected-error';

const MAX_DEPTH = 64;

const localName = (qname: string): string => qname.slice(qname.indexOf(':') + 1);

/** Parses a document and returns its root element. */
export function scanXml(xml: string): XmlNode {
  // Open elements as two parallel arrays, and the tag end in module state rather than a result
  // object: an addAll3 envelope has ~13,000 elements and these allocations showed in the profile.
  const nodes: XmlNode[] = [];
  const qnames: string[] = [];
  let root: XmlNode | undefined;
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
      const node = openTag(xml, lt);
      const parent = nodes[nodes.length - 1];
      if (parent) parent.children.push(node);
      else root = node;
      if (!tag.selfClosing) {
        if (nodes.length >= MAX_DEPTH) throw new XmlRejectedError('nesting too deep');
        nodes.push(node);
        qnames.push(tag.qname);
      }
      pos = tag.end;
    }
  }
  if (!root || nodes.length > 0) throw new XmlRejectedError('unexpected end of document');
  return root;
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

function openTag(xml: string, lt: number): XmlNode {
  let i = lt + 1;
  while (i < xml.length && !isNameEnd(xml.charCodeAt(i))) i++;
  const qname = xml.slice(lt + 1, i);
  if (qname === '') throw new XmlRejectedError('empty tag name');
  const node: XmlNode = { name: localName(qname), attrs: null, children: [], text: '' };
  tag.qname = qname;
  for (;;) {
    while (isSpace(xml.charCodeAt(i))) i++;
    const c = xml.charCodeAt(i);
    if (c === 0x3e /* > */) return opened(node, i + 1, false);
    if (c === 0x2f && xml.charCodeAt(i + 1) === 0x3e) return opened(node, i + 2, true);
    ATTR.lastIndex = i;
    const m = ATTR.exec(xml);
    if (!m || m[1] === undefined) throw new XmlRejectedError('malformed attribute');
    if (!m[1].startsWith('xmlns')) (node.attrs ??= {})[localName(m[1])] = decodeEntities(m[2] ?? m[3] ?? '');
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
