import fc from 'fast-check';
import { XMLValidator } from 'fast-xml-parser';
import { OptimizelyResponseError } from '../../../src/errors/optimizely-response-error';
import { findOperation } from '../../../src/optimizely/api/surface';
import { readMultiRefArray } from '../../../src/optimizely/client/codec/multiref-array-fast-path';
import { readResponse } from '../../../src/optimizely/client/codec/response-reader';
import type { SoapCaller } from '../../../src/optimizely/client/soap-caller';
import { recipientService } from '../../../src/optimizely/client/services/recipient';
import { addAll3Response } from './soap-fixtures';
import { applySplices, xmlSplice } from '../../helpers/xml-splices';

const addAll3 = findOperation('Recipient', 'addAll3')!;
const NUM_RUNS = 300;

/** addAll3 through the real service code, answered by `xml`. */
function addAll3Through(xml: string, recipients: number) {
  const caller = {
    call: async () => {
      const reply = readResponse(xml, addAll3);
      if (reply.kind === 'fault') throw new Error('fault');
      return reply.value;
    },
  } as unknown as SoapCaller;
  const ids = Array.from({ length: recipients }, (_, i) => `r${i}`);
  return recipientService(caller).addAll3({
    listId: 1,
    optinProcessId: 0,
    recipientIds: ids,
    addresses: ids,
    attributeNames: [],
    attributeValues: ids.map(() => []),
  });
}

// Markup fragments that break documents in the ways a proxy, a cut connection or a hostile server would.
const FRAGMENTS = [
  '<',
  '>',
  '/',
  '"',
  "'",
  ' ',
  '=',
  '\uFEFF',
  '\u00A0',
  '\u0000',
  '\r\n',
  'id="id0"',
  'href="#id1"',
  'nil="true"',
  'xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"',
  '<x>',
  '</x>',
  '<multiRef id="id0">6</multiRef>',
  '<addAll3Return href="#id0"/>',
  '<?xml version="1.0"?>',
  '99999999999',
  '-',
  'soapenv',
  'Body',
  'Envelope',
  'multiRef',
];
const splice = xmlSplice(FRAGMENTS);

describe('addAll3 answers under mutation', () => {
  it('the fast path accepts only well-formed documents and then agrees with the general reader', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 7 }), { maxLength: 5 }),
        fc.array(splice, { minLength: 1, maxLength: 3 }),
        (codes, edits) => {
          const xml = applySplices(addAll3Response(codes), edits);
          const fast = readMultiRefArray(xml, 'addAll3', 'int');
          if (fast === undefined) return;
          expect(XMLValidator.validate(xml)).toBe(true);
          // A trailing comment is legal XML the fast path declines, so this reads the same document the general way.
          expect(readResponse(`${xml}<!-- -->`, addAll3)).toEqual({ kind: 'result', value: fast });
        },
      ),
      { numRuns: NUM_RUNS * 4 },
    );
  });

  type Mutation = { name: string; apply: (xml: string, i: number) => string; breaks: boolean };
  const item = (i: number) => `<addAll3Return href="#id${i}"/>`;
  const multiRef = (xml: string, i: number) => new RegExp(`<multiRef id="id${i}"[^>]*>[^<]*</multiRef>`).exec(xml)![0];
  const MUTATIONS: Mutation[] = [
    { name: 'drop an item', apply: (xml, i) => xml.replace(item(i), ''), breaks: true },
    { name: 'duplicate an item', apply: (xml, i) => xml.replace(item(i), item(i) + item(i)), breaks: true },
    { name: 'drop a multiRef', apply: (xml, i) => xml.replace(multiRef(xml, i), ''), breaks: true },
    {
      name: 'repeat a multiRef id with another value',
      apply: (xml, i) => xml.replace(multiRef(xml, i), multiRef(xml, i) + `<multiRef id="id${i}">0</multiRef>`),
      breaks: true,
    },
    { name: 'cut the document', apply: (xml, i) => xml.slice(0, xml.length - 1 - i * 7), breaks: true },
    { name: 'put the Envelope in another namespace', apply: (xml) => xml.replace('soap/envelope/"', 'soap/envelope"'), breaks: true },
    { name: 'start with a byte order mark', apply: (xml) => `\uFEFF${xml}`, breaks: false },
    { name: 'indent', apply: (xml) => xml.replace(/></g, '>\r\n  <'), breaks: false },
    {
      name: 'rename the envelope prefix',
      apply: (xml) => xml.replace(/soapenv:/g, 'S:').replace('xmlns:soapenv=', 'xmlns:S='),
      breaks: false,
    },
  ];
  const BAD_CODES = ['8', '-1', '2147483648', '99999999999999999999', '1e3', '0x1', '', ' ', '\u0663', '5\u0000', 'true', '3.0'];

  it('never turns a damaged answer into result codes, and reads an intact one exactly', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 0, max: 7 }), { minLength: 1, maxLength: 8 }),
        fc.constantFrom(...MUTATIONS),
        fc.nat(),
        async (codes, mutation, n) => {
          const xml = mutation.apply(addAll3Response(codes), n % codes.length);
          const result = addAll3Through(xml, codes.length);
          if (mutation.breaks) await expect(result).rejects.toThrow(OptimizelyResponseError);
          else await expect(result).resolves.toEqual(codes);
        },
      ),
      { numRuns: NUM_RUNS },
    );
  });

  it('counts only a code in 0..7 as an answer, whichever reader reads it', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 0, max: 7 }), { minLength: 1, maxLength: 8 }),
        fc.nat(),
        fc.constantFrom(...BAD_CODES),
        fc.boolean(),
        async (codes, n, bad, general) => {
          const at = n % codes.length;
          const xml = addAll3Response(codes).replace(new RegExp(`(<multiRef id="id${at}"[^>]*>)\\d</multiRef>`), `$1${bad}</multiRef>`);
          await expect(addAll3Through(general ? `${xml}<!-- -->` : xml, codes.length)).rejects.toThrow(OptimizelyResponseError);
        },
      ),
      { numRuns: NUM_RUNS },
    );
  });

  it('refuses an answer with more or fewer codes than recipients sent', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: 0, max: 7 }), { maxLength: 8 }), fc.integer({ min: 0, max: 9 }), async (codes, sent) => {
        fc.pre(sent !== codes.length);
        await expect(addAll3Through(addAll3Response(codes), sent)).rejects.toThrow(OptimizelyResponseError);
      }),
      { numRuns: NUM_RUNS },
    );
  });
});
