import fc from 'fast-check';
import { faultDrawFor } from '../../../src/simulator/fault-draws';

const take = (draw: () => number, n: number) => Array.from({ length: n }, () => draw());

describe('faultDrawFor', () => {
  it('draws the same sequence in [0, 1) for the same seed, and spreads it over the range', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffffff }), (seed) => {
        const values = take(faultDrawFor(seed), 2000);
        expect(take(faultDrawFor(seed), 2000)).toEqual(values);
        expect(values.every((v) => v >= 0 && v < 1)).toBe(true);
        // A 10% rate must really fire about 10% of the time, or seeding would change what tests prove.
        const hits = values.filter((v) => v < 0.1).length;
        expect(hits).toBeGreaterThan(120);
        expect(hits).toBeLessThan(280);
      }),
      { numRuns: 50 },
    );
  });

  it('is Math.random without a seed', () => {
    expect(faultDrawFor(undefined)).toBe(Math.random);
  });
});
