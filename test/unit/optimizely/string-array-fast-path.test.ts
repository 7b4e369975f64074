import fc from 'fast-check';
import { XMLValidator } from 'fast-xml-parser';
import { findOperation } from '../../../src/optimizely/api/surface';
import { readStringArray } from '../../../src/optimizely/client/codec/string-array-fast-path';
import { readResponse, type SoapReply } from '../../../src/optimizely/client/codec/response-reader';
import { writeResponse } from '../../../src/simulator/soap/response-writer';
import { isXmlText } from '../../../src/optimizely/client/codec/xml-escape';
import { legalValues, soapStringValue } from '../../helpers/soap-string-values';
import { applySplices, xmlSplice } from '../../helpers/xml-splices';

const flat = findOperation('Recipient', 'getAllAdvancedFlat')!;
const NUM_RUNS = 300;
/** The simulator's own writer: the exact bytes the client reads in the integration tests. */
const simulated = (values: (string | null)[]) => writeResponse('Recipient', flat, values, { shuffleMultiRefs: false });
/** The general reader alone: a trailing comment is legal XML that the fast path always declines. */
const general = (xml: string): SoapReply => readResponse(`${xml}<!-- -->`, flat);
const generalOrError = (xml: string): SoapReply | 'refused' => {
  try {
    return general(xml);
  } catch {
    return 'refused';
  }
};

/** Encodes like Axis may: each character raw, as a named entity or as a (zero-padded) numeric reference. */
function referenceEncoded(values: (string | null)[], choices: number[]): string {
  let k = 0;
  const encode = (text: string) =>
    [...text]
      .map((ch) => {
        const choice = choices[k++ % choices.length]!;
        const code = ch.codePointAt(0)!;
        if (choice === 1 || ch === '\r') return `&#${String(code).padStart(Math.min(7, String(code).length + (k % 3)), '0')};`;
        if (choice === 2) return `&#x${code.toString(16).padStart(Math.min(6, k % 7), '0')};`;
        return ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' } as Record<string, string>)[ch] ?? ch;
      })
      .join('');
  const items = values
    .map((v) =>
      v === null
        ? '<getAllAdvancedFlatReturn xsi:type="soapenc:string" xsi:nil="true"/>'
        : `<getAllAdvancedFlatReturn xsi:type="soapenc:string">${encode(v)}</getAllAdvancedFlatReturn>`,
    )
    .join('');
  return simulated([])
    .replace('soapenc:string[0]', `soapenc:string[${values.length}]`)
    .replace('</getAllAdvancedFlatReturn></ns1:', () => `${items}</getAllAdvancedFlatReturn></ns1:`);
}

