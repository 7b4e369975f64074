import type { ImportFeedbackOutput } from '../../activities/feedback-types';
import { boundedDroppedReport, DROPPED_NAMES_LISTED } from './bounded-dropped-report';
import { ROW_REJECTIONS } from './feedback-row';
import { rejectedRows } from './feedback-tally';
import type { ImportFeedbackResult } from './import-feedback';

/** The activity's result: counts over both kinds, file names and reasons; never row content. */
export function feedbackOutput(result: ImportFeedbackResult): ImportFeedbackOutput {
  const { bounces: b, unsubscribes: u } = result;
  return {
    bounces: b.rows,
    unsubscribes: u.rows,
    applied: b.applied + u.applied,
    handed: b.handed + u.handed,
    alreadyApplied: b.alreadyApplied + u.alreadyApplied,
    repeated: b.repeated + u.repeated,
    unknownRecipient: b.unknownRecipient + u.unknownRecipient,
    unknownEntity: b.unknownEntity + u.unknownEntity,
    unresolvedOptOut: b.unresolvedOptOut + u.unresolvedOptOut,
    invalidRows: rejectedRows(b) + rejectedRows(u),
    rejected: Object.fromEntries(ROW_REJECTIONS.map((reason) => [reason, b.rejected[reason] + u.rejected[reason]])),
    dropped: boundedDroppedReport(result.dropped),
    watermark: result.watermark,
    // The two ClosedLoop files first, then the first dropped files' copies: as bounded as the names.
    files: result.files.slice(0, 2 + DROPPED_NAMES_LISTED),
  };
}
