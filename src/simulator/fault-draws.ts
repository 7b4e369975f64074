import { mulberry32 } from '../demo/demo-random';

// The random draws behind errorRate, unavailableRate and recipientErrorRate. Unseeded they are
// Math.random; a `randomSeed` in the fault settings makes them a fixed sequence, so a test that needs
// "some calls failed" gets the same faults every run instead of odds. Which call gets which draw still
// follows the order calls arrive in; the sequence of outcomes does not.

/** Returns numbers in [0, 1). */
export type FaultDraw = () => number;

/** Math.random without a seed; with one, mulberry32 (small, fast, and good enough for test faults). */
export function faultDrawFor(seed: number | undefined): FaultDraw {
  return seed === undefined ? Math.random : mulberry32(seed);
}
