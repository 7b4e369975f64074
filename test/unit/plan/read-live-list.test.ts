import fc from 'fast-check';
import { OptimizelyResponseError } from '../../../src/errors/optimizely-response-error';
import type { OptimizelyPort, Row } from '../../../src/optimizely/client/optimizely-port';
import { splitFlatRows } from '../../../src/optimizely/client/services/expect-value';
import { createLiveIndex } from '../../../src/plan/live-index';
import { lastPageIndex, pageStart } from '../../../src/plan/page-chain';
import { planFields } from '../../../src/plan/plan-fields';
import { LIVE_READ_ATTEMPTS, readLiveList } from '../../../src/plan/read-live-list';

const FIELDS = planFields({ idField: 'email', emailField: 'email' }, { first_name: 'firstname' });
const WIDTH = FIELDS.readNames.length;
const row = (id: string | null): Row => [id, ...Array.from({ length: WIDTH - 1 }, () => 'v')];
const byId = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * A list server: getCount and getAllAdvancedFlat (sorted by id, positional paging) over a set of ids
 * that `edit` may change before any call (marketing editing by hand), and whose pages `tamper` may
 * falsify (a hostile or broken answer). Calls are numbered in the order the reader makes them.
 */
function listServer(
  initial: string[],
  options: {
    edit?: (call: number, ids: Set<string>) => void;
    tamper?: (page: Row[], call: number) => Row[];
  } = {},
) {
  const ids = new Set(initial);
  const seen = new Set(initial);
  let calls = 0;
  const before = () => {
    options.edit?.(calls, ids);
    for (const id of ids) seen.add(id);
    return calls++;
  };
  const port = {
    recipient: {
      getCount: async () => (before(), ids.size),
      getAllAdvancedFlat: async ({ pageStart: start, pageSize }: { pageStart: number; pageSize: number }) => {
        const call = before();
        const page = [...ids]
          .sort(byId)
          .slice(start, start + pageSize)
          .map(row);
        return options.tamper ? options.tamper(page, call) : page;
      },
    },
  } as unknown as OptimizelyPort;
  return { port, ids, seen };
}

async function read(optimizely: OptimizelyPort, pageSize = 3, concurrency?: number) {
  const index = createLiveIndex();
  try {
    const result = await readLiveList({ optimizely, listId: 100, fields: FIELDS, index, pageSize, concurrency });
    return { ...result, ids: [...index.unseen()] };
  } finally {
    index.close();
  }
}

const idsArb = fc.uniqueArray(fc.string({ minLength: 1, maxLength: 4 }), { maxLength: 40 });
const pageSizeArb = fc.integer({ min: 2, max: 7 });
const concurrencyArb = fc.integer({ min: 1, max: 8 });

describe('page arithmetic', () => {
  it('asks for exactly the pages that cover the count with one row of overlap, the last one short', () => {
    fc.assert(
      fc.property(fc.nat(5000), fc.integer({ min: 2, max: 1000 }), (count, size) => {
        const last = lastPageIndex(count, size);
        // Every page before the last is full, the last is short (it ends the list).
        expect(pageStart(last, size) + size).toBeGreaterThan(count);
        if (last > 0) expect(pageStart(last - 1, size) + size).toBeLessThanOrEqual(count);
      }),
    );
  });
});

