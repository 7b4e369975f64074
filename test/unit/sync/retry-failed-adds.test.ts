import fc from 'fast-check';
import { OptimizelyArgumentError } from '../../../src/errors/optimizely-argument-error';
import { RecipientRefusalsError } from '../../../src/errors/recipient-refusals-error';
import { FAULT_TEXTS } from '../../../src/optimizely/api/fault-texts';
import { MAX_REFUSED_PER_BATCH, sendIsolatingRefusals } from '../../../src/sync/isolate-refusals';
import { FAILED_ADD_RETRIES, sendRetryingFailedAdds } from '../../../src/sync/retry-failed-adds';

// Result code 7 (general error) comes without a fault. Before, a batch answered 7 for everyone passed
// as sent and the list ended "ready" after its clear without them. Now the recipients answered 7 are
// sent again (only they, FAILED_ADD_RETRIES times); what still fails counts against the refusal cap
// with the refused. Whatever Optimizely answers, a batch either fails as a whole or comes back with
// every recipient's last answer, and a recipient whose adds succeed within the retries is added.

const refusal = () =>
  new OptimizelyArgumentError(`fault soapenv:Server.userException: ${FAULT_TEXTS.recipientRefused} for call: recipientId='…'`, {
    service: 'Recipient',
    operation: 'addAll3',
  });

/** Per recipient: the code it ends with, how many of its adds answer 7 first, and whether Optimizely refuses it outright. */
const aRecipient = fc.record({
  code: fc.constantFrom(0, 1, 2, 3, 4, 5, 6),
  failures: fc.oneof(fc.constant(0), fc.constant(0), fc.integer({ min: 1, max: FAILED_ADD_RETRIES + 2 })),
  refused: fc.integer({ min: 0, max: 19 }).map((n) => n === 0),
});

describe('sendRetryingFailedAdds', () => {
  it('re-sends the recipients answered 7, and fails the batch when more than the cap (or all) still fail or are refused', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(aRecipient, { minLength: 1, maxLength: 80 }), async (recipients) => {
        const attempts = recipients.map(() => 0);
        const sentAgain: number[][] = [];
        const answer = async (positions: readonly number[]) => {
          sentAgain.push([...positions]);
          return sendIsolatingRefusals(positions.length, async (start, end) => {
            const call = positions.slice(start, end);
            if (call.some((p) => recipients[p]!.refused)) throw refusal();
            return call.map((p) => (attempts[p]!++ < recipients[p]!.failures ? 7 : recipients[p]!.code));
          });
        };
        const size = recipients.length;
        const refused = recipients.filter((r) => r.refused).length;
        const stillFailed = recipients.filter((r) => !r.refused && r.failures > FAILED_ADD_RETRIES).length;
        const result = sendRetryingFailedAdds(size, answer);
        const refusalsFail = refused > MAX_REFUSED_PER_BATCH || (size > 1 && refused === size);
        const failedAddsFail =
          stillFailed > 0 && (stillFailed + refused > MAX_REFUSED_PER_BATCH || (size > 1 && stillFailed + refused === size));
        // Codes 1–4 and 6 leaving most of the batch off the list (refill-refusing-codes.test.ts).
        const leftOff = recipients.filter((r) => !r.refused && r.failures <= FAILED_ADD_RETRIES && [1, 2, 3, 4, 6].includes(r.code)).length;
        const notAdded = stillFailed + refused + leftOff;
        const leftOffFail = leftOff > 0 && notAdded > MAX_REFUSED_PER_BATCH && 2 * notAdded > size;
        if (refusalsFail || failedAddsFail || leftOffFail) {
          await expect(result).rejects.toBeInstanceOf(RecipientRefusalsError);
          return;
        }
        const batch = await result;
        expect(batch.codes).toEqual(recipients.map((r) => (r.refused ? undefined : r.failures > FAILED_ADD_RETRIES ? 7 : r.code)));
        expect(batch.refused.map((r) => r.index)).toEqual(recipients.flatMap((r, i) => (r.refused ? [i] : [])));
        // Only those answered 7 went again, each at most FAILED_ADD_RETRIES times.
        for (const again of sentAgain.slice(1)) for (const p of again) expect(recipients[p]!.failures).toBeGreaterThan(0);
        expect(sentAgain.length).toBeLessThanOrEqual(FAILED_ADD_RETRIES + 1);
      }),
      { numRuns: 400 },
    );
  });

  it('fails a batch answered 7 for everyone, every time', async () => {
    const always7 = async (positions: readonly number[]) => ({ codes: positions.map(() => 7 as const), refused: [] });
    await expect(sendRetryingFailedAdds(1000, always7)).rejects.toThrow(/1000 of 1000 .*result code 7/);
  });
});
