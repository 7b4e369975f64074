import fc from 'fast-check';
import { mergeMinutes, summariseMinutes } from '../../../src/alerts/consent-latency-summary';

describe('summariseMinutes', () => {
  it('gives count, nearest-rank median and p95, max and how many exceeded the objective', () => {
    expect(summariseMinutes({ '10': 5, '120': 4, '2000': 1 }, 26 * 60)).toEqual({
      count: 10,
      medianMinutes: 10,
      p95Minutes: 2000,
      maxMinutes: 2000,
      overObjective: 1,
    });
    expect(summariseMinutes({}, 1560)).toEqual({ count: 0, medianMinutes: null, p95Minutes: null, maxMinutes: null, overObjective: 0 });
  });

  it('agrees with the sorted list of every latency, whatever the histogram', () => {
    fc.assert(
      fc.property(
        fc.dictionary(fc.integer({ min: 0, max: 5000 }).map(String), fc.integer({ min: 1, max: 20 })),
        fc.integer({ min: 0, max: 5000 }),
        (histogram, objective) => {
          const all = Object.entries(histogram)
            .flatMap(([m, n]) => Array.from({ length: n }, () => Number(m)))
            .sort((a, b) => a - b);
          const summary = summariseMinutes(histogram, objective);
          expect(summary.count).toBe(all.length);
          expect(summary.maxMinutes).toBe(all.at(-1) ?? null);
          expect(summary.medianMinutes).toBe(all.length ? all[Math.ceil(0.5 * all.length) - 1] : null);
          expect(summary.p95Minutes).toBe(all.length ? all[Math.ceil(0.95 * all.length) - 1] : null);
          expect(summary.overObjective).toBe(all.filter((m) => m > objective).length);
        },
      ),
    );
  });

  it('ignores what is not a count of a whole minute when merging', () => {
    expect(mergeMinutes({ '5': 1, '-3': 2, x: 1, '7': 1.5 }, { '5': 2, '9': 0 })).toEqual({ '5': 3 });
  });
});
