/**
 * Thrown when a list's selection does not return the required columns. Raised on the first row, so
 * a misconfigured query fails the export instead of excluding every row. Permanent.
 */
export class CrmSelectionColumnsError extends Error {
  /** Permanent: retrying cannot help (workflows/retry-contract.ts). */
  static readonly retryable = false;

  override readonly name = 'CrmSelectionColumnsError';

  constructor(
    readonly listKey: string,
    readonly missingColumns: readonly string[],
    options?: { cause?: unknown; file?: string; mappedFrom?: Readonly<Record<string, string>> },
  ) {
    super(
      `${options?.file ? `${options.file}: ` : ''}selection of list "${listKey}" lacks the columns ${describe(missingColumns, options?.mappedFrom)}`,
      options,
    );
  }
}

/** `opt_in_id (mapped from "opt-in-id")` for a column the list's `columns` mapping expected to find. */
function describe(columns: readonly string[], mappedFrom: Readonly<Record<string, string>> = {}): string {
  return columns.map((c) => (Object.hasOwn(mappedFrom, c) ? `${c} (mapped from "${mappedFrom[c]}")` : c)).join(', ');
}