describe('reading the live list', () => {
  it('reads any unchanged list exactly, whatever the page size and the pages in flight', async () => {
    await fc.assert(
      fc.asyncProperty(idsArb, pageSizeArb, concurrencyArb, async (ids, pageSize, concurrency) => {
        const result = await read(listServer(ids).port, pageSize, concurrency);
        expect(result.ids).toEqual([...ids].sort(byId));
        expect(result).toMatchObject({
          count: ids.length,
          rowsRead: ids.length,
          rereads: 0,
          pages: lastPageIndex(ids.length, pageSize) + 1,
        });
      }),
      { numRuns: 150 },
    );
  });

  it('a list edited while read gives every id that stayed throughout and only ids that were there, or a refusal', async () => {
    await fc.assert(
      fc.asyncProperty(
        idsArb,
        pageSizeArb,
        concurrencyArb,
        fc.array(fc.record({ at: fc.nat(30), id: fc.string({ minLength: 1, maxLength: 4 }), add: fc.boolean() }), { maxLength: 6 }),
        async (ids, pageSize, concurrency, edits) => {
          const removed = new Set<string>();
          const server = listServer(ids, {
            edit: (call, live) => {
              for (const e of edits.filter((x) => x.at === call)) {
                if (e.add) live.add(e.id);
                else if (live.delete(e.id)) removed.add(e.id);
              }
            },
          });
          const outcome = await read(server.port, pageSize, concurrency).catch((error: Error) => error);
          if (outcome instanceof Error) {
            expect(outcome).toBeInstanceOf(OptimizelyResponseError);
            expect(outcome.message).toMatch(/list 100 changed while it was read, 3 reads in a row/);
            return;
          }
          const got = new Set(outcome.ids);
          // Present throughout: there at the start, never removed (an id removed and added again may be missing).
          for (const id of ids) if (!removed.has(id)) expect(got.has(id)).toBe(true);
          for (const id of got) expect(server.seen.has(id)).toBe(true);
          expect(got.size).toBe(outcome.count);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('an edit that tears the first read is read again, and the second read is exact', async () => {
    const ids = ['a', 'b', 'c', 'd', 'e', 'f', 'g'];
    // Call 2 is the second page of the first read: removing 'a' shifts every position by one.
    const server = listServer(ids, { edit: (call, live) => call === 2 && live.delete('a') });
    const result = await read(server.port, 3, 1);
    expect(result).toMatchObject({ count: 6, rowsRead: 6, rereads: 1 });
    expect(result.ids).toEqual(['b', 'c', 'd', 'e', 'f', 'g']);
  });

  it('a removal and an addition that keep the count are caught where the pages join, not missed', async () => {
    const ids = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i'];
    // After the first page (a b c): 'a' leaves and 'z' joins at the end. The count stays 9 and no id
    // comes twice, but the second page now starts at 'd' instead of 'c': without the overlap 'd', on
    // the list the whole time, would be missed (and a leaver 'd' kept).
    let torn = false;
    const server = listServer(ids, {
      edit: (call, live) => {
        if (call !== 2 || torn) return;
        torn = true;
        live.delete('a');
        live.add('z');
      },
    });
    const result = await read(server.port, 3, 1);
    expect(result).toMatchObject({ rereads: 1, rowsRead: 9 });
    expect(result.ids).toEqual(['b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'z']);
  });

  it('a list that keeps changing is refused after the attempts, naming the list', async () => {
    let n = 0;
    const server = listServer(['a', 'b', 'c', 'd', 'e'], { edit: (_call, live) => live.add(`z${n++}`) });
    await expect(read(server.port, 3)).rejects.toThrow(
      new RegExp(`list 100 changed while it was read, ${LIVE_READ_ATTEMPTS} reads in a row .*nothing was decided from it`),
    );
  });

  it('falsified pages of an unchanged list give the exact list or a refusal, or at most a substitution no reader can see', async () => {
    const tampering = fc.oneof(
      fc.record({ kind: fc.constant('drop' as const), at: fc.nat(10) }),
      fc.record({ kind: fc.constant('duplicate' as const), at: fc.nat(10) }),
      fc.record({ kind: fc.constant('extra' as const), id: fc.string({ minLength: 1, maxLength: 4 }) }),
      fc.record({ kind: fc.constant('shift' as const) }),
      fc.record({ kind: fc.constant('empty' as const) }),
      fc.record({ kind: fc.constant('width' as const) }),
      fc.record({ kind: fc.constant('fail' as const) }),
    );
    await fc.assert(
      fc.asyncProperty(
        idsArb,
        pageSizeArb,
        concurrencyArb,
        fc.array(fc.tuple(fc.nat(12), tampering), { maxLength: 4 }),
        async (ids, pageSize, concurrency, plan) => {
          const tamper = (page: Row[], call: number): Row[] => {
            let rows = page;
            for (const [, t] of plan.filter(([at]) => at === call)) rows = falsify(rows, t);
            return rows;
          };
          const outcome = await read(listServer(ids, { tamper }).port, pageSize, concurrency).catch((error: Error) => error);
          if (outcome instanceof Error) return;
          const extras = plan.flatMap(([, t]) => (t.kind === 'extra' ? [t.id] : []));
          const losesRows = plan.some(([, t]) => t.kind === 'drop' || t.kind === 'shift' || t.kind === 'empty');
          if (extras.length === 0 || !losesRows) {
            expect(outcome.ids).toEqual([...ids].sort(byId));
            return;
          }
          // A lost row and a foreign one in its place keep the count and every join: the server then
          // describes, consistently, a list where one id stands for another. No reader can tell that from a
          // real list (the weekly read-back and the next run's diff do). What must still hold: the count is
          // the list's, and each id missing is replaced by a foreign id the server sent, never invented.
          expect(outcome.ids).toHaveLength(ids.length);
          const missing = ids.filter((id) => !outcome.ids.includes(id));
          expect(missing.length).toBeLessThanOrEqual(extras.length);
          for (const id of outcome.ids) expect(ids.includes(id) || extras.includes(id)).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });

  it('refuses a row without a recipient id or of the wrong width, naming the row and the list', async () => {
    await expect(read(listServer(['a'], { tamper: () => [row(null)] }).port)).rejects.toThrow(
      /row 1 of list 100 has no recipient id in field email/,
    );
    await expect(read(listServer(['a'], { tamper: () => [['a']] }).port)).rejects.toThrow(/list 100: row 1 has 1 values for \d+ fields/);
  });

  it('refuses a page longer than asked', async () => {
    const long = listServer(['a', 'b'], { tamper: (page) => [...page, row('x'), row('y')] });
    await expect(read(long.port, 3)).rejects.toThrow(/list 100: page 1 has 4 rows for a page of 3/);
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

type Tampering =
  { kind: 'drop' | 'duplicate'; at: number } | { kind: 'extra'; id: string } | { kind: 'shift' | 'empty' | 'width' | 'fail' };

/** One way a page can be wrong: a row dropped or repeated, a foreign row, the page shifted, emptied, mis-sized, or an error. */
function falsify(rows: Row[], t: Tampering): Row[] {
  switch (t.kind) {
    case 'drop':
      return rows.filter((_, i) => i !== t.at % Math.max(1, rows.length));
    case 'duplicate':
      return rows.length === 0 ? rows : [...rows.slice(0, (t.at % rows.length) + 1), ...rows.slice(t.at % rows.length)];
    case 'extra':
      return [...rows, row(t.id)];
    case 'shift':
      return rows.slice(1);
    case 'empty':
      return [];
    case 'width':
      return rows.map((r) => r.slice(1));
    case 'fail':
      throw new OptimizelyResponseError('the server answered nonsense', { service: 'Recipient', operation: 'getAllAdvancedFlat' });
  }
}
