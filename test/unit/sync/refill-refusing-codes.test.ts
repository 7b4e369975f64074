import fc from 'fast-check';
import { RecipientRefusalsError } from '../../../src/errors/recipient-refusals-error';
import type { ResultCode } from '../../../src/optimizely/api/result-codes';
import { MAX_REFUSED_PER_BATCH } from '../../../src/sync/isolate-refusals';
import { sendRetryingFailedAdds } from '../../../src/sync/retry-failed-adds';

// addAll3 answers every recipient with a code; 1 (validation failed), 2 (unsubscribed), 3 (blocklisted),
// 4 (bounced out) and 6 (filtered) leave the recipient off the list. The export already left out
// invalid addresses, bounces and opt-outs, and the unsubscribe list is asked before every batch, so
// such codes for most of a batch are not about its recipients (a filter or validation rule changed at
// Optimizely, a blocklist pattern matching everyone, a broken server): taken as final, as before, the
// refill after its clear ended "ready" with those recipients gone, the list emptied by one answer.
// Now a batch whose recipients left off (by these codes, code 7 after its retries, or refused) are
// more than the refusal cap and more than half of it fails as a whole (RecipientRefusalsError: the
// list sync fails and the list is restored), as a batch answered 7 for everyone already did. A few
// such codes stay each recipient's own answer.

const REFUSING = [1, 2, 3, 4, 6];
const aBatch = fc.array(fc.oneof(fc.constantFrom(0, 5), fc.constantFrom(...REFUSING)), { minLength: 1, maxLength: 1000 });
const mostlyRefused = fc
  .record({ size: fc.integer({ min: 2 * MAX_REFUSED_PER_BATCH + 2, max: 1000 }), code: fc.constantFrom(...REFUSING), seed: fc.nat() })
  .map(({ size, code, seed }) => Array.from({ length: size }, (_, i) => ((i * 7919 + seed) % size < size / 2 + 1 ? code : 0)));

describe('addAll3 codes that leave most of a batch off the list', () => {
  it("fail the batch as a whole when more than the cap and more than half; otherwise each code is the recipient's own", async () => {
    await fc.assert(
      fc.asyncProperty(fc.oneof(aBatch, mostlyRefused), async (codes) => {
        const result = sendRetryingFailedAdds(codes.length, async (positions) => ({
          codes: positions.map((p) => codes[p] as ResultCode),
          refused: [],
        }));
        const off = codes.filter((code) => REFUSING.includes(code)).length;
        if (off > MAX_REFUSED_PER_BATCH && off * 2 > codes.length) {
          await expect(result).rejects.toBeInstanceOf(RecipientRefusalsError);
          await expect(result).rejects.toThrow(/result codes 1–4 or 6/);
        } else {
          expect((await result).codes).toEqual(codes);
        }
      }),
      { numRuns: 300 },
    );
  });
});
