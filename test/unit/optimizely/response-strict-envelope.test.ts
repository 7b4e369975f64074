import fc from 'fast-check';
import { OptimizelyResponseError } from '../../../src/errors/optimizely-response-error';
import { findOperation } from '../../../src/optimizely/api/surface';
import { readMultiRefArray } from '../../../src/optimizely/client/codec/multiref-array-fast-path';
import { readResponse } from '../../../src/optimizely/client/codec/response-reader';
import { addAll3Response, soapFixture } from './soap-fixtures';

const addAll3 = findOperation('Recipient', 'addAll3')!;
const getCount = findOperation('Recipient', 'getCount')!;
const FAULT = '<soapenv:Fault><faultcode>soapenv:Server.userException</faultcode><faultstring>boom</faultstring></soapenv:Fault>';
const UNPREFIXED_FAULT = '<Fault><faultcode>soapenv:Server</faultcode><faultstring>boom</faultstring></Fault>';

/** Both readers' verdict: the fast path's (if it accepts) and the general reader's. */
function verdicts(xml: string) {
  const fast = readMultiRefArray(xml, 'addAll3', 'int');
  let full: unknown;
  try {
    full = readResponse(xml, addAll3);
  } catch (error) {
    full = error;
  }
  return { fast, full };
}

describe('readResponse on hostile envelopes', () => {
  it('refuses an HTML page that carries an addAll3Response', () => {
    const inner = addAll3Response([0, 1])
      .replace(/^.*<soapenv:Body>/, '')
      .replace('</soapenv:Body></soapenv:Envelope>', '');
    const { fast, full } = verdicts(`<html><body>${inner}</body></html>`);
    expect(fast).toBeUndefined();
    expect(full).toBeInstanceOf(OptimizelyResponseError);
    expect((full as Error).message).toMatch(/not a SOAP 1.1 Envelope/);
  });

  it.each([
    ['an unprefixed Fault beside the response', (xml: string) => xml.replace('</soapenv:Body>', `${UNPREFIXED_FAULT}</soapenv:Body>`)],
    ['a Fault before the response', (xml: string) => xml.replace('<soapenv:Body>', `<soapenv:Body>${FAULT}`)],
    [
      'a Fault inside the response element',
      (xml: string) => xml.replace('</ns1:addAll3Response>', `${UNPREFIXED_FAULT}</ns1:addAll3Response>`),
    ],
  ])('lets %s win over the result', (_name, mutate) => {
    const { fast, full } = verdicts(mutate(addAll3Response([0, 1])));
    expect(fast).toBeUndefined();
    expect(full).toMatchObject({ kind: 'fault', faultString: 'boom' });
  });

  it.each([
    ['an Envelope in another namespace', (xml: string) => xml.replace('http://schemas.xmlsoap.org/soap/envelope/', 'urn:evil')],
    [
      'a Body in another namespace',
      (xml: string) => xml.replace('<soapenv:Body>', '<e:Body xmlns:e="urn:evil">').replace('</soapenv:Body>', '</e:Body>'),
    ],
    ['a second root element', (xml: string) => `${xml}<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"/>`],
    ['an element beside the Body', (xml: string) => xml.replace('<soapenv:Body>', '<x/><soapenv:Body>')],
  ])('refuses %s on both paths', (_name, mutate) => {
    const { fast, full } = verdicts(mutate(addAll3Response([0, 1])));
    expect(fast).toBeUndefined();
    expect(full).toBeInstanceOf(OptimizelyResponseError);
  });

  it.each([
    ['text before the response element', (xml: string) => xml.replace('<soapenv:Body>', '<soapenv:Body>junk')],
    ['an extra element after the multiRefs', (xml: string) => xml.replace('</soapenv:Body>', '<x>1</x></soapenv:Body>')],
    ['trailing text after the Envelope', (xml: string) => `${xml}junk`],
  ])('declines the fast path for %s', (_name, mutate) => {
    expect(readMultiRefArray(mutate(addAll3Response([0, 1])), 'addAll3', 'int')).toBeUndefined();
  });

  it('refuses a Body with two answers to the call, wherever they sit and whatever they say', () => {
    // Before, the first one found was read: a write's result codes would be whichever the server put first.
    const bodyOf = (xml: string) => xml.slice(xml.indexOf('<soapenv:Body>') + '<soapenv:Body>'.length, xml.indexOf('</soapenv:Body>'));
    const codes = fc.array(fc.integer({ min: 0, max: 7 }), { minLength: 1, maxLength: 5 });
    const placements = fc.constantFrom('before', 'after its multiRefs', 'beside the first');
    fc.assert(
      fc.property(codes, codes, fc.constantFrom('ns1:', 'ns2:', ''), placements, (first, second, prefix, placement) => {
        const other = bodyOf(addAll3Response(second))
          .replace(/"#?id(\d+)"/g, (whole, n: string) => whole.replace(`id${n}`, `second${n}`))
          .replace(/ns1:addAll3Response/g, `${prefix}addAll3Response`);
        const refsAt = other.indexOf('<multiRef');
        const [response, refs] = [other.slice(0, refsAt), other.slice(refsAt)];
        const xml = addAll3Response(first);
        const twice =
          placement === 'before'
            ? xml.replace('<soapenv:Body>', `<soapenv:Body>${other}`)
            : placement === 'after its multiRefs'
              ? xml.replace('</soapenv:Body>', `${other}</soapenv:Body>`)
              : xml
                  .replace('</ns1:addAll3Response>', `</ns1:addAll3Response>${response}`)
                  .replace('</soapenv:Body>', `${refs}</soapenv:Body>`);
        const { fast, full } = verdicts(twice);
        expect(fast).toBeUndefined();
        expect(full).toBeInstanceOf(OptimizelyResponseError);
        expect((full as Error).message).toMatch(/: response Body has more than one addAll3Response$/);
      }),
      { numRuns: 100 },
    );
  });

  it('still reads an Envelope whose Body declares the namespace itself, with a Header', () => {
    const xml =
      '<E:Envelope xmlns:E="http://schemas.xmlsoap.org/soap/envelope/"><E:Header/><B:Body xmlns:B="http://schemas.xmlsoap.org/soap/envelope/">' +
      '<getCountResponse><getCountReturn>7</getCountReturn></getCountResponse></B:Body></E:Envelope>';
    expect(readResponse(xml, getCount)).toEqual({ kind: 'result', value: 7 });
    expect(readResponse(soapFixture('getcount-response-pretty.xml'), getCount)).toEqual({ kind: 'result', value: 1000 });
  });

  it('refuses markup that is not well-formed XML instead of reading the tree a lenient parser guesses from it', () => {
    // Found by the property below: `<<Fault>` and an Envelope closed inside its Body parsed into a
    // tree with a result and no Fault.
    const broken = addAll3Response([0, 5]).replace('<soapenv:Body>', '<soapenv:Body><<Fault></soapenv:Envelope>');
    expect(() => readResponse(broken, addAll3)).toThrow(OptimizelyResponseError);
    const misnested = addAll3Response([0, 5]).replace('<soapenv:Body>', '<soapenv:Body><a><b></a></b>');
    expect(() => readResponse(misnested, addAll3)).toThrow(OptimizelyResponseError);
  });

  it('answers any text with a result, a fault or a typed error that quotes nothing of it, and a result only from a SOAP envelope', () => {
    const pieces = fc.constantFrom(
      '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/">',
      '<soapenv:Body>',
      '</soapenv:Body>',
      '</soapenv:Envelope>',
      '<ns1:addAll3Response>',
      '</ns1:addAll3Response>',
      '<addAll3Return href="#id0"/>',
      '<addAll3Return>',
      '</addAll3Return>',
      '<multiRef id="id0">5</multiRef>',
      '<Fault>',
      '</Fault>',
      '<html>',
      '&#1;',
      '&amp;',
      '<!DOCTYPE x>',
      ' ',
      '<S3cretPW>',
      '</S3cretPW>',
      'S3cretPW',
      '<addAll3Return href="#S3cretPW"/>',
    );
    const text = fc.oneof(
      fc.string({ maxLength: 200 }),
      fc.array(fc.oneof(pieces, fc.string({ maxLength: 5 })), { maxLength: 30 }).map((p) => p.join('')),
    );
    fc.assert(
      fc.property(
        fc.oneof(
          text,
          text.map((t) => addAll3Response([0, 5]).replace('<soapenv:Body>', `<soapenv:Body>${t}`)),
        ),
        (xml) => {
          let reply;
          try {
            reply = readResponse(xml, addAll3);
          } catch (error) {
            expect(error).toBeInstanceOf(OptimizelyResponseError);
            expect(`${(error as Error).message} ${String((error as Error).cause ?? '')}`).not.toContain('S3cretPW');
            return;
          }
          if (reply.kind === 'result') expect(xml).toContain('http://schemas.xmlsoap.org/soap/envelope/');
          if (reply.kind === 'result') expect(/[:<]Fault[\s/>]/.test(xml)).toBe(false);
        },
      ),
      { numRuns: 500 },
    );
  });
});
