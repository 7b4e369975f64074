/**
 * The innermost message of a failure chain (child workflow → activity → application failure): what
 * went wrong, e.g. the pre-flight's missing fields, rather than "Child Workflow execution failed".
 * Activity and workflow messages hold no recipient data (see activities/refs.ts).
 */
export function failureReason(error: unknown): string {
  let current: unknown = error;
  while (current instanceof Error && current.cause instanceof Error) current = current.cause;
  if (!(current instanceof Error)) return String(current);
  return current === error ? String(error) : current.message;
}
