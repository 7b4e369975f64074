// Reads Axis 1.4 rpc/encoded responses (reference 1.4) with one fast-xml-parser pass: strings inline,
// int/long/boolean as href → multiRef in any order, arrays with any item name, xsi:nil, void, faults.
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { OptimizelyResponseError } from '../../../errors/optimizely-response-error';
import type { OperationSpec, SoapScalar, SoapType } from '../../api/types';
import { isUtf8Name, shownName } from './encoding-name';
import { readMultiRefArray } from './multiref-array-fast-path';
import { readStringArray } from './string-array-fast-path';
import { readStringMatrix } from './string-matrix-fast-path';
import type { SoapScalarValue, SoapValue } from './soap-value';
import { soapBody } from './soap-envelope';
import { declaredTypeFits, declaredTypeProblem } from './declared-type';
import { MAX_ELEMENT_DEPTH, nestsDeeperThan } from './element-depth';
import { isXmlDocumentText } from './xml-document-text';
import { attribute, countElements, elementChildren, findChild, findDescendant, localName, tagOf, textOf, type XmlNode } from './xml-tree';

export type SoapReply = { kind: 'result'; value: SoapValue } | { kind: 'fault'; faultCode: string; faultString: string };

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  attributeNamePrefix: '',
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  // Also enables numeric character references (&#228; &#xD;), which the parser leaves alone otherwise.
  htmlEntities: true,
  // Above the reader's own limit (element-depth.ts), checked before parsing with a reason that names it.
  maxNestedTags: MAX_ELEMENT_DEPTH * 2,
});
// Entity declarations have no place in a SOAP response; refusing them up front rules out XXE and
// entity expansion whatever the parser would do with them.
const DOCTYPE = /<!DOCTYPE|<!ENTITY/i;
// Bounded: only the declaration at the very start is looked at.
const XML_DECLARED_ENCODING = /^\uFEFF?<\?xml[^>?]{0,200}?[ \t\r\n]encoding[ \t\r\n]*=[ \t\r\n]*["']([^"'<>]{0,60})["']/;
const MAX_HREF_HOPS = 8;
const DECLARED_LENGTH = /\[(\d{1,9})\]$/;
const FAST_PATH_TYPES: ReadonlySet<SoapType> = new Set(['int[]', 'long[]', 'boolean[]']);

