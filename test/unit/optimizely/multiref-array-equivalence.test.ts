import fc from 'fast-check';
import { readMultiRefArray } from '../../../src/optimizely/client/codec/multiref-array-fast-path';
import { referenceReadMultiRefArray } from '../../helpers/reference-multiref-reader';
import { applySplices, xmlSplice } from '../../helpers/xml-splices';
import { addAll3Response, removeAllResponse } from './soap-fixtures';

// Items and multiRefs that repeat the previous one's shape are read with string look-ups instead of
// the patterns; the reference reads every one through its pattern. Both must give the same answer
// (the same array, or both decline) for intact answers and for near-misses of exactly the shapes the
// look-ups take: ids with markup or quotes, white space before `/>`, another tail, self-closing
// multiRefs, values with markup, repeated ids, cut documents.

const FRAGMENTS = [
  '<',
  '>',
  '/',
  '"',
  ' ',
  '\r\n',
  '/>',
  '"/>',
  '" />',
  'id="',
  ' id="id0"',
  'href="#',
  'href="#id1"',
  '<multiRef id="id0">6</multiRef>',
  '<multiRef id="id1"/>',
  '<multiRef id="id2" x="1">3</multiRef>',
  '<multiRef id="id3" soapenc:root="0">3</multiRef>',
  '<multiRef id="a<b">1</multiRef>',
  '<multiRef',
  '</multiRef>',
  '<addAll3Return href="#id0"/>',
  '<addAll3Return href="#id9" />',
  '<ns:addAll3Return href="#id1"/>',
  '<addAll3Return href="#"/>',
  '<removeAllReturn href="#id1"/>',
  'soapenc:root="0"',
  'xsi:type="xsd:int"',
  'xsi:type="xsd:boolean"',
  'true',
  '12',
];
const splice = xmlSplice(FRAGMENTS);

/**
 * An edit inside one item or multiRef element, at a character the string look-ups decide on (a quote,
 * `>`, `<`, `#`, `/`, `=`) or anywhere; or a copy of one element put after another (same tail, same id).
 */
type ElementEdit =
  | { kind: 'edit'; element: number; anchor: string; nth: number; cut: number; insert: string }
  | { kind: 'copy'; element: number; after: number };
const elementEdit: fc.Arbitrary<ElementEdit> = fc.oneof(
  fc.record({
    kind: fc.constant('edit' as const),
    element: fc.nat(),
    anchor: fc.constantFrom('"', '>', '<', '#', '/', '=', ''),
    nth: fc.nat(),
    cut: fc.nat({ max: 2 }),
    insert: fc.oneof(fc.constantFrom(...FRAGMENTS), fc.string({ maxLength: 2 })),
  }),
  fc.record({ kind: fc.constant('copy' as const), element: fc.nat(), after: fc.nat() }),
);

function applyElementEdits(xml: string, edits: readonly ElementEdit[]): string {
  let out = xml;
  for (const edit of edits) {
    const spans = [...out.matchAll(/<multiRef[^>]*>[^<]*<\/multiRef>|<\w+Return href="[^"]*"\/>/g)].map((m) => [
      m.index,
      m.index + m[0].length,
    ]);
    if (spans.length === 0) return out;
    const [start, end] = spans[edit.element % spans.length] as [number, number];
    if (edit.kind === 'copy') {
      const [, afterEnd] = spans[edit.after % spans.length] as [number, number];
      out = out.slice(0, afterEnd) + out.slice(start, end) + out.slice(afterEnd);
      continue;
    }
    const text = out.slice(start, end);
    const offsets = [...text].flatMap((ch, i) => (edit.anchor === '' || ch === edit.anchor ? [i] : []));
    const at = start + (offsets.length > 0 ? offsets[edit.nth % offsets.length]! : 0);
    out = out.slice(0, at) + edit.insert + out.slice(at + edit.cut);
  }
  return out;
}

describe('readMultiRefArray against its reference', () => {
  it('answers int[] documents, intact or damaged, exactly as the reference does', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 7 }), { maxLength: 12 }),
        fc.array(splice, { maxLength: 3 }),
        fc.constantFrom('int', 'long', 'boolean'),
        (codes, edits, type) => {
          const xml = applySplices(addAll3Response(codes), edits);
          expect(readMultiRefArray(xml, 'addAll3', type as 'int')).toEqual(referenceReadMultiRefArray(xml, 'addAll3', type as 'int'));
        },
      ),
      { numRuns: 5000 },
    );
  });

  it('answers documents with one item or multiRef edited or copied exactly as the reference does', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 7 }), { minLength: 1, maxLength: 12 }),
        fc.array(elementEdit, { minLength: 1, maxLength: 2 }),
        (codes, edits) => {
          const xml = applyElementEdits(addAll3Response(codes), edits);
          expect(readMultiRefArray(xml, 'addAll3', 'int')).toEqual(referenceReadMultiRefArray(xml, 'addAll3', 'int'));
        },
      ),
      { numRuns: 5000 },
    );
  });

  it('declines markup in an id, even when the item and the multiRef spell it alike', () => {
    const xml = addAll3Response([0, 1, 5]).replace('href="#id1"', 'href="#i<1"').replace('id="id1"', 'id="i<1"');
    expect(referenceReadMultiRefArray(xml, 'addAll3', 'int')).toBeUndefined();
    expect(readMultiRefArray(xml, 'addAll3', 'int')).toBeUndefined();
  });

  it('answers boolean[] documents, intact or damaged, exactly as the reference does', () => {
    fc.assert(
      fc.property(fc.array(fc.boolean(), { maxLength: 12 }), fc.array(splice, { maxLength: 3 }), (answers, edits) => {
        const xml = applySplices(removeAllResponse(answers), edits);
        expect(readMultiRefArray(xml, 'removeAll', 'boolean')).toEqual(referenceReadMultiRefArray(xml, 'removeAll', 'boolean'));
      }),
      { numRuns: 2000 },
    );
  });

  it('reads a 1000-code answer as the reference does, intact and with one splice', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 7 }), { minLength: 1000, maxLength: 1000 }), fc.option(splice), (codes, edit) => {
        const xml = applySplices(addAll3Response(codes), edit ? [edit] : []);
        const read = readMultiRefArray(xml, 'addAll3', 'int');
        if (!edit) expect(read).toEqual(codes);
        expect(read).toEqual(referenceReadMultiRefArray(xml, 'addAll3', 'int'));
      }),
      { numRuns: 200, endOnFailure: true },
    );
  });
});
