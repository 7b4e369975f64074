/**
 * The summary's lines about recipients of the export the refill left out (daily summary and `report`):
 * opted out before addAll3, and, after a long pause, no longer in the re-export (docs/daily-sync.md, "A long pause").
 */
export function leftOutAtRefillLines(counts: Record<string, number>): string[] {
  const lines: string[] = [];
  if (counts.unsubscribedAtRefill)
    lines.push(
      `  left out at the refill ${counts.unsubscribedAtRefill}: opted out (Optimizely's unsubscribe list or the suppression ledger, checked before addAll3)`,
    );
  if (counts.notInFreshExport)
    lines.push(
      `  left out after a long pause ${counts.notInFreshExport}: no longer in the re-export (consent withdrawn in the CRM, or out of the selection)`,
    );
  return lines;
}
