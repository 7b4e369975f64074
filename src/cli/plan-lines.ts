import type { PlanReport } from '../plan/plan-list';
import { fieldLine, shownField, shownText } from './terminal-text';

/** What `plan` prints without --json: the counts, the diff and the guard's verdict of one list. */
export function planLines(r: PlanReport, csvFile: string | undefined, csvRows: number | undefined): string[] {
  const excluded =
    Object.entries(r.crm.excluded)
      .sort(([, a], [, b]) => b - a)
      .map(([reason, n]) => fieldLine`${reason} ${n}`)
      .join(', ') || 'none';
  const { add, remove, update, unchanged } = r.diff;
  return [
    `${fieldLine`Plan for list ${r.listKey} (Optimizely list ${r.listId})`}; nothing was changed.`,
    `  CRM: rows read ${r.crm.rowsRead}; accepted ${r.crm.accepted}; excluded by reason: ${excluded}`,
    `  Optimizely: ${r.optimizely.count} recipients on the list (${r.optimizely.rowsRead} read in ${r.optimizely.pages} page(s))`,
    `  diff: add ${add}, remove ${remove}, update ${update}, unchanged ${unchanged}`,
    `  guard: ${r.guard.verdict === 'pass' ? 'pass' : `HOLD: ${r.guard.reasons.map(shownText).join('; ')}`}${unsubscribedNote(r.guard.optimizelyUnsubscribed)}`,
    '  the nightly refresh clears the list and refills the accepted recipients: the diff is what that amounts to',
    ...r.warnings.map((w) => `  warning: ${shownText(w)}`),
    ...(csvFile !== undefined
      ? [`  diff written to ${shownField(csvFile)} (${csvRows} rows: add, remove and update; unchanged left out)`]
      : []),
  ];
}

/** The guard's count of accepted recipients Optimizely's unsubscribe list holds: the refill leaves them out. */
function unsubscribedNote(n: number): string {
  return n > 0 ? ` (${n} held as unsubscribed at Optimizely: the refill leaves them out)` : '';
}
