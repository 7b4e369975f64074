import fc from 'fast-check';
import { OptimizelyArgumentError } from '../../../src/errors/optimizely-argument-error';
import { findOperation, SOAP_NAMESPACE } from '../../../src/optimizely/api/surface';
import { writeRequest, type ParamNaming } from '../../../src/optimizely/client/codec/request-writer';
import { isXmlText } from '../../../src/optimizely/client/codec/xml-escape';
import { bindParams } from '../../../src/simulator/soap/binder';
import { readOperationCall } from '../../../src/simulator/soap/envelope';
import { scanXml } from '../../../src/simulator/soap/xml-scanner';
import { hostileText } from '../../helpers/hostile-text';

// The request writer and the export agree on every value: text isXmlText accepts is written and
// arrives at a strict XML reader (the simulator's) exactly as it was (CR, U+2028, markup, pairs);
// text it refuses makes the writer refuse the call naming the value's path, never the value.

const addAll3 = findOperation('Recipient', 'addAll3')!;
const anyText = fc.oneof(
  hostileText,
  fc.string({ unit: 'binary', maxLength: 12 }),
  fc.string({ unit: 'grapheme-composite', maxLength: 12 }),
);

describe('the addAll3 request, written and read back', () => {
  it('carries every value isXmlText accepts unchanged, and refuses the call for any other, naming its path', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(anyText, anyText, fc.array(anyText, { minLength: 2, maxLength: 2 })), { minLength: 1, maxLength: 6 }),
        fc.constantFrom<ParamNaming>('named', 'positional'),
        (rows, naming) => {
          const ids = rows.map(([id]) => id);
          const addresses = rows.map(([, address]) => address);
          const values = rows.map(([, , v]) => v);
          const args = ['sid', 100, 0, ids, addresses, ['firstname', 'note'], values];
          const write = () =>
            writeRequest({ service: 'Recipient', namespace: SOAP_NAMESPACE('Recipient'), operation: addAll3, args, naming });
          const sendable = [...ids, ...addresses, ...values.flat()].every(isXmlText);
          if (!sendable) {
            expect(write).toThrow(OptimizelyArgumentError);
            expect(write).toThrow(/cannot encode request: (recipientIds|addresses|attributeValues)\[\d+\]/);
            return;
          }
          const call = readOperationCall(scanXml(write()));
          const params = bindParams(addAll3 as never, call.params, call.refs);
          expect(params['recipientIds']).toEqual(ids);
          expect(params['addresses']).toEqual(addresses);
          expect(params['attributeValues']).toEqual(values);
        },
      ),
      { numRuns: 500 },
    );
  });
});
