import fc from 'fast-check';
import { decodeEntities, isXmlChar } from '../../../src/simulator/soap/xml-entities';
import { XmlRejectedError } from '../../../src/simulator/soap/xml-rejected-error';

describe('decodeEntities', () => {
  it('decodes the predefined entities and exact character references', () => {
    expect(decodeEntities('&lt;&gt;&amp;&quot;&apos;&#65;&#x42;&#x1F600;')).toBe('<>&"\'AB😀');
  });

  it.each([
    ['&constructor;', 'undefined entity &constructor;'],
    ['&__proto__;', 'undefined entity &__proto__;'],
    ['&toString;', 'undefined entity &toString;'],
    ['&hasOwnProperty;', 'undefined entity &hasOwnProperty;'],
    ['&#1;', 'does not allow (1)'],
    ['&#xD800;', 'does not allow (55296)'],
    ['&#xFFFE;', 'does not allow (65534)'],
    ['&#x110000;', 'does not allow'],
    ['Tom & Jerry', 'a bare &'],
    ['&amp', 'a bare &'],
    ['&#12a;', 'malformed character reference'],
    ['&#x;', 'malformed character reference'],
    ['&#-1;', 'malformed character reference'],
    ['&;', 'undefined entity &…;'],
  ])('refuses %s', (text, reason) => {
    expect(() => decodeEntities(`a${text}b`)).toThrow(XmlRejectedError);
    expect(() => decodeEntities(`a${text}b`)).toThrow(reason);
  });

  it('round-trips any XML text written with character references, and refuses anything else with XmlRejectedError only', () => {
    const xmlChar = fc
      .integer({ min: 0, max: 0x10ffff })
      .filter(isXmlChar)
      .map((code) => String.fromCodePoint(code));
    const text = fc.array(xmlChar, { maxLength: 30 }).map((chars) => chars.join(''));
    fc.assert(
      fc.property(text, (value) => {
        const escaped = [...value].map((ch) => (ch === '&' || ch === '<' ? `&#${ch.codePointAt(0)};` : ch)).join('');
        expect(decodeEntities(escaped)).toBe(value);
      }),
    );
    fc.assert(
      fc.property(fc.string({ maxLength: 40, unit: fc.constantFrom('&', '#', 'x', ';', 'a', '1', 'D', '8', '0', '_', 'p') }), (raw) => {
        try {
          const decoded = decodeEntities(raw);
          // Accepted: every & began a valid reference, so the result has no character XML refuses.
          expect([...decoded].every((ch) => isXmlChar(ch.codePointAt(0)!))).toBe(true);
        } catch (error) {
          expect(error).toBeInstanceOf(XmlRejectedError);
        }
      }),
    );
  });
});
