import { MAX_BATCH_SIZE } from '../../../src/optimizely/client';
import { REFILL_BATCH_SIZE } from '../../../workflows/refill-batch';

describe('REFILL_BATCH_SIZE', () => {
  it('fits one addAll3 call', () => {
    expect(REFILL_BATCH_SIZE).toBeGreaterThan(0);
    expect(REFILL_BATCH_SIZE).toBeLessThanOrEqual(MAX_BATCH_SIZE);
  });
});
