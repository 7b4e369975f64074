// ClosedLoop writes every time as `2026-12-01T16:58:57.124+00:00`: one fixed shape, in UTC. Reading
// it the general way (a regular expression, Date.parse, a Date and toISOString) was a large part of
// classifying a response row on the reading thread. A time of exactly that shape whose fields name a
// real calendar instant is its own UTC ISO form with `Z` for the zone, read here by its characters;
// any other text is left to the general readers, which give it the answer they always gave
// (test/unit/validation/canonical-utc-time.test.ts compares both for any text).

/** `YYYY-MM-DDTHH:MM:SS.mmm`: the part shared with toISOString's form. */
const STEM = 23;
/** toISOString's length: the stem and `Z`. */
const ISO_LENGTH = STEM + 1;
const ZERO_OFFSET = '+00:00';

/** The stem's shape: `d` a digit, any other character itself. */
const SHAPE = 'dddd-dd-ddTdd:dd:dd.ddd';
const DIGIT = 0x64; // d

function numberAt(text: string, at: number, digits: number): number {
  let value = 0;
  for (let i = at; i < at + digits; i += 1) value = value * 10 + text.charCodeAt(i) - 0x30;
  return value;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/**
 * The UTC ISO form (as toISOString writes it) of `YYYY-MM-DDTHH:MM:SS.mmm` followed by `Z` or
 * `+00:00`, each field in its calendar range (no 30 February, no hour 24, no leap second); undefined
 * for any other text, which the caller reads the general way. For such a time, Date.parse and
 * toISOString give back this form, and the strict reader (parseZonedTime) the instant it names.
 */
export function canonicalUtcIso(text: string): string | undefined {
  const { length } = text;
  if (length === ISO_LENGTH) {
    if (text.charCodeAt(STEM) !== 0x5a) return undefined; // Z
  } else if (length !== STEM + ZERO_OFFSET.length || !text.endsWith(ZERO_OFFSET)) return undefined;
  for (let i = 0; i < STEM; i += 1) {
    const code = text.charCodeAt(i);
    const shape = SHAPE.charCodeAt(i);
    if (shape === DIGIT ? code < 0x30 || code > 0x39 : code !== shape) return undefined;
  }
  const year = numberAt(text, 0, 4);
  const month = numberAt(text, 5, 2);
  const day = numberAt(text, 8, 2);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  if (numberAt(text, 11, 2) > 23 || numberAt(text, 14, 2) > 59 || numberAt(text, 17, 2) > 59) return undefined;
  return length === ISO_LENGTH ? text : `${text.slice(0, STEM)}Z`;
}

/** The instant (ms) of a canonicalUtcIso answer from year 100 on (Date.UTC reads years 0–99 as 1900–1999). */
export function msOfCanonicalIso(iso: string): number {
  return Date.UTC(
    numberAt(iso, 0, 4),
    numberAt(iso, 5, 2) - 1,
    numberAt(iso, 8, 2),
    numberAt(iso, 11, 2),
    numberAt(iso, 14, 2),
    numberAt(iso, 17, 2),
    numberAt(iso, 20, 3),
  );
}
