// Binds request parameters to an operation as Axis 1.4 does (API notes §1.3): a child whose name is
// the Java parameter name binds to it; `inN` binds to position N; any other name binds to the next
// unbound position. xsi:type and soapenc:arrayType are ignored (declared types rule), array items may
// have any element name, xsi:nil is null, href="#id" follows a multiRef.
import { FAULT_TEXTS } from '../../optimizely/api/fault-texts';
import type { OperationSpec, SoapType } from '../../optimizely/api/types';
import { SoapFault } from './soap-fault';
import type { XmlNode } from './xml-node';

export type BoundValue =
  string | number | boolean | null | (string | null)[] | (number | null)[] | (boolean | null)[] | (string | null)[][];
export type BoundParams = Record<string, BoundValue>;

export function bindParams(spec: OperationSpec, params: XmlNode[], refs: Map<string, XmlNode>): BoundParams {
  const slots: (XmlNode | undefined)[] = new Array(spec.params.length);
  let bound = 0;
  for (const node of params) {
    let index = spec.params.findIndex((p) => p.name === node.name);
    if (index === -1 && /^in\d+$/.test(node.name)) index = Number(node.name.slice(2));
    if (index === -1 || slots[index] !== undefined) index = firstFree(slots, bound);
    if (index >= spec.params.length || index === -1) throw invalid(`too many parameters for ${spec.name}`);
    slots[index] = node;
    bound++;
  }
  const out: BoundParams = {};
  spec.params.forEach((param, i) => {
    out[param.name] = convert(deref(slots[i], refs), param.type, param.name, refs);
  });
  return out;
}

function firstFree(slots: (XmlNode | undefined)[], preferred: number): number {
  if (preferred < slots.length && slots[preferred] === undefined) return preferred;
  for (let i = 0; i < slots.length; i++) if (slots[i] === undefined) return i;
  return -1;
}

function deref(node: XmlNode | undefined, refs: Map<string, XmlNode>): XmlNode | undefined {
  const href = node?.attrs?.href;
  if (href === undefined || !href.startsWith('#')) return node;
  const target = refs.get(href.slice(1));
  if (!target) throw invalid(`unresolved href ${href}`);
  return target;
}

const isNil = (node: XmlNode | undefined): boolean => !node || node.attrs?.nil === 'true' || node.attrs?.nil === '1';

function convert(node: XmlNode | undefined, type: SoapType, name: string, refs: Map<string, XmlNode>): BoundValue {
  if (type === 'string[][]') return isNil(node) ? [] : node!.children.map((row) => stringItems(deref(row, refs) as XmlNode, refs));
  if (type.endsWith('[]')) {
    if (isNil(node)) return [];
    const scalar = type.slice(0, -2) as SoapType;
    return node!.children.map((item) => scalarValue(deref(item, refs), scalar, name)) as BoundValue;
  }
  return scalarValue(node, type, name);
}

function stringItems(row: XmlNode, refs: Map<string, XmlNode>): (string | null)[] {
  return row.children.map((item) => {
    const target = item.attrs === null ? item : deref(item, refs);
    return isNil(target) ? null : target!.text;
  });
}

function scalarValue(node: XmlNode | undefined, type: SoapType, name: string): string | number | boolean | null {
  if (isNil(node)) return null;
  const text = node!.text;
  if (type === 'string') return text;
  const trimmed = text.trim();
  if (type === 'boolean') {
    if (trimmed === 'true' || trimmed === '1') return true;
    if (trimmed === 'false' || trimmed === '0') return false;
    throw invalid(`${name} is not a boolean`);
  }
  if (!/^-?\d{1,19}$/.test(trimmed)) throw invalid(`${name} is not a number`);
  const value = Number(trimmed);
  // A long beyond 2^53 would be rounded to another id by a JS number: refused, never rounded.
  if (!Number.isSafeInteger(value)) throw invalid(`${name} is out of range`);
  if (type === 'int' && (value > 2147483647 || value < -2147483648)) throw invalid(`${name} is out of range`);
  return value;
}

function invalid(detail: string): SoapFault {
  return SoapFault.impl(`${FAULT_TEXTS.invalidArgument}: ${detail}`);
}
