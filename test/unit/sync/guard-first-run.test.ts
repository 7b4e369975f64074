import fc from 'fast-check';
import { guardBaseline, guardReasons, MAX_PLAUSIBLE_LIVE_COUNT, type LiveCountAnswer } from '../../../src/sync/guard';
import { guardLimits } from '../../helpers/guard-limits';

const limits = guardLimits();

/** What Optimizely may answer to getCount when it answers wrongly: never a baseline. */
const hostileCount: fc.Arbitrary<unknown> = fc.oneof(
  fc.integer({ min: -1_000_000, max: -1 }),
  fc.double({ noInteger: true, noNaN: false }),
  fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 2 ** 53, MAX_PLAUSIBLE_LIVE_COUNT + 1),
  fc.integer({ min: MAX_PLAUSIBLE_LIVE_COUNT + 1, max: Number.MAX_SAFE_INTEGER }),
  fc.string(),
  fc.constantFrom(null, undefined, true, {}, []),
);

describe('guard on a list without a last good run', () => {
  it('measures the shrink against the live list before the clear and names that baseline', () => {
    const reasons = guardReasons(limits, { count: 3, rowsRead: 3, excluded: {}, liveCount: { value: 50_000 } });
    expect(reasons).toEqual([
      'the export shrank by 100.0% against the live list before the clear (no last good run) (50000 → 3; limit 20%)',
    ]);
    expect(guardReasons(limits, { count: 45_000, rowsRead: 45_000, excluded: {}, liveCount: { value: 50_000 } })).toEqual([]);
  });

  it('holds a shrink of exactly the limit nowhere (no rounding in the comparison)', () => {
    expect(guardReasons({ ...limits, maxShrinkPercent: 7 }, { count: 93, rowsRead: 93, excluded: {}, liveCount: { value: 100 } })).toEqual(
      [],
    );
    expect(guardReasons({ ...limits, maxShrinkPercent: 7 }, { count: 93, rowsRead: 93, excluded: {}, lastGoodCount: 100 })).toEqual([]);
  });

  it('lets the first run of an empty live list through (nothing to shrink)', () => {
    expect(guardReasons(limits, { count: 3, rowsRead: 3, excluded: {}, liveCount: { value: 0 } })).toEqual([]);
    expect(guardBaseline({ liveCount: { value: 0 } })).toEqual({ kind: 'live-list', count: 0 });
  });

  it('keeps the last good run as the baseline when there is one, whatever the live list holds', () => {
    const input = { count: 900, rowsRead: 900, excluded: {}, lastGoodCount: 1000, liveCount: { value: 50_000 } };
    expect(guardReasons(limits, input)).toEqual([]);
    expect(guardBaseline(input)).toEqual({ kind: 'last-good-run', count: 1000 });
  });

  it('holds when the live count could not be read, naming why', () => {
    const reasons = guardReasons(limits, { count: 10, rowsRead: 10, excluded: {}, liveCount: { error: 'connection reset' } });
    expect(reasons).toEqual([
      "no last good run, and the live list's count before the clear is unusable (it could not be read: connection reset)",
    ]);
  });

  it('treats any answer that is not a plausible count as a refusal, never a pass', () => {
    fc.assert(
      fc.property(hostileCount, fc.nat({ max: 100_000 }), fc.boolean(), (value, count, allowEmpty) => {
        const reasons = guardReasons({ ...limits, allowEmpty }, { count, rowsRead: count, excluded: {}, liveCount: { value } });
        expect(
          reasons.some((reason) => reason.startsWith("no last good run, and the live list's count before the clear is unusable")),
        ).toBe(true);
        expect(guardBaseline({ liveCount: { value } })?.kind).toBe('unusable');
      }),
      { numRuns: 500 },
    );
  });

  // The decision, whichever baseline applies: hold exactly when the export is empty and may not be,
  // or when it is more than maxShrinkPercent below the baseline (last good run, else live list).
  it('holds exactly when the export shrinks the baseline beyond the limit, first run or not', () => {
    fc.assert(
      fc.property(
        fc.nat({ max: 200_000 }),
        fc.nat({ max: 200_000 }),
        fc.integer({ min: 0, max: 100 }),
        fc.boolean(),
        fc.option(fc.nat({ max: 200_000 }), { nil: undefined }),
        (live, count, maxShrinkPercent, allowEmpty, lastGoodCount) => {
          const liveCount: LiveCountAnswer = { value: live };
          const reasons = guardReasons(
            { ...limits, maxShrinkPercent, allowEmpty },
            { count, rowsRead: count, excluded: {}, lastGoodCount, liveCount },
          );
          const baseline = lastGoodCount ?? live;
          const shrinks = baseline > 0 && (baseline - count) * 100 > maxShrinkPercent * baseline;
          const emptyRefused = count === 0 && !allowEmpty;
          expect(reasons.length > 0).toBe(emptyRefused || shrinks);
          if (shrinks && !emptyRefused) {
            const named = lastGoodCount === undefined ? 'the live list before the clear (no last good run)' : 'the last good run';
            expect(reasons).toEqual([expect.stringContaining(`against ${named} (${baseline} → ${count};`)]);
          }
        },
      ),
      { numRuns: 2000 },
    );
  });
});
