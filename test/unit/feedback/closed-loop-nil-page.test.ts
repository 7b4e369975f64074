import fc from 'fast-check';
import { OptimizelyResponseError } from '../../../src/errors/optimizely-response-error';
import { closedLoopPages } from '../../../src/feedback/closed-loop-pages';
import {
  CLOSED_LOOP_COLUMNS,
  CLOSED_LOOP_GETTERS,
  CLOSED_LOOP_MAX_ROWS,
  type ClosedLoopGetter,
} from '../../../src/optimizely/api/closed-loop-columns';
import { findOperation } from '../../../src/optimizely/api/surface';
import { createOptimizelyClient } from '../../../src/optimizely/client/create-optimizely-client';
import { writeResponse } from '../../../src/simulator/soap/response-writer';
import { ok, stubTransport } from '../optimizely/stub-transport';

// A window is read page by page until a page comes back short. A nil page, a page without its return
// element or one declared as a single value used to be read as an empty page: the read ended there,
// the pages after it were never asked for, and the import's watermark moved past their events. Over
// real SOAP bodies through the real client: such a page fails the read (a retryable
// OptimizelyResponseError naming the getter) after the full pages before it, and never ends the window.

const options = { baseUrl: 'http://optimizely.test', mandatorId: 1234, username: 'api-user', password: 'secret' };
const BROKEN = {
  nil: (tag: string) => `<${tag} xsi:nil="true"/>`,
  missing: () => '',
  'declared a string': (tag: string) => `<${tag} xsi:type="xsd:string"></${tag}>`,
};

function page(getter: ClosedLoopGetter, rows: number, at = 0): string {
  const width = CLOSED_LOOP_COLUMNS[getter].length;
  const value = Array.from({ length: rows }, (_, r) => Array.from({ length: width }, (_, c) => `${at}-${r}-${c}`));
  return writeResponse('ClosedLoop', findOperation('ClosedLoop', getter)!, value, { shuffleMultiRefs: false });
}

function broken(getter: ClosedLoopGetter, how: keyof typeof BROKEN): string {
  const body = page(getter, 0);
  const tag = `${getter}Return`;
  const empty = new RegExp(`<${tag}[^>]*></${tag}>`);
  expect(body).toMatch(empty);
  return body.replace(empty, BROKEN[how](tag));
}

describe('a ClosedLoop window with a nil, missing or wrongly typed page', () => {
  it('fails after the full pages before it, never ends as if the window were read', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...CLOSED_LOOP_GETTERS),
        fc.integer({ min: 0, max: 2 }),
        fc.constantFrom(...(Object.keys(BROKEN) as (keyof typeof BROKEN)[])),
        async (getter, fullPages, how) => {
          const pages = [
            ...Array.from({ length: fullPages }, (_, at) => page(getter, CLOSED_LOOP_MAX_ROWS, at)),
            broken(getter, how),
            page(getter, 3),
          ];
          const { transport } = stubTransport({
            login: [ok('login-response.xml')],
            [getter]: pages.map((body) => ({ status: 200, body })),
          });
          const client = createOptimizelyClient(options, { transport, readRetryDelayMs: 1 });
          let rows = 0;
          const read = (async () => {
            for await (const batch of closedLoopPages(client, getter, { since: 0, until: 1 })) rows += batch.length;
          })();
          const error = await read.then(
            () => undefined,
            (e: unknown) => e,
          );
          expect(error).toBeInstanceOf(OptimizelyResponseError);
          expect((error as Error).message.startsWith(`ClosedLoop.${getter}: `)).toBe(true);
          expect(rows).toBe(fullPages * CLOSED_LOOP_MAX_ROWS);
        },
      ),
      { numRuns: 40 },
    );
  });
});
