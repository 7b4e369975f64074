import fc from 'fast-check';
import { API_SURFACE, SOAP_NAMESPACE } from '../../../src/optimizely/api/surface';
import type { OperationSpec, SoapType } from '../../../src/optimizely/api/types';
import { writeRequest, type ParamNaming } from '../../../src/optimizely/client/codec/request-writer';
import { escapeXmlText, isXmlText } from '../../../src/optimizely/client/codec/xml-escape';
import type { SoapValue } from '../../../src/optimizely/client/codec/soap-value';
import { hostileText } from '../../helpers/hostile-text';
import { referenceWriteRequest } from '../../helpers/reference-request-writer';

// The writer builds its arrays as joined parts and escapes through a single-scan fast path; the
// reference is the writer before that change. For every operation of the API table and arbitrary
// arguments (any Unicode, characters XML must escape or cannot carry, nulls, wrong types, wrong
// shapes, wrong counts) both write the same text, or both refuse with the same message.

const anyText = fc.oneof(
  hostileText,
  fc.string({ unit: 'binary', maxLength: 12 }),
  fc.string({ unit: 'grapheme-composite', maxLength: 12 }),
  fc.constantFrom('', 'a&b', '<x>', '\r\n', 'a\uD83D', '\uDE00b', '😀', '\uFFFE', '\u0000', 'plain'),
);
const anyScalar: fc.Arbitrary<SoapValue> = fc.oneof(
  anyText,
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.constantFrom(2 ** 31, -(2 ** 31) - 1, Number.MAX_SAFE_INTEGER + 1),
);

/** Mostly values of the declared type (so most calls are written), sometimes anything. */
function valueFor(type: SoapType): fc.Arbitrary<SoapValue> {
  const typed: Record<SoapType, fc.Arbitrary<SoapValue>> = {
    string: anyText,
    int: fc.integer(),
    long: fc.maxSafeInteger(),
    boolean: fc.boolean(),
    'string[]': fc.array(fc.option(anyText, { freq: 8 }), { maxLength: 6 }),
    'int[]': fc.array(fc.option(fc.integer(), { freq: 8 }), { maxLength: 6 }),
    'long[]': fc.array(fc.option(fc.maxSafeInteger(), { freq: 8 }), { maxLength: 6 }),
    'boolean[]': fc.array(fc.option(fc.boolean(), { freq: 8 }), { maxLength: 6 }),
    'string[][]': fc.array(fc.option(fc.array(fc.option(anyText, { freq: 8 }), { maxLength: 4 }), { freq: 8 }), { maxLength: 4 }),
    void: fc.constant(null),
  };
  const wrong = fc.oneof(
    anyScalar,
    fc.array(anyScalar, { maxLength: 3 }),
    fc.array(fc.array(anyScalar, { maxLength: 2 }), { maxLength: 2 }),
  );
  return fc.oneof({ arbitrary: typed[type], weight: 9 }, { arbitrary: wrong, weight: 1 });
}

const operations = API_SURFACE.flatMap((spec) => spec.operations.map((operation) => ({ service: spec.service, operation })));

const call = fc.constantFrom(...operations).chain(({ service, operation }) =>
  fc.record({
    service: fc.constant(service),
    operation: fc.constant<OperationSpec>(operation),
    args: fc.oneof(
      { arbitrary: fc.tuple(...operation.params.map((p) => valueFor(p.type))), weight: 19 },
      { arbitrary: fc.array(anyScalar, { maxLength: 3 }), weight: 1 },
    ),
    naming: fc.constantFrom<ParamNaming>('named', 'positional'),
  }),
);

function outcome(write: () => string): { xml: string } | { refused: string } {
  try {
    return { xml: write() };
  } catch (error) {
    return { refused: `${(error as Error).constructor.name}: ${(error as Error).message}` };
  }
}

describe('the request writer against its reference', () => {
  it('writes the same text or refuses with the same message, for every operation and any arguments', () => {
    fc.assert(
      fc.property(call, ({ service, operation, args, naming }) => {
        const input = { service, namespace: SOAP_NAMESPACE(service), operation, args: args as SoapValue[], naming };
        expect(outcome(() => writeRequest(input))).toEqual(outcome(() => referenceWriteRequest(input)));
      }),
      { numRuns: 3000 },
    );
  });

  it('writes 1000-recipient addAll3 calls exactly as the reference does, with at most one value it cannot carry', () => {
    const addAll3 = operations.find((o) => o.service === 'Recipient' && o.operation.name === 'addAll3')!.operation;
    // Sendable text (markup, CR, pairs, anything XML 1.0 carries): one unsendable value would refuse the whole call.
    const sendable = anyText.filter(isXmlText);
    const row = fc.tuple(sendable, sendable, fc.array(fc.option(sendable, { freq: 6 }), { minLength: 4, maxLength: 4 }));
    const spoiler = fc.option(
      fc.tuple(
        fc.nat(999),
        fc.nat(5),
        anyText.filter((t) => !isXmlText(t)),
      ),
      { freq: 2 },
    );
    fc.assert(
      fc.property(
        fc.array(row, { minLength: 900, maxLength: 1000 }),
        spoiler,
        fc.constantFrom<ParamNaming>('named', 'positional'),
        (rows, bad, naming) => {
          if (bad) {
            const [at, field, text] = bad;
            const target = rows[at % rows.length]!;
            if (field === 0) target[0] = text;
            else if (field === 1) target[1] = text;
            else target[2][field - 2] = text;
          }
          const args = ['sid', 7, 0, rows.map((r) => r[0]), rows.map((r) => r[1]), ['a', 'b', 'c', 'd'], rows.map((r) => r[2])];
          const input = { service: 'Recipient', namespace: SOAP_NAMESPACE('Recipient'), operation: addAll3, args, naming };
          const written = outcome(() => writeRequest(input));
          expect('refused' in written).toBe(bad !== null);
          expect(written).toEqual(outcome(() => referenceWriteRequest(input)));
        },
      ),
      { numRuns: 30, endOnFailure: true },
    );
  });

  it('escapes any text as the XML 1.0 check and the markup replacement do, or refuses it as they do', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const expected = isXmlText(text)
          ? text.replace(/[&<>\r]/g, (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '\r': '&#13;' })[ch]!)
          : undefined;
        expect(escapeXmlText(text)).toBe(expected);
      }),
      { numRuns: 5000 },
    );
  });
});
