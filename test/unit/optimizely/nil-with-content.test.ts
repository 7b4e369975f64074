// An element that says it is nil and holds text or elements (`<item xsi:nil="true">Jane</item>`)
// was read as nil: the content was dropped without a word, so a page cell, a list's name or an
// attribute name came back null where the server wrote a value. The property writes answers as the
// simulator (Axis) does, marks one valued element nil while keeping its content, and checks both
// readers: a nil element with content is refused naming its place; a nil element without content is
// null there, and the rest of the answer exactly as written.
import fc from 'fast-check';
import { OptimizelyResponseError } from '../../../src/errors/optimizely-response-error';
import { findOperation } from '../../../src/optimizely/api/surface';
import { readResponse } from '../../../src/optimizely/client/codec/response-reader';
import { writeResponse } from '../../../src/simulator/soap/response-writer';

/** The opening of a valued string element as the simulator writes it (getName's declares soapenc on it). */
const VALUED = /xsi:type="soapenc:string"((?: xmlns:soapenc="[^"]*")?)>/g;
const cell = fc.oneof(fc.constant(null), fc.constant(''), fc.stringMatching(/^[A-Za-z &<>]{1,8}$/));

interface Case {
  service: string;
  operation: string;
  value: fc.Arbitrary<unknown>;
  /** The cells in document order, and the value with the cell at `at` (in that order) set to null. */
  cells: (value: unknown) => (string | null)[];
  withNull: (value: unknown, at: number) => unknown;
}

const CASES: Case[] = [
  {
    service: 'Recipient',
    operation: 'getAllAdvanced',
    value: fc.array(fc.array(cell, { minLength: 2, maxLength: 2 }), { minLength: 1, maxLength: 4 }),
    cells: (v) => (v as (string | null)[][]).flat(),
    withNull: (v, at) => (v as (string | null)[][]).map((row, r) => row.map((c, i) => (r * 2 + i === at ? null : c))),
  },
  {
    service: 'RecipientList',
    operation: 'getAttributeNames',
    value: fc.array(cell, { minLength: 1, maxLength: 6 }),
    cells: (v) => v as (string | null)[],
    withNull: (v, at) => (v as (string | null)[]).map((c, i) => (i === at ? null : c)),
  },
  { service: 'RecipientList', operation: 'getName', value: cell, cells: (v) => [v as string | null], withNull: () => null },
];

describe('an element that is nil', () => {
  it('is null only when it holds nothing; nil with content is refused naming its place', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...CASES).chain((c) => fc.tuple(fc.constant(c), c.value, fc.nat())),
        fc.boolean(),
        ([c, value, pick], shuffleMultiRefs) => {
          const spec = findOperation(c.service, c.operation)!;
          const xml = writeResponse(c.service, spec, value as never, { shuffleMultiRefs });
          // The valued elements in document order are the non-null cells in order.
          const valued = c.cells(value).flatMap((v, i) => (v === null ? [] : [i]));
          fc.pre(valued.length > 0);
          const k = pick % valued.length;
          let seen = -1;
          const marked = xml.replace(VALUED, (m, declaration: string) =>
            ++seen === k ? `xsi:type="soapenc:string"${declaration} xsi:nil="true">` : m,
          );
          expect(marked).not.toBe(xml);
          const at = valued[k]!;
          const held = c.cells(value)[at]!;
          let answer: unknown;
          try {
            const reply = readResponse(marked, spec, { service: c.service });
            answer = reply.kind === 'result' ? { value: reply.value } : reply;
          } catch (error) {
            answer = { error };
          }
          if (held === '') {
            expect(answer).toEqual({ value: c.withNull(value, at) });
            return;
          }
          const error = (answer as { error?: unknown }).error;
          expect(error).toBeInstanceOf(OptimizelyResponseError);
          expect((error as Error).message).toMatch(new RegExp(`^${c.service}\\.${c.operation}: .*a nil element has content$`));
        },
      ),
      { numRuns: 400 },
    );
  });
});
