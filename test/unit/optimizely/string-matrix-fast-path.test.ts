import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { XMLValidator } from 'fast-xml-parser';
import { findOperation } from '../../../src/optimizely/api/surface';
import { readResponse, type SoapReply } from '../../../src/optimizely/client/codec/response-reader';
import { readStringMatrix } from '../../../src/optimizely/client/codec/string-matrix-fast-path';
import { writeResponse } from '../../../src/simulator/soap/response-writer';
import { legalValues, soapStringValue } from '../../helpers/soap-string-values';
import { applySplices, xmlSplice } from '../../helpers/xml-splices';

const opens = findOperation('ClosedLoop', 'getOpens')!;
const NUM_RUNS = 300;
type Matrix = (string | null)[][];
/** The simulator's own writer: the exact bytes the client reads in the integration tests. */
const simulated = (rows: Matrix) => writeResponse('ClosedLoop', opens, rows, { shuffleMultiRefs: false });
/** The general reader alone: a trailing comment is legal XML that the fast path always declines. */
const general = (xml: string): SoapReply => readResponse(`${xml}<!-- -->`, opens);
const generalOrError = (xml: string): SoapReply | 'refused' => {
  try {
    return general(xml);
  } catch {
    return 'refused';
  }
};
const matrix = (rows: number, cells: number) => fc.array(fc.array(soapStringValue, { maxLength: cells }), { maxLength: rows });

describe('readStringMatrix', () => {
  it('reads the simulator shape: rows of values, nil items, empty strings, empty rows', () => {
    const rows: Matrix = [['a', null, '', '<&>"\''], [], ['x\ty\nz']];
    expect(readStringMatrix(simulated(rows), 'getOpens')).toEqual(rows);
    expect(readStringMatrix(simulated([]), 'getOpens')).toEqual([]);
  });

  it('agrees with the general reader on every matrix the simulator writes', () => {
    fc.assert(
      fc.property(matrix(6, 6), (rows) => {
        const xml = simulated(rows);
        const fast = readStringMatrix(xml, 'getOpens');
        // Text XML cannot carry is the general reader's to judge; every legal matrix takes the fast path.
        if (rows.every(legalValues)) expect(fast).toBeDefined();
        if (fast !== undefined) expect(general(xml)).toEqual({ kind: 'result', value: fast });
      }),
      { numRuns: NUM_RUNS },
    );
  });

  it('takes white space between rows and items as the general reader does', () => {
    fc.assert(
      fc.property(matrix(4, 4), fc.constantFrom(' ', '\n', '\r\n', '\t  '), (rows, space) => {
        fc.pre(rows.every(legalValues));
        const xml = simulated(rows).replace(/><getOpensReturn/g, `>${space}<getOpensReturn`);
        const fast = readStringMatrix(xml, 'getOpens');
        expect(fast).toBeDefined();
        expect(general(xml)).toEqual({ kind: 'result', value: fast });
      }),
      { numRuns: NUM_RUNS },
    );
  });

  const row = '<getOpensReturn soapenc:arrayType="xsd:string[1]" xsi:type="soapenc:Array">';
  it.each([
    ['a Fault', (xml: string) => xml.replace('<soapenv:Body>', '<soapenv:Body><soapenv:Fault><faultcode>x</faultcode></soapenv:Fault>')],
    ['an outer length that differs', (xml: string) => xml.replace('string[][2]', 'string[][3]')],
    ['a row length that differs', (xml: string) => xml.replace('xsd:string[1]', 'xsd:string[2]')],
    [
      'a nil outer array',
      (xml: string) => xml.replace('soapenc:arrayType="xsd:string[][', 'xsi:nil="true" soapenc:arrayType="xsd:string[]['),
    ],
    [
      'a nil row',
      (xml: string) => xml.replace(row, '<getOpensReturn xsi:nil="true" soapenc:arrayType="xsd:string[1]" xsi:type="soapenc:Array">'),
    ],
    [
      'a self-closing row',
      (xml: string) =>
        xml.replace(
          /<getOpensReturn soapenc:arrayType="xsd:string\[0\]" xsi:type="soapenc:Array"><\/getOpensReturn>/,
          '<getOpensReturn soapenc:arrayType="xsd:string[0]" xsi:type="soapenc:Array"/>',
        ),
    ],
    ['an href row', (xml: string) => xml.replace(row, '<getOpensReturn href="#id0">')],
    [
      'a row with an id',
      (xml: string) => xml.replace(row, '<getOpensReturn id="id0" soapenc:arrayType="xsd:string[1]" xsi:type="soapenc:Array">'),
    ],
    ['a row with an unexpected attribute', (xml: string) => xml.replace(row, row.replace('>', ' lang="de">'))],
    ['a row with another name', (xml: string) => xml.replace(row, '<item soapenc:arrayType="xsd:string[1]" xsi:type="soapenc:Array">')],
    [
      'a row with a prefixed name',
      (xml: string) => xml.replace(row, '<ns1:getOpensReturn soapenc:arrayType="xsd:string[1]" xsi:type="soapenc:Array">'),
    ],
    [
      'a string where a row belongs',
      (xml: string) => xml.replace(row, '<getOpensReturn xsi:type="soapenc:string">a</getOpensReturn>' + row),
    ],
    ['text between rows', (xml: string) => xml.replace(row, `x${row}`)],
    ['a row nested in a row', (xml: string) => xml.replace(row, row + row.replace('[1]', '[0]') + '</getOpensReturn>')],
    ['trailing content', (xml: string) => `${xml}x`],
    ['a second Body child', (xml: string) => xml.replace('</soapenv:Body>', '<x/></soapenv:Body>')],
  ])('declines %s', (_name, mutate) => {
    const xml = mutate(simulated([['a'], []]));
    expect(xml).not.toBe(simulated([['a'], []]));
    expect(readStringMatrix(xml, 'getOpens')).toBeUndefined();
  });

  it.each(['getalladvanced-response.xml', 'getalladvanced-response-empty.xml'])(
    'leaves %s (items named <item>, an empty self-closing answer) to the general reader',
    (file) => {
      const xml = readFileSync(join(__dirname, '../../fixtures/soap', file), 'utf8');
      expect(readStringMatrix(xml, 'getAllAdvanced')).toBeUndefined();
      expect(readResponse(xml, findOperation('Recipient', 'getAllAdvanced')!).kind).toBe('result');
    },
  );

  it('declines inside a row what the string[] fast path declines, and leaves it to the general reader', () => {
    const xml = simulated([['PLACEHOLDER']]).replace('PLACEHOLDER', 'a&#x10FFFF;<![CDATA[<b>]]>');
    expect(readStringMatrix(xml, 'getOpens')).toBeUndefined();
    expect(readResponse(xml, opens)).toEqual({ kind: 'result', value: [['a\u{10FFFF}<b>']] });
  });
});

