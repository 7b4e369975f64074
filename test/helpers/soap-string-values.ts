import fc from 'fast-check';
import { isXmlText } from '../../src/optimizely/client/codec/xml-escape';

// String values for the SOAP reader properties: full Unicode, with the characters that need escapes,
// line ends and entity look-alikes mixed in, empty strings, nulls and long texts.
const tricky = fc.constantFrom(
  '&',
  '<',
  '>',
  '"',
  "'",
  '\r',
  '\n',
  '\r\n',
  '\t',
  ' ',
  '&amp;',
  '&#13;',
  ']]>',
  '\u{1F600}',
  'Fault',
  '<!--',
);

export const soapStringValue: fc.Arbitrary<string | null> = fc.oneof(
  fc.string({ unit: fc.oneof(fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }), tricky), maxLength: 30 }),
  fc.constant(''),
  fc.constant(null),
  fc.string({ unit: 'grapheme', minLength: 200, maxLength: 2000 }),
);

/** True when XML can carry every value (the fast paths then must not decline). */
export const legalValues = (values: readonly (string | null)[]): boolean => values.every((v) => v === null || isXmlText(v));
