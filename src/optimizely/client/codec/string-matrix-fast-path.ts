// A fast path for `string[][]` answers (ClosedLoop pages: up to 1000 rows of inline string arrays,
// getAll/getAllAdvanced pages). fast-xml-parser allocates about 35 KB per row building its tree for
// them (bench/response-ingest). Like the string[] fast path it reads only the exact Axis document —
// Envelope, Body, response element, the outer return array, each row an inline array named like it
// (`soapenc:arrayType`, `xsi:type`, namespace declarations only) holding the string items the
// string[] fast path reads — and declines (returns undefined) at anything else so the general reader
// decides: a nil or self-closing row, hrefs/ids, a row or outer array whose declared length differs
// from its items, and everything the string[] fast path declines inside a row.
import { closeTag, lengthAsDeclared, openTag, type Scan } from './multiref-array-fast-path';
import { arrayAttributesExpected, readInlineReturn, stringItems } from './string-array-fast-path';

/** The decoded rows (null for nil items), or undefined when the body is not exactly the Axis shape. */
export function readStringMatrix(xml: string, operation: string): (string | null)[][] | undefined {
  return readInlineReturn(xml, operation, rowsOf);
}

/** The rows up to and including the outer array's closing tag; each an inline array named like it. */
function rowsOf(scan: Scan, returnTag: string): (string | null)[][] | undefined {
  const rows: (string | null)[][] = [];
  for (;;) {
    if (closeTag(scan, returnTag)) return rows;
    const row = openTag(scan, returnTag);
    // openTag also takes a prefixed name ending in the local one: a row must carry the outer name exactly.
    if (!row || row.qname !== returnTag || !arrayAttributesExpected(row.attributes)) return undefined;
    const values = stringItems(scan, returnTag);
    if (!values || !lengthAsDeclared(row.attributes, values.length)) return undefined;
    rows.push(values);
  }
}