// Fragments that break documents the way a proxy, a cut connection or a hostile server would.
const FRAGMENTS = [
  '<',
  '>',
  '/',
  '"',
  ' ',
  '=',
  '&',
  ';',
  '\u0000',
  '\r\n',
  '&amp;',
  '&#65;',
  '&lt',
  'xsi:nil="true"',
  'href="#id0"',
  'id="id0"',
  '<x>',
  '</x>',
  '/>',
  '<![CDATA[',
  '<!-- -->',
  '<getOpensReturn>',
  '</getOpensReturn>',
  '<getOpensReturn soapenc:arrayType="xsd:string[1]" xsi:type="soapenc:Array">',
  '<getOpensReturn xsi:type="soapenc:string" xsi:nil="true"/>',
  'string[',
  '][',
  ']',
  '1',
  'soapenv',
  'Body',
  'Fault',
];
const splice = xmlSplice(FRAGMENTS);

describe('ClosedLoop answers under mutation', () => {
  it('the fast path accepts only documents the general reader reads, and then agrees with it', () => {
    fc.assert(
      fc.property(matrix(3, 3), fc.array(splice, { minLength: 1, maxLength: 3 }), (rows, edits) => {
        const xml = applySplices(simulated(rows), edits);
        const fast = readStringMatrix(xml, 'getOpens');
        if (fast === undefined) return;
        expect(XMLValidator.validate(xml)).toBe(true);
        expect(generalOrError(xml)).toEqual({ kind: 'result', value: fast });
        expect(readResponse(xml, opens)).toEqual({ kind: 'result', value: fast });
      }),
      { numRuns: NUM_RUNS * 4 },
    );
  });
});
