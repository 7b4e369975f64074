/** One line for the summary and `report` of a reconcile run (run counts flattened); undefined for a refresh. */
export function reconcileText(counts: Record<string, number>): string | undefined {
  const n = (key: string) => counts[`reconcile.${key}`] ?? 0;
  if (counts['reconcile.add'] === undefined) return undefined;
  const gone = n('notOnList') > 0 ? ` (${n('removed')} removed, ${n('notOnList')} no longer on the list)` : '';
  const readBack = counts['reconcile.fullVerifiedAtMs'] === undefined ? '' : '; read back in full: exact';
  return (
    `strategy reconcile, no clear (window 0 s): live list ${n('liveRead')} read; ` +
    `add ${n('add')}, remove ${n('remove')}${gone}, update ${n('update')}, unchanged ${n('unchanged')}${readBack}`
  );
}