describe('readStringArray', () => {
  it('reads the simulator shape: values, nil, empty strings', () => {
    expect(readStringArray(simulated(['a', null, '', '<&>"\'', 'x\ty\nz']), 'getAllAdvancedFlat')).toEqual([
      'a',
      null,
      '',
      '<&>"\'',
      'x\ty\nz',
    ]);
    expect(readStringArray(simulated([]), 'getAllAdvancedFlat')).toEqual([]);
  });

  it('agrees with the general reader on every array the simulator writes', () => {
    fc.assert(
      fc.property(fc.array(soapStringValue, { maxLength: 12 }), (values) => {
        const xml = simulated(values);
        const fast = readStringArray(xml, 'getAllAdvancedFlat');
        // Text XML cannot carry is the general reader's to judge; every legal array takes the fast path.
        if (legalValues(values)) expect(fast).toBeDefined();
        if (fast !== undefined) expect(general(xml)).toEqual({ kind: 'result', value: fast });
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('decodes the five entities and numeric references as the general reader does', () => {
    fc.assert(
      fc.property(
        fc.array(soapStringValue, { maxLength: 8 }),
        fc.array(fc.integer({ min: 0, max: 2 }), { minLength: 1, maxLength: 7 }),
        (values, choices) => {
          fc.pre(legalValues(values));
          const xml = referenceEncoded(values, choices);
          const fast = readStringArray(xml, 'getAllAdvancedFlat');
          expect(fast).toBeDefined();
          expect(general(xml)).toEqual({ kind: 'result', value: fast });
        },
      ),
      { numRuns: NUM_RUNS },
    );
  });

  it.each([
    ['a CDATA section', '<![CDATA[x]]>'],
    ['a comment', 'a<!-- c -->b'],
    ['an HTML entity', '&nbsp;'],
    ['an unknown entity', '&foo;'],
    ['an unterminated reference', '&amp'],
    ['an out-of-range reference', '&#x110000;'],
    ['a surrogate reference', '&#xD800;'],
    ['a NUL reference', '&#0;'],
    ['a non-character reference', '&#xFFFE;'],
    ['an uppercase hex reference', '&#X41;'],
    ['a raw control character', 'a\u0001b'],
    ['a lone surrogate', 'a\uD800b'],
    ['a raw >', 'a]]>b'],
    ['a nested element', '<b>x</b>'],
  ])('declines %s', (_name, inner) => {
    expect(readStringArray(simulated(['PLACEHOLDER']).replace('PLACEHOLDER', inner), 'getAllAdvancedFlat')).toBeUndefined();
  });

  it.each([
    ['a Fault', (xml: string) => xml.replace('<soapenv:Body>', '<soapenv:Body><soapenv:Fault><faultcode>x</faultcode></soapenv:Fault>')],
    ['a declared length that differs', (xml: string) => xml.replace('string[2]', 'string[3]')],
    ['a nil array', (xml: string) => xml.replace('soapenc:arrayType=', 'xsi:nil="true" soapenc:arrayType=')],
    [
      'an href item',
      (xml: string) => xml.replace('<getAllAdvancedFlatReturn xsi:type="soapenc:string">a<', '<getAllAdvancedFlatReturn href="#id0"/><'),
    ],
    ['a nil with content', (xml: string) => xml.replace('xsi:type="soapenc:string">a<', 'xsi:type="soapenc:string" xsi:nil="true">a<')],
    [
      'a nil declared as a namespace',
      (xml: string) => xml.replace('xsi:type="soapenc:string">a<', 'xsi:type="soapenc:string" xmlns:nil="true">a<'),
    ],
    ['a self-closing value', (xml: string) => xml.replace('xsi:nil="true"/>', '/>')],
    ['an unexpected attribute', (xml: string) => xml.replace('xsi:type="soapenc:string">a<', 'xsi:type="soapenc:string" lang="de">a<')],
    [
      'an item with another name',
      (xml: string) => xml.replace(/<getAllAdvancedFlatReturn xsi:type="soapenc:string">a<\/getAllAdvancedFlatReturn>/, '<item>a</item>'),
    ],
    ['trailing content', (xml: string) => `${xml}x`],
    ['a second Body child', (xml: string) => xml.replace('</soapenv:Body>', '<x/></soapenv:Body>')],
  ])('declines %s', (_name, mutate) => {
    expect(readStringArray(mutate(simulated(['a', null])), 'getAllAdvancedFlat')).toBeUndefined();
  });

  it('leaves the general reader to answer what it declines', () => {
    const xml = simulated(['PLACEHOLDER']).replace('PLACEHOLDER', 'a&#x10FFFF;<![CDATA[<b>]]>');
    expect(readStringArray(xml, 'getAllAdvancedFlat')).toBeUndefined();
    expect(readResponse(xml, flat)).toEqual({ kind: 'result', value: ['a\u{10FFFF}<b>'] });
  });
});

// Fragments that break documents the way a proxy, a cut connection or a hostile server would.
const FRAGMENTS = [
  '<',
  '>',
  '/',
  '"',
  "'",
  ' ',
  '=',
  '&',
  ';',
  '#',
  'x',
  '\uFEFF',
  '\u00A0',
  '\u0000',
  '\r',
  '\r\n',
  '&amp;',
  '&#65;',
  '&#x41;',
  '&lt',
  'nil="true"',
  'xsi:nil="true"',
  'href="#id0"',
  'id="id0"',
  'xmlns:x="y"',
  '<x>',
  '</x>',
  '/>',
  '<![CDATA[',
  ']]>',
  '<!-- -->',
  '<getAllAdvancedFlatReturn>',
  '</getAllAdvancedFlatReturn>',
  '<getAllAdvancedFlatReturn xsi:type="soapenc:string" xsi:nil="true"/>',
  'string[',
  ']',
  '9',
  'soapenv',
  'Body',
  'Envelope',
  'Fault',
];
const splice = xmlSplice(FRAGMENTS);

describe('getAllAdvancedFlat answers under mutation', () => {
  it('the fast path accepts only documents the general reader reads, and then agrees with it', () => {
    fc.assert(
      fc.property(fc.array(soapStringValue, { maxLength: 5 }), fc.array(splice, { minLength: 1, maxLength: 3 }), (values, edits) => {
        const xml = applySplices(simulated(values), edits);
        const fast = readStringArray(xml, 'getAllAdvancedFlat');
        if (fast === undefined) return;
        expect(XMLValidator.validate(xml)).toBe(true);
        expect(generalOrError(xml)).toEqual({ kind: 'result', value: fast });
        expect(readResponse(xml, flat)).toEqual({ kind: 'result', value: fast });
      }),
      { numRuns: NUM_RUNS * 4 },
    );
  });
});

// Opening tags an item may carry: the two the simulator writes, legal variants (white space, other
// prefixes, a namespace declaration) and near-misses the fast path must decline. The reader
// remembers the opening tags it accepted and recognises them again by their text, so arrays of many
// items mixing them must still read exactly as the general reader reads them.
const OPENINGS = [
  '<getAllAdvancedFlatReturn xsi:type="soapenc:string">',
  '<getAllAdvancedFlatReturn xsi:type="soapenc:string" xsi:nil="true"/>',
  ' <getAllAdvancedFlatReturn xsi:type="soapenc:string">',
  '<getAllAdvancedFlatReturn  xsi:type = "soapenc:string" >',
  '<getAllAdvancedFlatReturn xsi:type="soapenc:string" xsi:nil="true" />',
  '<getAllAdvancedFlatReturn xsi:nil="true" xsi:type="soapenc:string"/>',
  '<getAllAdvancedFlatReturn xmlns:q="urn:q" xsi:type="soapenc:string">',
  '<getAllAdvancedFlatReturn>',
  '<getAllAdvancedFlatReturn xsi:type="soapenc:string" xsi:nil="false"/>',
  '<getAllAdvancedFlatReturn xsi:type="soapenc:string" xsi:nil="true">',
  '<getAllAdvancedFlatReturn xsi:type="soapenc:string"/>',
  '<getAllAdvancedFlatReturn href="#id0"/>',
  '<getAllAdvancedFlatReturn xsi:type="soapenc:string" lang="de">',
  '<getAllAdvancedFlatReturnX xsi:type="soapenc:string">',
  '<ns1:getAllAdvancedFlatReturn xsi:type="soapenc:string">',
  '<getAllAdvancedFlatReturn xsi:type="soapenc:string>"',
];
const CLOSE = '</getAllAdvancedFlatReturn>';

describe('getAllAdvancedFlat answers with many items and varied opening tags', () => {
  it('read exactly as the general reader reads them, or declined', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(OPENINGS.length - 1), soapStringValue), { minLength: 1, maxLength: 40 }),
        fc.boolean(),
        (items, honestLength) => {
          const body = items
            .map(([k, v]) => {
              const open = OPENINGS[k]!;
              return open.endsWith('/>')
                ? open
                : `${open}${v === null ? '' : v.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')}${CLOSE}`;
            })
            .join('');
          const declared = honestLength ? items.length : items.length + 1;
          const xml = simulated([])
            .replace('soapenc:string[0]', `soapenc:string[${declared}]`)
            .replace('</getAllAdvancedFlatReturn></ns1:', () => `${body}</getAllAdvancedFlatReturn></ns1:`);
          const fast = readStringArray(xml, 'getAllAdvancedFlat');
          if (items.every(([k, v]) => k < 2 && (v === null || isXmlText(v))) && honestLength) expect(fast).toBeDefined();
          if (fast === undefined) return;
          expect(generalOrError(xml)).toEqual({ kind: 'result', value: fast });
        },
      ),
      { numRuns: NUM_RUNS * 2 },
    );
  });
});
