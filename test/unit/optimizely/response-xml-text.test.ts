// Text in an answer that XML 1.0 does not allow — a reference to a control character, a surrogate or a
// code point past U+10FFFF, an HTML entity name, an undeclared entity, a raw control character — is no
// answer. The parser under the general reader read such text anyway and handed back another value:
// `M&#1;ller` as `Mller`, `&#x110000;` and `&foo;` literally, `&nbsp;` as U+00A0; and the page fast
// path read `&toString;` as "function toString() { [native code] }". The property drives
// the real client over HTTP (a string answer and a page cell, whose fast path declines such text and
// leaves it to the general reader) and checks that a value comes back only when every piece of it is
// XML, and then exactly the value the pieces spell; otherwise an OptimizelyResponseError naming the call.
import fc from 'fast-check';
import { OptimizelyResponseError } from '../../../src/errors/optimizely-response-error';
import { isXmlText } from '../../../src/optimizely/client/codec/xml-escape';
import type { OptimizelyPort } from '../../../src/optimizely/client/optimizely-port';
import { hostileServerPerFile } from '../../helpers/hostile-soap-server';

/** A piece of element text as written on the wire, and the text it stands for (undefined: XML refuses it). */
interface Piece {
  wire: string;
  value: string | undefined;
}

const plain = fc
  .string({ unit: 'binary', maxLength: 6 })
  .filter((text) => isXmlText(text) && !/[&<>\r]/.test(text))
  .map((text): Piece => ({ wire: text, value: text }));
const named = fc
  .constantFrom<[string, string]>(['amp', '&'], ['lt', '<'], ['gt', '>'], ['quot', '"'], ['apos', "'"])
  .map(([name, value]): Piece => ({ wire: `&${name};`, value }));
const xmlCodePoint = fc.oneof(
  fc.constantFrom(0x09, 0x0a, 0x0d, 0x20, 0xe4, 0xd7ff, 0xe000, 0xfffd, 0x10000, 0x1f600, 0x10ffff),
  fc.integer({ min: 0x20, max: 0xd7ff }),
  fc.integer({ min: 0x10000, max: 0x10ffff }),
);
const notXmlCodePoint = fc.oneof(
  fc.constantFrom(0, 1, 8, 0x0b, 0x0c, 0x0e, 0x1f, 0xd800, 0xdfff, 0xfffe, 0xffff, 0x110000),
  fc.integer({ min: 0xd800, max: 0xdfff }),
  fc.integer({ min: 0x110000, max: 0xfffff0 }),
);
const written = (code: number, style: 'decimal' | 'hex') => (style === 'decimal' ? `&#${code};` : `&#x${code.toString(16)};`);
const style = fc.constantFrom<'decimal' | 'hex'>('decimal', 'hex');
const reference = fc
  .tuple(xmlCodePoint, style)
  .map(([code, how]): Piece => ({ wire: written(code, how), value: String.fromCodePoint(code) }));
const refused = fc.oneof(
  fc.tuple(notXmlCodePoint, style).map(([code, how]): Piece => ({ wire: written(code, how), value: undefined })),
  fc.constantFrom('&nbsp;', '&copy;', '&eacute;', '&euro;', '&foo;', '&x;').map((wire): Piece => ({ wire, value: undefined })),
  // Names of Object.prototype's members: the fast path's entity table found them there.
  fc
    .constantFrom('&toString;', '&constructor;', '&valueOf;', '&__proto__;', '&hasOwnProperty;')
    .map((wire): Piece => ({ wire, value: undefined })),
  fc.constantFrom('\u0001', '\u0008', '\u000b', '\u001f', '\ufffe', '\uffff').map((wire): Piece => ({ wire, value: undefined })),
);
const pieces = fc.array(fc.oneof({ weight: 3, arbitrary: plain }, named, reference, refused), { minLength: 1, maxLength: 6 });

const ENVELOPE = (body: string) =>
  '<?xml version="1.0" encoding="utf-8"?><soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" ' +
  `xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><soapenv:Body>${body}</soapenv:Body></soapenv:Envelope>`;
