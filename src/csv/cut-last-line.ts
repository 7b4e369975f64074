// The one rule for a CSV file's last line when the file does not end in a line break: a job that
// stopped writing or a transfer that broke off leaves the file cut inside that line, and a cut cell
// reads as another value (recipient 12345 as 123, list 78 as 7, `nein` as `n`). Such a file does not
// change size any more, so "is it still being written" cannot tell. Dropped feedback files reject
// that line (feedback-file.ts), the CSV CRM excludes it (read-csv-selection.ts), both under this name.

/** The reason (feedback rejection, CRM exclusion) of a last line not ended by a line break. */
export const CUT_LAST_LINE = 'cut_last_line';

/** What the reason means, for a rejection's detail. */
export const CUT_LAST_LINE_DETAIL = 'the last line is not ended by a line break: the file may have been cut in its last cell';
