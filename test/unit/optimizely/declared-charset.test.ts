// The client reads a body as UTF-8 only. An answer declaring another encoding (the Content-Type
// charset, the XML declaration) whose bytes happen to be valid UTF-8 was read as other text than the
// server meant: `MÃ¼ller` sent as ISO-8859-1 came back as `Müller`, a name or a ClosedLoop cell
// silently changed. The property drives the real client over HTTP with a list name written in some
// encoding and declared in the header, the declaration, both or neither, rightly or wrongly: a value
// comes back only when nothing declares another encoding than UTF-8, and then exactly the name; anything else
// is refused with a bounded message naming the call and the declared name as a plain label at most.
import fc from 'fast-check';
import { OptimizelyResponseError } from '../../../src/errors/optimizely-response-error';
import { OptimizelyResponseRejectedError } from '../../../src/errors/optimizely-response-rejected-error';
import { escapeXml } from '../../../src/simulator/soap/xml-escape';
import { hostileServerPerFile } from '../../helpers/hostile-soap-server';

const hostile = hostileServerPerFile();

const name = fc.string({ unit: fc.constantFrom('a', 'M', 'ü', 'Ã', '¼', 'é', '€', '中', ' ', '&', '<'), maxLength: 12 });
const byteEncoding = fc.constantFrom<BufferEncoding>('utf8', 'latin1', 'utf16le');
const charset = fc.constantFrom(
  undefined,
  'utf-8',
  'UTF-8',
  '"utf-8"',
  'utf8',
  'iso-8859-1',
  'ISO-8859-15',
  'windows-1252',
  'us-ascii',
  'utf-16',
  '"not a name"',
);
const declaration = fc.constantFrom(undefined, 'utf-8', 'UTF-8', 'ISO-8859-1', 'windows-1252', 'UTF-16', 'latin1');
const isUtf8 = (label: string | undefined): boolean => label === undefined || /^"?utf-?8"?$/i.test(label);

const answer = (text: string, encoding: string | undefined) =>
  `<?xml version="1.0"${encoding === undefined ? '' : ` encoding="${encoding}"`}?>` +
  '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:soapenc="http://schemas.xmlsoap.org/soap/encoding/"><soapenv:Body>' +
  '<ns1:getNameResponse xmlns:ns1="urn:api.broadmail.de/soap11/RpcRecipientList">' +
  `<getNameReturn xsi:type="soapenc:string">${escapeXml(text)}</getNameReturn></ns1:getNameResponse></soapenv:Body></soapenv:Envelope>`;

describe('an answer declaring its encoding', () => {
  it('is read only as UTF-8 declared or undeclared, and then exactly; otherwise refused with a bounded message', async () => {
    await fc.assert(
      fc.asyncProperty(name, byteEncoding, charset, declaration, async (text, bytesAs, headerCharset, declared) => {
        const body = Buffer.from(answer(text, declared), bytesAs);
        const contentType = headerCharset === undefined ? 'text/xml' : `text/xml; charset=${headerCharset}`;
        hostile.answer((res) => res.writeHead(200, { 'Content-Type': contentType }).end(body));
        const outcome = await hostile.call((client) => client.recipientList.getName({ listId: 7 }));
        if ('value' in outcome) {
          expect(isUtf8(headerCharset) && isUtf8(declared)).toBe(true);
          // What the bytes spell as UTF-8 (latin1 keeps each character's low byte: 中 is written as `-`).
          expect(outcome.value).toBe(bytesAs === 'utf8' ? text : Buffer.from(text, bytesAs).toString('utf8'));
          return;
        }
        const error = outcome.error as Error;
        expect([OptimizelyResponseError, OptimizelyResponseRejectedError].some((type) => error instanceof type)).toBe(true);
        expect(error.message).toMatch(/^RecipientList\.getName: [\x20-\x7e]{10,150}$/);
        if (!isUtf8(headerCharset))
          expect(error.message).toMatch(/^RecipientList\.getName: response declares charset ([A-Za-z0-9._:-]{1,40}|unknown), not UTF-8$/);
      }),
      { numRuns: 300 },
    );
  });
});
