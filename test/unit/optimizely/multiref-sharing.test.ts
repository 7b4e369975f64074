import fc from 'fast-check';
import { OptimizelyResponseError } from '../../../src/errors/optimizely-response-error';
import { findOperation } from '../../../src/optimizely/api/surface';
import { readResponse } from '../../../src/optimizely/client/codec/response-reader';
import type { SoapValue } from '../../../src/optimizely/client/codec/soap-value';

// rpc/encoded lets several hrefs share one multiRef. Shared scalars cost nothing, but a shared array
// is decoded once per href: a thousand hrefs to one 30,000-item row (288 KB, far under a page's cap)
// took 27 s of CPU and 875 MB, blocking the worker's event loop and its heartbeats. The reader
// decodes an answer to no more values than its Body holds elements: a page as Axis writes it (each
// value its own element, hrefs to multiRefs of their own) is read exactly, an answer that would
// multiply shared arrays is refused as an OptimizelyResponseError, in bounded time.

const ENV =
  '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><soapenv:Body>';
const END = '</soapenv:Body></soapenv:Envelope>';
const getAllAdvanced = findOperation('Recipient', 'getAllAdvanced')!;

/** A row of the page: written inline, or as an href to multiRef number `ref` (several rows may share one). */
type RowPlace = { inline: string[] } | { ref: number };
/** A cell: inline text, or an href to scalar multiRef number `ref` (shared scalars are fine). */
type CellPlace = { text: string } | { ref: number };

interface Page {
  rows: RowPlace[];
  /** The rows held by multiRefs, as cells. */
  refRows: CellPlace[][];
  /** Scalar multiRefs (strings). */
  refCells: string[];
}

const text = fc.stringMatching(/^[a-z0-9 ]{0,6}$/);
const page: fc.Arbitrary<Page> = fc
  .record({ refCells: fc.array(text, { minLength: 1, maxLength: 4 }), refRowCount: fc.integer({ min: 1, max: 4 }) })
  .chain(({ refCells, refRowCount }) => {
    const cell: fc.Arbitrary<CellPlace> = fc.oneof(
      text.map((t) => ({ text: t })),
      fc.integer({ min: 0, max: refCells.length - 1 }).map((ref) => ({ ref })),
    );
    const row: fc.Arbitrary<RowPlace> = fc.oneof(
      fc.array(text, { maxLength: 5 }).map((inline) => ({ inline })),
      fc.integer({ min: 0, max: refRowCount - 1 }).map((ref) => ({ ref })),
    );
    return fc.record({
      rows: fc.array(row, { maxLength: 12 }),
      refRows: fc.array(fc.array(cell, { maxLength: 40 }), { minLength: refRowCount, maxLength: refRowCount }),
      refCells: fc.constant(refCells),
    });
  });

function write(p: Page): string {
  const row = (r: RowPlace) =>
    'ref' in r ? `<item href="#row${r.ref}"/>` : `<item>${r.inline.map((t) => `<item xsi:type="xsd:string">${t}</item>`).join('')}</item>`;
  const cell = (c: CellPlace) => ('ref' in c ? `<item href="#cell${c.ref}"/>` : `<item>${c.text}</item>`);
  return (
    ENV +
    `<ns1:getAllAdvancedResponse xmlns:ns1="urn:api.broadmail.de/soap11/RpcRecipient"><getAllAdvancedReturn>${p.rows.map(row).join('')}</getAllAdvancedReturn></ns1:getAllAdvancedResponse>` +
    p.refRows.map((cells, i) => `<multiRef id="row${i}">${cells.map(cell).join('')}</multiRef>`).join('') +
    p.refCells.map((t, i) => `<multiRef id="cell${i}" xsi:type="xsd:string">${t}</multiRef>`).join('') +
    END
  );
}

function expected(p: Page): SoapValue {
  const cell = (c: CellPlace) => ('ref' in c ? p.refCells[c.ref]! : c.text);
  return p.rows.map((r) => ('ref' in r ? p.refRows[r.ref]!.map(cell) : r.inline));
}

/** Values the decoded page holds: rows and cells, and the page itself. */
const valuesIn = (value: SoapValue): number => 1 + (value as string[][]).reduce((n, row) => n + 1 + row.length, 0);
const elementsIn = (xml: string): number => xml.match(/<[A-Za-z]/g)!.length;

/** Whether a multiRef row is referred to by more than one row of the page. */
const sharesARow = (p: Page): boolean => {
  const refs = p.rows.flatMap((r) => ('ref' in r ? [r.ref] : []));
  return new Set(refs).size < refs.length;
};

describe('hrefs sharing multiRefs', () => {
  it('decode exactly when nothing is multiplied, and never to more values than the answer has elements', () => {
    fc.assert(
      fc.property(page, (p) => {
        const xml = write(p);
        let value: SoapValue;
        try {
          const reply = readResponse(xml, getAllAdvanced, { service: 'Recipient' });
          value = reply.kind === 'result' ? reply.value : undefined!;
        } catch (error) {
          expect(error).toBeInstanceOf(OptimizelyResponseError);
          expect((error as Error).message).toMatch(/^Recipient\.getAllAdvanced: .{10,200}$/);
          // Only an answer that shares a row among hrefs may be refused: the page as Axis writes it is read.
          expect(sharesARow(p)).toBe(true);
          return;
        }
        expect(value).toEqual(expected(p));
        expect(valuesIn(value)).toBeLessThanOrEqual(elementsIn(xml));
      }),
      { numRuns: 400 },
    );
  });

  it('refuses a thousand hrefs to one 30,000-item row at once instead of building 30 million values', () => {
    const p: Page = {
      rows: Array.from({ length: 1000 }, () => ({ ref: 0 })),
      refRows: [Array.from({ length: 30_000 }, () => ({ text: 'x' }))],
      refCells: [],
    };
    const started = Date.now();
    expect(() => readResponse(write(p), getAllAdvanced, { service: 'Recipient' })).toThrow(
      'Recipient.getAllAdvanced: multiRefs shared by several hrefs decode to more values than the answer has elements',
    );
    expect(Date.now() - started).toBeLessThan(2_000);
  });
});