/** Decodes a response body for `operation`; a SOAP fault comes back as data for the caller to classify. */
export function readResponse(xml: string, operation: OperationSpec, about: { service?: string; subject?: string } = {}): SoapReply {
  const fail = (reason: string) => new OptimizelyResponseError(reason, { ...about, operation: operation.name });
  // The text is UTF-8 already (read-response-body.ts); a declaration of another encoding says the
  // server meant other characters than the ones read, so every path refuses it before reading.
  const encoding = XML_DECLARED_ENCODING.exec(xml)?.[1];
  if (encoding !== undefined && !isUtf8Name(encoding)) throw fail(`response declares encoding ${shownName(encoding)}, not UTF-8`);
  if (FAST_PATH_TYPES.has(operation.returns)) {
    const fast = readMultiRefArray(xml, operation.name, operation.returns.slice(0, -2) as SoapScalar);
    if (fast) return { kind: 'result', value: fast };
  } else if (operation.returns === 'string[]') {
    const fast = readStringArray(xml, operation.name);
    if (fast) return { kind: 'result', value: fast };
  } else if (operation.returns === 'string[][]') {
    const fast = readStringMatrix(xml, operation.name);
    if (fast) return { kind: 'result', value: fast };
  }
  if (DOCTYPE.test(xml)) throw fail('response contains a DOCTYPE or entity declaration');
  // The parser would drop, keep literally or guess such text instead of refusing it (xml-document-text.ts).
  if (!isXmlDocumentText(xml)) throw fail('response holds a character or reference XML 1.0 does not allow');
  // The parser alone is lenient: it builds a tree from markup that is not XML (`<<Fault>`, tags
  // closed out of order), and the tree it guesses may hide a Fault. Only a well-formed document is read.
  // Before the validator, which takes a second over a hostile 100,000-deep nest the parser would refuse anyway.
  if (nestsDeeperThan(xml)) throw fail(`response nests elements more than ${MAX_ELEMENT_DEPTH} deep (the reader's limit)`);
  if (XMLValidator.validate(xml) !== true) throw fail('response is not well-formed XML');
  let document: XmlNode[];
  try {
    document = parser.parse(xml) as XmlNode[];
  } catch {
    // The parser's message quotes the document (tag names, text), which may be recipient data and
    // would travel into the workflow history as the cause: only the fact is kept.
    throw fail('response is not well-formed XML');
  }
  const body = soapBody(document);
  if (!body) throw fail('response is not a SOAP 1.1 Envelope with a Body');
  const fault = findDescendant(body, 'Fault');
  if (fault) return readFault(fault);
  const parts = elementChildren(body);
  // Axis writes the response element first and the multiRefs after it; other writers may not.
  const [response, another] = parts.filter((part) => localName(tagOf(part)!) === `${operation.name}Response`);
  if (!response) throw fail(`response Body has no ${operation.name}Response`);
  // Two answers to one call: which of them the server meant would be a guess (a write's codes above all).
  if (another) throw fail(`response Body has more than one ${operation.name}Response`);
  if (operation.returns === 'void') {
    // Axis answers a void call with an empty response element. One holding a value or text
    // (`<clearReturn>false</clearReturn>`) does not say the write was done: taken as done, a write
    // the server refused would be recorded as applied.
    if (elementChildren(response).length > 0 || withoutXmlSpaceAround(textOf(response)) !== '')
      throw fail(`response to a void operation holds a value`);
    return { kind: 'result', value: null };
  }
  const [returned, ...more] = elementChildren(response);
  // No return element is no answer (never an empty page); nil is decoded as null, and each caller says what nil means.
  if (!returned) throw fail(`response has no return value (no ${operation.name}Return)`);
  // rpc/encoded has one return part; a second one would leave which to read to guesswork.
  if (more.length > 0) throw fail('response has more than one return value');
  const decoder = new Decoder(parts, countElements(body), fail);
  return { kind: 'result', value: decoder.decode(returned, operation.returns) };
}

function readFault(fault: XmlNode): SoapReply {
  const children = elementChildren(fault);
  const code = findChild(children, 'faultcode');
  const text = findChild(children, 'faultstring');
  return { kind: 'fault', faultCode: code ? textOf(code).trim() : '', faultString: text ? textOf(text) : '' };
}

class Decoder {
  private readonly refs = new Map<string, XmlNode>();
  /** Item positions (0-based) from the return value down to the value being decoded: where a refusal happened. */
  private readonly at: number[] = [];

  constructor(
    siblings: readonly XmlNode[],
    /**
     * Values the answer may decode to: the elements its Body holds. Without sharing each value is an
     * element of its own; hrefs sharing one multiRef array would otherwise multiply it (a thousand
     * hrefs to one 30,000-item row: 288 KB decoded for 27 s into 875 MB, blocking the worker).
     */
    private remaining: number,
    private readonly refuse: (reason: string) => Error,
  ) {
    for (const node of siblings) {
      const id = attribute(node, 'id');
      if (id === undefined) continue;
      // Two multiRefs with one id would make every href to it ambiguous.
      if (this.refs.has(id)) throw refuse('two multiRefs share an id');
      this.refs.set(id, node);
    }
  }

  decode(node: XmlNode, type: SoapType): SoapValue {
    if (--this.remaining < 0) throw this.refuse('multiRefs shared by several hrefs decode to more values than the answer has elements');
    const target = this.resolve(node, type);
    if (this.isNil(target)) {
      // Nil with text or elements inside (`<item xsi:nil="true">Jane</item>`): read as nil, the
      // content was dropped without a word; which of the two the server meant would be a guess.
      if (textOf(target) !== '' || elementChildren(target).length > 0) throw this.fail('a nil element has content');
      return null;
    }
    if (type.endsWith('[]')) return this.array(target, type.slice(0, -2) as SoapType);
    if (elementChildren(target).length > 0) throw this.fail(`a ${type} value has element content`);
    return this.scalar(textOf(target), type as SoapScalar);
  }

