import { RecipientRefusalsError } from '../errors/recipient-refusals-error';
import { RESULT_CODES } from '../optimizely/api/result-codes';
import { MAX_REFUSED_PER_BATCH, type IsolatedBatch } from './isolate-refusals';

// Result code 7 (general error) says an add failed at Optimizely, not that the person may not be
// added (unsubscribed, blocklisted, bounced out, filtered: answers that were the same yesterday).
// Taken as final, a refill answered 7 for everyone ended "ready" after its clear with an empty list.
// The recipients answered 7 are sent again, only they, a few times; what still fails after that
// counts against the refusal cap with the refused, and a batch over it fails as a whole (the list
// sync fails and the list is restored) instead of ending ready without them. The other codes that
// leave a recipient off are final for that recipient, unless they leave most of a batch off
// (checkFailedAdds).

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

/**
 * Codes that leave a recipient off the list as its own answer: validation failed, unsubscribed,
 * blocklisted, over the bounce limit, filtered (7 is retried above; 0 and 5 put it on the list).
 */
const LEFT_OFF_CODES: ReadonlySet<number> = new Set([
  RESULT_CODES.invalid,
  RESULT_CODES.unsubscribed,
  RESULT_CODES.blocklisted,
  RESULT_CODES.bouncedOut,
  RESULT_CODES.filtered,
]);

/**
 * More recipients not added (still answered 7, or refused) than the cap, or all of a batch of more
 * than one: the batch fails. So does a batch that codes 1–4 or 6 leave mostly off the list (with the
 * others not added, more than the cap and more than half of it): the export already left out invalid
 * addresses, bounces and opt-outs and the unsubscribe list was asked right before, so such an answer
 * is not about its recipients (a filter or validation rule changed at Optimizely, a blocklist pattern
 * matching everyone, a broken server); taken as final, the refill after its clear ended "ready" with
 * the list emptied by it. A few such codes stay each recipient's own answer.
 */
function checkFailedAdds(batch: Pick<IsolatedBatch, 'codes' | 'refused'>, size: number, maxRefused: number): void {
  const failed = batch.codes.filter((code) => code === RESULT_CODES.error).length;
  const notAdded = failed + batch.refused.length;
  if (failed > 0 && (notAdded > maxRefused || (size > 1 && notAdded === size)))
    throw new RecipientRefusalsError(notAdded, size, `${failed} answered result code 7 (general error) ${FAILED_ADD_RETRIES + 1} times`);
  const leftOff = batch.codes.filter((code) => code !== undefined && LEFT_OFF_CODES.has(code)).length;
  if (leftOff > 0 && notAdded + leftOff > maxRefused && 2 * (notAdded + leftOff) > size)
    throw new RecipientRefusalsError(notAdded + leftOff, size, `${leftOff} answered result codes 1–4 or 6 (not added)`);
}
