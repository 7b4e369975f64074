import type { ImportFeedbackOutput } from '../../activities/feedback-types';
import { droppedCounts } from '../feedback/bounded-dropped-report';
import { fieldLine, shownText } from './terminal-text';

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
      `  ${feedback.invalidRows} rows rejected${rejected.length > 0 ? `: ${rejected.map(([reason, n]) => fieldLine`${reason} ${n}`).join(', ')}` : ''}`,
    );
  }
  const dropped = feedback.dropped;
  const counts = droppedCounts(dropped);
  if (dropped && counts.processed + counts.duplicates + counts.quarantined + counts.changing > 0) {
    lines.push(
      `  dropped files: ${counts.processed} processed, ${counts.duplicates} seen before (skipped), ${counts.quarantined} quarantined${counts.changing > 0 ? `, ${counts.changing} still being written (left for the next run)` : ''}`,
    );
    // A file's name is the export job's (or anyone's with access to the folder): a line break in it
    // would print lines of its own under ours ("0 quarantined"), so it is printed on one line, escaped
    // and bounded (a name of a megabyte printed a megabyte line).
    for (const q of dropped.quarantined) lines.push(`${fieldLine`  QUARANTINED ${q.name}`}: ${shownText(q.reason)}`);
    const unlisted = counts.quarantined - dropped.quarantined.length;
    if (unlisted > 0) lines.push(`  and ${unlisted} more quarantined (each with its reason file in quarantine/)`);
  }
  return lines;
}
