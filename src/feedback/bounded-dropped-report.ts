import type { DroppedCounts, ImportFeedbackOutput } from '../../activities/feedback-types';
import type { DroppedFilesReport } from './import-dropped-files';

// A feedback folder may hold thousands of files in a night (an export job that writes one per
// mailing, a backlog after an outage). Every name went into the activity's result, and so into the
// workflow history and the daily status: names of up to 255 bytes, a path per processed copy, a reason
// per quarantined file, past Temporal's 2 MB limit on a result at a few thousand files, which failed
// the import after it had applied everything. The result names the first of each kind and counts all;
// the folders themselves (processed/, quarantine/ with a reason file beside each) hold the rest.

/** How many names of each kind the activity's result lists. */
export const DROPPED_NAMES_LISTED = 100;

type Dropped = NonNullable<ImportFeedbackOutput['dropped']>;

export function boundedDroppedReport(report: DroppedFilesReport): Dropped {
  return {
    processed: report.processed.slice(0, DROPPED_NAMES_LISTED),
    duplicates: report.duplicates.slice(0, DROPPED_NAMES_LISTED),
    quarantined: report.quarantined.slice(0, DROPPED_NAMES_LISTED),
    changing: report.changing.slice(0, DROPPED_NAMES_LISTED),
    counts: {
      processed: report.processed.length,
      duplicates: report.duplicates.length,
      quarantined: report.quarantined.length,
      changing: report.changing.length,
    },
  };
}

/** How many files of each kind, from a result of any version (before `counts`, the lists were whole). */
export function droppedCounts(dropped: Partial<Dropped> | undefined): DroppedCounts {
  return (
    dropped?.counts ?? {
      processed: dropped?.processed?.length ?? 0,
      duplicates: dropped?.duplicates?.length ?? 0,
      quarantined: dropped?.quarantined?.length ?? 0,
      changing: dropped?.changing?.length ?? 0,
    }
  );
}
