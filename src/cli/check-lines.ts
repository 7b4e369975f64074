import type { ListCheckResult } from '../sync/preflight/check-lists';
import { fieldLine, shownField, shownText } from './terminal-text';

/** What `check` prints without --json: one line per list that passed, one per problem of a list that failed. */
export function checkLines(clientKey: string, results: ListCheckResult[]): string[] {
  const width = Math.max(...results.map((r) => shownField(r.listKey).length));
  const failed = results.filter((r) => !r.ok).length;
  return [
    `Checked ${results.length} list(s) of client ${shownField(clientKey)} at Optimizely and in the CRM; nothing was changed.`,
    ...results.flatMap((r) => lines(r, width)),
    failed === 0
      ? 'All checked lists pass.'
      : `${failed} of ${results.length} list(s) failed: their next sync would fail before the clear.`,
  ];
}

function lines(r: ListCheckResult, width: number): string[] {
  const head = `  ${shownField(r.listKey).padEnd(width)}  `;
  if (r.skipped) return [`${head}skipped  disabled ${fieldLine`(check it with --list ${r.listKey})`}`];
  if (!r.ok)
    return r.problems.map(
      (problem, i) => `${i === 0 ? head : ' '.repeat(head.length)}${i === 0 ? 'FAILED' : '      '}   ${shownText(problem)}`,
    );
  const columns = r.columnsChecked ? 'CRM selection has every column' : 'CRM selection returned no rows, columns not seen';
  return [`${head}ok       list ${r.listId} has all ${r.fieldsRequired} fields sent; ${columns}`];
}
