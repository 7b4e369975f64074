import fc from 'fast-check';
import { packStrings, transferablesOfPacked, unpackStrings, packPage, unpackPage } from '../../../src/responses/ingest-thread/packed-page';
import { pageClassifier } from '../../../src/responses/classify-response-page';
import { RESPONSE_GETTERS } from '../../../src/responses/response-rows';
import { hostileText } from '../../helpers/hostile-text';
import { TWO_LIST_CLIENT } from '../../helpers/response-client';

// A page's string columns cross to the ingestion thread as one string and the ends of its entries:
// for any text (separators, lone surrogates, empty entries) the entries come back exactly.

const textArb = fc.oneof(hostileText, fc.string({ unit: 'binary' }), fc.constant(''));

describe('packed pages', () => {
  it('gives back exactly the strings packed, after crossing as a structured clone', () => {
    fc.assert(
      fc.property(fc.array(textArb, { maxLength: 50 }), (values) => {
        const packed = packStrings(values);
        const crossed = structuredClone(packed, { transfer: [packed.ends.buffer as ArrayBuffer] });
        expect(unpackStrings(crossed)).toEqual(values);
        // The ends moved: the sender no longer holds them.
        expect(packed.ends.byteLength).toBe(0);
      }),
      { numRuns: 300 },
    );
  });

  it('gives back the classified page of any rows, every column of it, and moves each buffer once', () => {
    const cellArb = fc.oneof(textArb, fc.constantFrom('a@x.test', '1001', '100', '0', '2026-05-31T10:00:00Z', 'hardbounce'));
    fc.assert(
      fc.property(
        fc.constantFrom(...RESPONSE_GETTERS),
        fc.array(fc.array(cellArb, { minLength: 8, maxLength: 8 }), { maxLength: 40 }),
        (getter, rows) => {
          const page = pageClassifier(TWO_LIST_CLIENT, Date.parse('2026-06-01T00:00:00Z'))(getter, rows);
          const expected = structuredClone(page);
          const packed = packPage(page);
          const transfer = transferablesOfPacked(packed);
          expect(new Set(transfer).size).toBe(transfer.length);
          expect(unpackPage(structuredClone(packed, { transfer }))).toEqual(expected);
        },
      ),
      { numRuns: 200 },
    );
  });
});