  /** The items of an array; a declared `soapenc:arrayType="…[n]"` must match the items present (a cut answer). */
  private array(target: XmlNode, itemType: SoapType): SoapValue[] {
    // Text where items belong (`<getOpensReturn>junk</getOpensReturn>`) is not an empty array: read
    // as one, a page of events would be "no events" and its window would be passed for good.
    if (withoutXmlSpaceAround(textOf(target)) !== '') throw this.fail('an array has text content');
    const items = elementChildren(target);
    const declared = DECLARED_LENGTH.exec(this.sole(target, 'arrayType') ?? '');
    if (declared && Number(declared[1]) !== items.length) throw this.fail('array length differs from its declared arrayType');
    const values: SoapValue[] = [];
    for (let i = 0; i < items.length; i++) {
      this.at.push(i);
      values.push(this.decode(items[i]!, itemType));
      this.at.pop();
    }
    return values;
  }

  /**
   * A refusal naming where the value sits (`item 3 of the return value`, `row 2, item 5 of …`): the
   * position only, never the server's element names or text.
   */
  private fail(reason: string): Error {
    const [row, item] = this.at;
    const place =
      row === undefined
        ? 'the return value'
        : item === undefined
          ? `item ${row + 1} of the return value`
          : `row ${row + 1}, item ${item + 1} of the return value`;
    return this.refuse(`${place}: ${reason}`);
  }

  /** The element holding the value, through hrefs; each element on the way must not declare another type. */
  private resolve(node: XmlNode, type: SoapType): XmlNode {
    let current = node;
    for (let hops = 0; hops < MAX_HREF_HOPS; hops++) {
      if (!declaredTypeFits(this.sole(current, 'type'), type)) throw this.fail(declaredTypeProblem(type));
      const href = this.sole(current, 'href');
      if (href === undefined) return current;
      // Nil and a reference at once: which of the two the server meant would be a guess.
      if (this.isNil(current)) throw this.fail('a nil element also refers to a multiRef');
      const target = href.startsWith('#') ? this.refs.get(href.slice(1)) : undefined;
      // The href is the server's text: not echoed.
      if (!target) throw this.fail('an href has no multiRef');
      current = target;
    }
    throw this.fail('href chain too long');
  }

  /** xsi:nil as XML Schema spells a boolean; any other spelling is no answer rather than a guess either way. */
  private isNil(node: XmlNode): boolean {
    const nil = this.sole(node, 'nil');
    if (nil === undefined || nil === 'false' || nil === '0') return false;
    if (nil === 'true' || nil === '1') return true;
    throw this.fail('xsi:nil is neither true nor false');
  }

  /**
   * An attribute the reader acts on, by local name; two of them (`a:nil="false" b:nil="true"`, two
   * hrefs, two types under different prefixes) would leave which one counts to reading rules.
   */
  private sole(node: XmlNode, local: string): string | undefined {
    const attrs = node[':@'] as Record<string, string> | undefined;
    if (!attrs) return undefined;
    let found: string | undefined;
    for (const key in attrs) {
      if (key.startsWith('xmlns') || localName(key) !== local) continue;
      if (found !== undefined) throw this.fail(`an element carries two ${local} attributes`);
      found = attrs[key];
    }
    return found;
  }

  private scalar(text: string, type: SoapScalar): SoapScalarValue {
    if (type === 'string') return text;
    const trimmed = withoutXmlSpaceAround(text);
    if (type === 'boolean') {
      if (trimmed === 'true' || trimmed === '1') return true;
      if (trimmed === 'false' || trimmed === '0') return false;
    } else if (/^[+-]?\d+$/.test(trimmed)) {
      const value = Number(trimmed);
      if (type === 'long' ? Number.isSafeInteger(value) : value >= -2147483648 && value <= 2147483647) return value;
    }
    throw this.fail(`value is not a valid ${type}`);
  }
}

/**
 * The text without the white space XML Schema collapses around a number or boolean (space, tab, LF,
 * CR) and nothing else: String.trim also strips U+00A0, U+FEFF, U+2028 and other characters no
 * schema reads as white space. A loop, since `/\s+$/` backtracks quadratically over a long run of spaces.
 */
function withoutXmlSpaceAround(text: string): string {
  let start = 0;
  let end = text.length;
  while (start < end && isXmlSpace(text.charCodeAt(start))) start++;
  while (end > start && isXmlSpace(text.charCodeAt(end - 1))) end--;
  return text.slice(start, end);
}

const isXmlSpace = (c: number): boolean => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
