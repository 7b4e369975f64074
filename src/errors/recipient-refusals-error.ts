/**
 * A refill batch had more recipients refused one by one than a recipient-level refusal explains
 * (or all of them): the refusal is treated as the batch's, so the list sync fails (and the list is
 * restored) instead of ending ready without most of its recipients. Permanent.
 */
export class RecipientRefusalsError extends Error {
  /** Permanent: retrying cannot help (workflows/retry-contract.ts). */
  static readonly retryable = false;

  override readonly name = 'RecipientRefusalsError';

  constructor(
    readonly refused: number,
    readonly batchSize: number,
    readonly lastFault: string,
  ) {
    super(
      `${refused} of ${batchSize} recipients in one refill batch were refused on their own; treated as a refusal of the whole batch: ${lastFault}`,
    );
  }
}
