// What an element's `xsi:type` declares, against the type the API table expects there. The readers
// decode by the table's type, so a declaration is not needed to read a value; but one that
// contradicts the table is a wrong answer, not a value: `<getOpensReturn xsi:type="xsd:string"/>`
// read by the table as an array is an empty page, and a ClosedLoop window would be passed for good
// with its events unread. So an array must not be declared a single value, a single value not an
// array, and a number, boolean or string not another of the three. Type names are compared by local
// name (`xsd:`, `xs:`, `soapenc:`, any prefix); names the rules do not know (`xsd:anyType`,
// `xsd:dateTime`) are left to the value's own checks (docs/optimizely-client.md, "Choices").
import type { SoapType } from '../../api/types';

type Family = 'array' | 'string' | 'integer' | 'boolean';

const FAMILIES: Readonly<Record<string, Family>> = {
  Array: 'array',
  string: 'string',
  normalizedString: 'string',
  token: 'string',
  int: 'integer',
  long: 'integer',
  short: 'integer',
  byte: 'integer',
  integer: 'integer',
  unsignedInt: 'integer',
  unsignedLong: 'integer',
  unsignedShort: 'integer',
  unsignedByte: 'integer',
  nonNegativeInteger: 'integer',
  positiveInteger: 'integer',
  nonPositiveInteger: 'integer',
  negativeInteger: 'integer',
  boolean: 'boolean',
};

function familyOf(declared: string): Family | undefined {
  const local = declared.slice(declared.indexOf(':') + 1);
  // Axis names array types `ArrayOf_xsd_string`, `ArrayOfArrayOf_xsd_string` in its WSDLs (API notes §1.2).
  if (local.startsWith('ArrayOf')) return 'array';
  return Object.hasOwn(FAMILIES, local) ? FAMILIES[local] : undefined;
}

function expectedFamily(type: SoapType): Family | undefined {
  if (type.endsWith('[]')) return 'array';
  if (type === 'string') return 'string';
  if (type === 'int' || type === 'long') return 'integer';
  return type === 'boolean' ? 'boolean' : undefined;
}

/** True when the declared type (undefined: none) does not contradict the table's type. */
export function declaredTypeFits(declared: string | undefined, expected: SoapType): boolean {
  if (declared === undefined) return true;
  const family = familyOf(declared);
  const wanted = expectedFamily(expected);
  // An array must say it is one whenever it says anything: an unknown single-value type for a page is no page.
  if (wanted === 'array') return family === 'array';
  return family === undefined || family === wanted;
}

/** What was wrong, without the server's type text. */
export function declaredTypeProblem(expected: SoapType): string {
  return expected.endsWith('[]')
    ? `a ${expected} value is declared (xsi:type) as a single value`
    : `a ${expected} value is declared (xsi:type) as another type`;
}

/**
 * For the fast paths, over a tag's attributes by qualified name: false (decline) when a `type`
 * contradicts `expected` or two attributes other than namespace declarations share a local name
 * (the general reader refuses both).
 */
export function attributesFit(attributes: ReadonlyMap<string, string>, expected: SoapType): boolean {
  const seen = new Set<string>();
  for (const [name, value] of attributes) {
    if (name.startsWith('xmlns')) continue;
    const local = name.slice(name.indexOf(':') + 1);
    if (seen.has(local) || (local === 'type' && !declaredTypeFits(value, expected))) return false;
    seen.add(local);
  }
  return true;
}
