/**
 * Thrown when a list's selection does not return the required columns. Raised on the first row, so
 * a misconfigured query fails the export instead of excluding every row. Permanent.
 */
export class CrmSelectionColumnsError extends Error {
  override readonly name = 'CrmSelectionColumnsError';

  constructor(
    readonly listKey: string,
    readonly missingColumns: readonly string[],
    options?: { cause?: unknown },
  ) {
    super(`selection of list "${listKey}" lacks the columns ${missingColumns.join(', ')}`, options);
  }
}
