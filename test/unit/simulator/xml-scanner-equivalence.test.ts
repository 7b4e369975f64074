import fc from 'fast-check';
import { API_SURFACE, SOAP_NAMESPACE } from '../../../src/optimizely/api/surface';
import { writeRequest } from '../../../src/optimizely/client/codec/request-writer';
import { scanXml } from '../../../src/simulator/soap/xml-scanner';
import { hostileText } from '../../helpers/hostile-text';
import { referenceScanXml } from '../../helpers/reference-xml-scanner';

// The scanner reads a leaf (`<item>text</item>`) in one step and reuses the previous tag's name when
// the next tag repeats it; the reference is the scanner before that. For any document (well-formed
// envelopes with hostile values, and soup of tags that almost repeat, spaced or foreign closing
// tags, comments, CDATA, references good and bad, DTDs, nesting past the limit) both build the same
// tree or refuse with the same error. Documents are scanned in sequence, so a name remembered from
// one document is tried on the next.

type Outcome = { tree: unknown } | { error: string };

function outcome(scan: (xml: string) => unknown, xml: string): Outcome {
  try {
    return { tree: scan(xml) };
  } catch (error) {
    return { error: `${(error as Error).name}: ${(error as Error).message}` };
  }
}

const names = ['item', 'items', 'ite', 'a:item', 'b:item', 'item:a', 'x', 'soapenv:Body', 'in0'];
const token = fc.oneof(
  fc.constantFrom(...names).map((n) => `<${n}>`),
  fc.constantFrom(...names).map((n) => `</${n}>`),
  fc.constantFrom(...names).map((n) => `</${n} >`),
  fc.constantFrom(...names).map((n) => `<${n}/>`),
  fc.constantFrom(...names).map((n) => `<${n} xsi:type="xsd:string">`),
  fc.constantFrom(...names).map((n) => `<${n} xmlns:a="urn:a" a:id='1'>`),
  fc.constantFrom(...names).map((n) => `<${n}\n>`),
  fc.constantFrom('&amp;', '&lt;', '&#65;', '&#x1F600;', '&#1;', '&bogus;', '&', '&#xD800;', '<![CDATA[a<b]]>', '<!-- c -->'),
  fc.constantFrom('<?pi x?>', '<!DOCTYPE a>', '<', '>', '/', ' ', '\n', '<>', '</>', '<item', '</item'),
  fc.string({ maxLength: 6 }),
  hostileText.map((text) => text.slice(0, 8)),
);
const soup = fc.array(token, { maxLength: 40 }).map((tokens) => tokens.join(''));
const wrapped = soup.map((inner) => `<?xml version="1.0"?><e:Envelope xmlns:e="urn:e"><e:Body>${inner}</e:Body></e:Envelope>`);
const deep = fc.integer({ min: 60, max: 68 }).map((depth) => '<item>'.repeat(depth) + 'x' + '</item>'.repeat(depth));

const recipient = API_SURFACE.find((s) => s.service === 'Recipient')!;
const addAll3 = recipient.operations.find((o) => o.name === 'addAll3')!;
/** addAll3 as the client writes it, values from the hostile text a CRM may hand over; unwritable values skipped. */
const envelope = fc
  .array(fc.tuple(fc.option(hostileText, { freq: 6 }), fc.option(hostileText, { freq: 6 })), { maxLength: 6 })
  .map((rows) => {
    const ids = rows.map(([id]) => id);
    const values = rows.map(([id, value]) => [id, value]);
    try {
      const args = ['session', 7, 0, ids, ids, ['email', 'name'], values];
      return writeRequest({ namespace: SOAP_NAMESPACE('Recipient'), operation: addAll3, args });
    } catch {
      return '<a>unwritable</a>';
    }
  });
const mutated = fc
  .tuple(envelope, fc.nat(), fc.nat({ max: 8 }), fc.constantFrom('', ' ', '<', '>', '/', '&', '</item>', '<item>', 'x'))
  .map(([xml, at, cut, insert]) => {
    const i = at % (xml.length + 1);
    return xml.slice(0, i) + insert + xml.slice(i + cut);
  });

describe('scanXml against the scanner before its leaf fast path', () => {
  it('builds the same tree or refuses the same way, document after document', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(soup, wrapped, deep, envelope, mutated), { minLength: 1, maxLength: 4 }), (documents) => {
        for (const xml of documents) expect(outcome(scanXml, xml)).toEqual(outcome(referenceScanXml, xml));
      }),
      { numRuns: 3000 },
    );
  });

  it('reads a written addAll3 envelope into the same tree', () => {
    const ids = Array.from({ length: 50 }, (_, i) => `r${i}@example.org`);
    const args = ['s', 1, 0, ids, ids, ['email', 'city'], ids.map((id, i) => [id, i % 2 ? 'Zürich & Umgebung' : null])];
    const xml = writeRequest({ namespace: SOAP_NAMESPACE('Recipient'), operation: addAll3, args });
    const tree = outcome(scanXml, xml);
    expect(tree).toEqual(outcome(referenceScanXml, xml));
    expect('tree' in tree).toBe(true);
  });
});
