// Why a run exported again before sending more (docs/daily-sync.md, "A long hold" and "A long
// pause"): an operator approved a held run later than guard.reexportAfter after its export, or the
// run stood paused at a safe point and its export was then older than that. The guard of the
// re-export is the same either way (guard-after-hold.ts); its reasons, which operators read in
// `status`, the daily summary, the hold's incident notice and the log, name which of the two it was.

/** Why the re-export was taken; set by the workflow on the guard's input, counts only. */
export type ReexportCause = { after: 'late-approval' } | { after: 'pause'; pausedMs: number };

/** The re-export after a late approval, and the cause of a re-export scheduled before causes were told (none given). */
export const AFTER_LATE_APPROVAL: ReexportCause = { after: 'late-approval' };

/**
 * What happened, as the end of "the re-export after …": `a late approval`, or `a pause of 1h 5m`.
 * The input comes from a workflow history: anything but a pause with a usable length reads as
 * before causes were told (a late approval), or as a pause of unknown length.
 */
export function reexportCauseText(cause: ReexportCause | undefined): string {
  if (cause?.after !== 'pause') return 'a late approval';
  const ms = cause.pausedMs;
  return typeof ms === 'number' && Number.isFinite(ms) && ms >= 0 ? `a pause of ${shownDuration(ms)}` : 'a pause';
}

/** The export a re-export is measured against, as a shrink reason names it. */
export function reexportBaselineText(cause: ReexportCause | undefined): string {
  const text = reexportCauseText(cause);
  return cause?.after === 'pause'
    ? `the export the run went on with (re-exported after ${text})`
    : `the export approved before it (re-exported after ${text})`;
}

/** A length of time in its two largest units: `2h 5m`, `5m 3s`, `42s`, `under 1s`. */
export function shownDuration(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  if (seconds < 1) return 'under 1s';
  const parts: Array<[number, string]> = [
    [Math.floor(seconds / 3600), 'h'],
    [Math.floor(seconds / 60) % 60, 'm'],
    [seconds % 60, 's'],
  ];
  const first = parts.findIndex(([n]) => n > 0);
  return parts
    .slice(first, first + 2)
    .filter(([n]) => n > 0)
    .map(([n, unit]) => `${n}${unit}`)
    .join(' ');
}
