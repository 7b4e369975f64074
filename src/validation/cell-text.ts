// The one conversion of a CRM cell to the text a recipient carries. A cell is `unknown`: SQL drivers
// hand over numbers, bigints, booleans, Dates (also invalid ones), Buffers and JSON objects; a broken
// adapter anything at all. Converting must never throw (one odd cell would fail the whole export,
// before the clear but for every row) and never invent text: a value without an honest text form
// is `unreadable`, and the row is excluded naming its column (docs/crm.md, "Reason codes").

export type CellText = { kind: 'text'; text: string } | { kind: 'absent' } | { kind: 'unreadable' };

const ABSENT: CellText = { kind: 'absent' };
const UNREADABLE: CellText = { kind: 'unreadable' };
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** The text form of a cell: strings as they are, finite numbers, bigints, booleans, valid Dates (ISO 8601) and UTF-8 bytes. */
export function cellText(value: unknown): CellText {
  if (value === null || value === undefined) return ABSENT;
  switch (typeof value) {
    case 'string':
      return { kind: 'text', text: value };
    case 'number':
      return Number.isFinite(value) ? { kind: 'text', text: String(value) } : UNREADABLE;
    case 'bigint':
    case 'boolean':
      return { kind: 'text', text: String(value) };
    case 'object':
      return objectText(value);
    default:
      return UNREADABLE;
  }
}

function objectText(value: object): CellText {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? UNREADABLE : { kind: 'text', text: value.toISOString() };
  if (value instanceof Uint8Array) {
    try {
      return { kind: 'text', text: utf8.decode(value) };
    } catch {
      return UNREADABLE;
    }
  }
  // Plain objects and arrays (JSON columns) have no single text form: "[object Object]" is not a value.
  return UNREADABLE;
}
