import { OptimizelyResponseError } from '../errors/optimizely-response-error';
import { RecipientRefusalsError } from '../errors/recipient-refusals-error';
import { isRecipientLevelRefusal } from '../optimizely/client/recipient-refusal';
import type { ResultCode } from '../store/types';

/**
 * More refused recipients than this in one batch of a refill means the refusal is not about
 * recipients after all (a field every recipient fills the same way, a rule changed at Optimizely):
 * the batch fails as a whole and the list sync with it, rather than the list ending "ready" but
 * mostly empty. It also bounds the calls a batch can cost: at most 1 + 2·(cap + 1)·⌈log2 n⌉.
 */
export const MAX_REFUSED_PER_BATCH = 10;

/** One recipient refused on its own: its position in the batch and the redacted fault. */
export interface Refusal {
  index: number;
  fault: string;
}

export interface IsolatedBatch {
  /** One code per row; undefined at refused positions. */
  codes: Array<ResultCode | undefined>;
  refused: Refusal[];
  /** addAll3 calls this batch took (1 when nothing was refused). */
  calls: number;
}

/**
 * Sends a batch with `send`; when it is refused for a recipient-level reason (see
 * isRecipientLevelRefusal), halves it until the refused recipients are alone and sends the rest.
 * Any other error (transient, session, a call-level refusal) is thrown unchanged: retries and the
 * list sync's failure handling stay as they are. Each call covers a strictly smaller range than its
 * parent, so it terminates. Answers are checked: a wrong-length or out-of-range result array is an
 * OptimizelyResponseError, never a reason to narrow down.
 */
export async function sendIsolatingRefusals(
  size: number,
  send: (start: number, end: number) => Promise<readonly number[]>,
  maxRefused = MAX_REFUSED_PER_BATCH,
): Promise<IsolatedBatch> {
  const result: IsolatedBatch = { codes: new Array<ResultCode | undefined>(size).fill(undefined), refused: [], calls: 0 };
  const visit = async (start: number, end: number): Promise<void> => {
    result.calls += 1;
    let codes: readonly number[];
    try {
      codes = await send(start, end);
    } catch (error) {
      if (!isRecipientLevelRefusal(error)) throw error;
      if (end - start > 1) {
        const middle = start + Math.ceil((end - start) / 2);
        await visit(start, middle);
        await visit(middle, end);
        return;
      }
      result.refused.push({ index: start, fault: faultText(error) });
      const wholeBatch = size > 1 && result.refused.length === size;
      if (result.refused.length > maxRefused || wholeBatch) throw new RecipientRefusalsError(result.refused.length, size, faultText(error));
      return;
    }
    checkAnswer(codes, end - start);
    codes.forEach((code, i) => (result.codes[start + i] = code as ResultCode));
  };
  if (size > 0) await visit(0, size);
  return result;
}

function checkAnswer(codes: readonly number[], expected: number): void {
  const fail = (reason: string) => new OptimizelyResponseError(reason, { service: 'Recipient', operation: 'addAll3' });
  if (!Array.isArray(codes) || codes.length !== expected)
    throw fail(`${Array.isArray(codes) ? codes.length : 'no'} result codes for ${expected} recipients`);
  if (codes.some((code) => !Number.isInteger(code) || code < 0 || code > 7)) throw fail('result code outside 0–7');
}

/**
 * Only OptimizelyArgumentError reaches here: its message is the client's already redacted fault (a
 * known template) or the request writer's own words naming a path, never a value. Cut for the ledger.
 */
function faultText(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}
