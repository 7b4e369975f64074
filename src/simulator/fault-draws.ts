// The random draws behind errorRate, unavailableRate and recipientErrorRate. Unseeded they are
// Math.random; a `randomSeed` in the fault settings makes them a fixed sequence, so a test that needs
// "some calls failed" gets the same faults every run instead of odds. Which call gets which draw still
// follows the order calls arrive in; the sequence of outcomes does not.

/** Returns numbers in [0, 1). */
export type FaultDraw = () => number;

/** Math.random without a seed; with one, mulberry32 (small, fast, and good enough for test faults). */
export function faultDrawFor(seed: number | undefined): FaultDraw {
  if (seed === undefined) return Math.random;
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
