import type { ImportFeedbackOutput } from '../../activities/feedback-types';

/**
 * The feedback import in words. "Applied in the CRM" is only what a SQL adapter changed; what went
 * to the CSV exchange's outbox is "handed to the CRM", which imports it on its own schedule.
 */
export function feedbackSummaryLines(feedback: ImportFeedbackOutput): string[] {
  const rejected = Object.entries(feedback.rejected ?? {}).filter(([, n]) => n > 0);
  const lines = [
    `Feedback: ${feedback.bounces} bounces, ${feedback.unsubscribes} unsubscribes read; ${feedback.applied} applied in the CRM, ` +
      `${feedback.handed ?? 0} handed to the CRM (outbox, not yet imported), ${feedback.alreadyApplied} already there, ` +
      `${feedback.repeated ?? 0} applied before, ${feedback.unknownRecipient} not sent by us, ${feedback.unknownEntity} unknown to the CRM`,
  ];
  const unresolved = feedback.unresolvedOptOut ?? 0;
  if (unresolved > 0)
    lines.push(
      `  ${unresolved} opt-outs NOT applied: sent on a list no longer configured whose run recorded neither list id nor consent (the suppression ledger has them; docs/daily-sync.md)`,
    );
  if (feedback.invalidRows > 0) {
    lines.push(
      `  ${feedback.invalidRows} rows rejected${rejected.length > 0 ? `: ${rejected.map(([reason, n]) => `${reason} ${n}`).join(', ')}` : ''}`,
    );
  }
  const dropped = feedback.dropped;
  const changing = dropped?.changing ?? [];
  if (dropped && dropped.processed.length + dropped.duplicates.length + dropped.quarantined.length + changing.length > 0) {
    lines.push(
      `  dropped files: ${dropped.processed.length} processed, ${dropped.duplicates.length} seen before (skipped), ${dropped.quarantined.length} quarantined${changing.length > 0 ? `, ${changing.length} still being written (left for the next run)` : ''}`,
    );
    for (const q of dropped.quarantined) lines.push(`  QUARANTINED ${q.name}: ${q.reason}`);
  }
  return lines;
}
