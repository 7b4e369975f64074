import fc from 'fast-check';
import { findOperation } from '../../../src/optimizely/api/surface';
import { readMultiRefArray } from '../../../src/optimizely/client/codec/multiref-array-fast-path';
import { readResponse } from '../../../src/optimizely/client/codec/response-reader';
import type { SoapScalar } from '../../../src/optimizely/api/types';
import { writeResponse } from '../../../src/simulator/soap/response-writer';

// The int/long/boolean[] fast path must accept nothing the general reader refuses or reads otherwise.
// Reference attributes on the response element or the return array change what the general reader
// reads: an `id` on the response element beside a multiRef's equal id makes every href to it
// ambiguous (refused), an `href` on the return array sends the reader to a multiRef instead of the
// items in front of it. The fast path used to read the items and answer result codes the general
// reader refused.

const OPERATIONS: [string, string][] = [
  ['Recipient', 'addAll3'],
  ['Recipient', 'removeAll'],
  ['Unsubscribe', 'containsAll'],
  ['RecipientList', 'getAllIds'],
];

const XSI_LIKE = 'xmlns:r="urn:any"';
const referenceAttribute = fc
  .tuple(fc.constantFrom('id', 'href', 'r:id', 'r:href'), fc.integer({ min: 0, max: 4 }))
  .map(([name, k]) => `${name}="${name.endsWith('href') ? '#' : ''}id${k}"${name.startsWith('r:') ? ` ${XSI_LIKE}` : ''}`);

/** The general reader's answer (a trailing comment makes the fast path decline), or the refusal. */
function generalReader(xml: string, service: string, operation: string): unknown {
  try {
    const reply = readResponse(`${xml}<!-- general -->`, findOperation(service, operation)!);
    return reply.kind === 'result' ? reply.value : 'fault';
  } catch (error) {
    return `refused: ${(error as Error).message}`;
  }
}

describe('the multiRef fast path and reference attributes on the response or the return array', () => {
  it('accepts only what the general reader reads, and answers the same', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...OPERATIONS),
        fc.array(fc.integer({ min: 0, max: 7 }), { minLength: 1, maxLength: 5 }),
        fc.constantFrom('Response', 'Return'),
        referenceAttribute,
        fc.boolean(),
        ([service, operation], numbers, where, attribute, shuffleMultiRefs) => {
          const spec = findOperation(service, operation)!;
          const value = spec.returns === 'boolean[]' ? numbers.map((n) => n % 2 === 0) : numbers;
          const tag = where === 'Response' ? `<ns1:${operation}Response` : `<${operation}Return soapenc:arrayType`;
          const written = writeResponse(service, spec, value, { shuffleMultiRefs });
          const xml = written.replace(
            tag,
            tag.replace(/ soapenc:arrayType$/, '') + ` ${attribute}` + (where === 'Return' ? ' soapenc:arrayType' : ''),
          );
          expect(xml).not.toBe(written);
          const fast = readMultiRefArray(xml, operation, spec.returns.slice(0, -2) as SoapScalar);
          if (fast !== undefined) expect(generalReader(xml, service, operation)).toEqual(fast);
        },
      ),
      { numRuns: 300 },
    );
  });
});