const ENC = 'soapenv:encodingStyle="http://schemas.xmlsoap.org/soap/encoding/" xmlns:soapenc="http://schemas.xmlsoap.org/soap/encoding/"';

interface Call {
  name: string;
  answer: (text: string) => string;
  read: (client: OptimizelyPort) => Promise<string | null | undefined>;
}
const CALLS: Call[] = [
  {
    name: 'RecipientList.getName',
    answer: (text) =>
      ENVELOPE(
        `<ns1:getNameResponse ${ENC} xmlns:ns1="urn:api.broadmail.de/soap11/RpcRecipientList"><getNameReturn xsi:type="soapenc:string">${text}</getNameReturn></ns1:getNameResponse>`,
      ),
    read: (client) => client.recipientList.getName({ listId: 7 }),
  },
  {
    name: 'Recipient.getAllAdvanced',
    answer: (text) =>
      ENVELOPE(
        `<ns1:getAllAdvancedResponse ${ENC} xmlns:ns1="urn:api.broadmail.de/soap11/RpcRecipient">` +
          '<getAllAdvancedReturn soapenc:arrayType="xsd:string[][1]" xsi:type="soapenc:Array">' +
          '<getAllAdvancedReturn soapenc:arrayType="xsd:string[1]" xsi:type="soapenc:Array">' +
          `<getAllAdvancedReturn xsi:type="xsd:string">${text}</getAllAdvancedReturn></getAllAdvancedReturn></getAllAdvancedReturn></ns1:getAllAdvancedResponse>`,
      ),
    read: async (client) => {
      const rows = await client.recipient.getAllAdvanced({ listId: 7, attributeNames: ['name'], pageStart: 0, pageSize: 10 });
      return rows[0]?.[0];
    },
  },
];

const hostile = hostileServerPerFile();

describe('text XML 1.0 does not allow in an answer', () => {
  it('is refused naming the call; an answer of XML text comes back exactly as its pieces spell it', async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...CALLS), pieces, async (call, drawn) => {
        const wire = drawn.map((piece) => piece.wire).join('');
        hostile.answer((res) => res.writeHead(200, { 'Content-Type': 'text/xml; charset=utf-8' }).end(call.answer(wire)));
        const outcome = await hostile.call(call.read);
        const values = drawn.map((piece) => piece.value);
        if (values.every((value) => value !== undefined)) {
          expect(outcome).toEqual({ value: values.join('') });
          return;
        }
        expect('error' in outcome && outcome.error).toBeInstanceOf(OptimizelyResponseError);
        expect((outcome as { error: Error }).error.message).toBe(
          `${call.name}: response holds a character or reference XML 1.0 does not allow`,
        );
      }),
      { numRuns: 300 },
    );
  });

  it.each([
    ['a reference to a control character', 'M&#1;ller'],
    ['a reference past U+10FFFF', 'a&#x110000;b'],
    ['an HTML entity name', 'a&nbsp;b'],
    ['an undeclared entity', 'a&foo;b'],
    ['the name of an object member', 'a&toString;b'],
  ])('refuses %s (the parser alone read it as another value)', async (_name, text) => {
    hostile.answer((res) => res.end(CALLS[0]!.answer(text)));
    const outcome = await hostile.call(CALLS[0]!.read);
    expect('error' in outcome && (outcome.error as Error).message).toBe(
      'RecipientList.getName: response holds a character or reference XML 1.0 does not allow',
    );
  });

  it('still reads references and literal ampersands in CDATA sections, comments and processing instructions', async () => {
    hostile.answer((res) => res.end(CALLS[0]!.answer('Tom &amp; &#x1F600;<![CDATA[ & &foo; ]]><!-- & --><?pi & ?>&#228;')));
    expect(await hostile.call(CALLS[0]!.read)).toEqual({ value: 'Tom & \u{1F600} & &foo; \u00e4' });
  });
});
