import fc from 'fast-check';

/** One edit of a document: at a position, cut up to 6 characters and insert a few fragments or random characters. */
export type XmlSplice = [at: number, cut: number, insert: string];

/**
 * Splices for mutation properties of the SOAP readers: `fragments` are the markup pieces most likely
 * to turn a valid answer into a near-miss (closing tags, attributes, entity look-alikes).
 */
export function xmlSplice(fragments: readonly string[]): fc.Arbitrary<XmlSplice> {
  return fc.tuple(
    fc.nat(),
    fc.nat({ max: 6 }),
    fc.array(fc.oneof(fc.constantFrom(...fragments), fc.string({ maxLength: 3 })), { minLength: 1, maxLength: 5 }).map((p) => p.join('')),
  );
}

/** `xml` with the splices applied in turn, each position taken modulo the document's length at that point. */
export function applySplices(xml: string, splices: readonly XmlSplice[]): string {
  let out = xml;
  for (const [at, cut, insert] of splices) {
    const from = at % (out.length + 1);
    out = out.slice(0, from) + insert + out.slice(from + cut);
  }
  return out;
}
