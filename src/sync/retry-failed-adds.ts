import { RecipientRefusalsError } from '../errors/recipient-refusals-error';
import { RESULT_CODES } from '../optimizely/api/result-codes';
import { MAX_REFUSED_PER_BATCH, type IsolatedBatch } from './isolate-refusals';

// Result code 7 (general error) says an add failed at Optimizely, not that the person may not be
// added (unsubscribed, blocklisted, bounced out, filtered: answers that were the same yesterday).
// Taken as final, a refill answered 7 for everyone ended "ready" after its clear with an empty list.
// The recipients answered 7 are sent again, only they, a few times; what still fails after that
// counts against the refusal cap with the refused, and a batch over it fails as a whole (the list
// sync fails and the list is restored) instead of ending ready without them.

/** Times the recipients answered 7 are sent again: an error rate r leaves about 1000·r⁴ of a batch. */
export const FAILED_ADD_RETRIES = 3;

/** The isolated send of some of the batch's positions (in order): one code per position, the refused by their index among them. */
export type SendPositions = (positions: readonly number[]) => Promise<Pick<IsolatedBatch, 'codes' | 'refused'>>;

/** Sends the batch, re-sends the positions answered 7, and merges: codes and refusals by batch position. */
export async function sendRetryingFailedAdds(
  size: number,
  send: SendPositions,
  options: { retries?: number; maxRefused?: number } = {},
): Promise<Pick<IsolatedBatch, 'codes' | 'refused'>> {
  const merged: Pick<IsolatedBatch, 'codes' | 'refused'> = { codes: new Array(size).fill(undefined), refused: [] };
  let positions = Array.from({ length: size }, (_, i) => i);
  for (let round = 0; positions.length > 0; round += 1) {
    const answer = await send(positions);
    positions.forEach((position, k) => (merged.codes[position] = answer.codes[k]));
    merged.refused.push(...answer.refused.map((r) => ({ ...r, index: positions[r.index] as number })));
    const failed = positions.filter((position) => merged.codes[position] === RESULT_CODES.error);
    if (round >= (options.retries ?? FAILED_ADD_RETRIES)) break;
    positions = failed;
  }
  merged.refused.sort((a, b) => a.index - b.index);
  checkFailedAdds(merged, size, options.maxRefused ?? MAX_REFUSED_PER_BATCH);
  return merged;
}

/** More recipients not added (still answered 7, or refused) than the cap, or all of a batch of more than one: the batch fails. */
function checkFailedAdds(batch: Pick<IsolatedBatch, 'codes' | 'refused'>, size: number, maxRefused: number): void {
  const failed = batch.codes.filter((code) => code === RESULT_CODES.error).length;
  const notAdded = failed + batch.refused.length;
  if (failed > 0 && (notAdded > maxRefused || (size > 1 && notAdded === size)))
    throw new RecipientRefusalsError(notAdded, size, `${failed} answered result code 7 (general error) ${FAILED_ADD_RETRIES + 1} times`);
}
