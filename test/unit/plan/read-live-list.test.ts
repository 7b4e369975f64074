import fc from 'fast-check';
import { OptimizelyResponseError } from '../../../src/errors/optimizely-response-error';
import type { OptimizelyPort, Row } from '../../../src/optimizely/client/optimizely-port';
import { splitFlatRows } from '../../../src/optimizely/client/services/expect-value';
import { createLiveIndex } from '../../../src/plan/live-index';
import { planFields } from '../../../src/plan/plan-fields';
import { readLiveList } from '../../../src/plan/read-live-list';

const FIELDS = planFields({ idField: 'email', emailField: 'email' }, { first_name: 'firstname' });
const WIDTH = FIELDS.readNames.length;
const row = (id: string | null): Row => [id, ...Array.from({ length: WIDTH - 1 }, () => 'v')];

/** An Optimizely port whose getCount says `count` and whose pages come from `page(start, size)`. */
function port(count: number, page: (start: number, size: number) => Row[]): OptimizelyPort {
  return {
    recipient: {
      getCount: async () => count,
      getAllAdvancedFlat: async ({ pageStart, pageSize }: { pageStart: number; pageSize: number }) => page(pageStart, pageSize),
    },
  } as unknown as OptimizelyPort;
}

async function read(optimizely: OptimizelyPort, pageSize = 3) {
  const index = createLiveIndex();
  try {
    return await readLiveList({ optimizely, listId: 100, fields: FIELDS, index, pageSize });
  } finally {
    index.close();
  }
}

describe('reading the live list', () => {
  it('reads any list in full, page by page, and stops at the first short page', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(fc.string({ minLength: 1, maxLength: 5 }), { maxLength: 30 }),
        fc.integer({ min: 1, max: 7 }),
        async (ids, pageSize) => {
          const rows = ids.map(row);
          const result = await read(
            port(ids.length, (start, size) => rows.slice(start, start + size)),
            pageSize,
          );
          expect(result).toMatchObject({
            count: ids.length,
            rowsRead: ids.length,
            repeatedRows: 0,
            pages: Math.floor(ids.length / pageSize) + 1,
          });
        },
      ),
      { numRuns: 60 },
    );
  });

  it('stops a server that sends full pages for ever, naming the list and the count', async () => {
    let n = 0;
    const endless = port(5, (_start, size) => Array.from({ length: size }, () => row(`r${n++}`)));
    await expect(read(endless)).rejects.toThrow(/list 100 counted 5 recipients but \d+ full pages of 3 came back/);
  });

  it('refuses a row without a recipient id and counts a repeated row once', async () => {
    await expect(read(port(1, () => [row(null)]))).rejects.toThrow(/row 1 of list 100 has no recipient id in field email/);
    const repeated = await read(port(3, (start) => (start === 0 ? [row('a'), row('b'), row('a')] : [row('c')])));
    expect(repeated).toMatchObject({ rowsRead: 3, repeatedRows: 1 });
  });

  it('splits a flat answer only into whole rows of at most a page', () => {
    const where = { service: 'Recipient', operation: 'getAllAdvancedFlat' };
    expect(splitFlatRows(['a', null, 'b', 'c'], 2, 2, where)).toEqual([
      ['a', null],
      ['b', 'c'],
    ]);
    expect(() => splitFlatRows(['a', 'b', 'c'], 2, 5, where)).toThrow(OptimizelyResponseError);
    expect(() => splitFlatRows(['a', 'b', 'c', 'd', 'e', 'f'], 2, 2, where)).toThrow(/3 rows for a page of 2/);
    fc.assert(
      fc.property(fc.array(fc.option(fc.string(), { nil: null })), fc.integer({ min: 1, max: 4 }), (cells, width) => {
        const whole = cells.length % width === 0;
        if (whole) expect(splitFlatRows(cells, width, cells.length, where).flat()).toEqual(cells);
        else expect(() => splitFlatRows(cells, width, cells.length, where)).toThrow(OptimizelyResponseError);
      }),
    );
  });
});
