import { reconcileText } from '../reconcile/reconcile-text';
import type { StateStore } from '../store/state-store';
import { driftFromCounts, driftText } from '../sync/drift';
import { feedbackSummaryLines } from './feedback-summary-lines';
import { fieldLine, shownField, shownText, terminalLine } from './terminal-text';
import { leftOutAtRefillLines } from './left-out-at-refill';
import type { DailySyncStatus } from '../../workflows/daily-sync';

/**
 * One line per list: exported, excluded by reason, sent, result codes, verified count, window. Each
 * line is made terminal-safe: a list's note can carry a failure message from outside.
 */
export async function printDailySummary(
  status: DailySyncStatus,
  store: StateStore,
  print: (line: string) => void = console.log,
): Promise<void> {
  const out = (line: string) => print(terminalLine(line));
  if (status.feedback) feedbackSummaryLines(status.feedback).forEach((line) => out(line));
  for (const [listKey, list] of Object.entries(status.lists)) {
    const run = (await store.runs.list({ client: status.client, listKey, kind: 'list', limit: 1 }))[0];
    const counts = run?.counts ?? {};
    const pick = (prefix: string) =>
      Object.entries(counts)
        .filter(([key]) => key.startsWith(prefix))
        .map(([key, n]) => fieldLine`${key.slice(prefix.length)}=${n}`)
        .join(' ');
    out(`${fieldLine`List ${listKey}: ${list.state}`}${list.note ? ` (${shownText(list.note)})` : ''}`);
    if (!run) continue;
    out(
      `  exported ${counts.exported ?? 0}; excluded: ${pick('excluded.') || 'none'}${pick('sanitized.') ? `; sanitized: ${pick('sanitized.')}` : ''}`,
    );
    if (counts.idnConverted) out(`  e-mail domains converted to punycode: ${counts.idnConverted}`);
    if (pick('suppressed.'))
      out(
        `  suppressed at export (Optimizely's unsubscribes and bounces in the suppression ledger, whatever the CRM says): ${pick('suppressed.')}`,
      );
    out(`  sent ${counts.sent ?? 0}; result codes: ${pick('resultCodes.') || 'none'}`);
    for (const line of leftOutAtRefillLines(counts)) out(line);
    if (counts.rejected)
      out(
        `  rejected ${counts.rejected}: refused by Optimizely on their own, the rest of their batches went in (see campaign-sync report ${shownField(run.runId)})`,
      );
    const drift = driftText(driftFromCounts(counts));
    if (drift) out(`  ${drift}`);
    const reconciled = reconcileText(counts);
    if (reconciled) out(`  ${reconciled}`);
    if (list.verifiedCount !== undefined)
      out(`  verified count ${list.verifiedCount}${reconciled ? '' : `; clear-to-ready window ${list.windowSeconds?.toFixed(2)} s`}`);
  }
}
