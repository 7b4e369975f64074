// Which recipients of an addAll3 call a fault names. The service's faults echo the call's arguments
// (`… for call: recipientListId='100', recipientId='…'`); a refusal of one recipient's data naming it
// lets the refill try that recipient alone first. The server's text is hostile: only positions leave
// here (never the text or an id), and the refill checks every guess by sending, so a wrong or
// invented name costs calls, never a wrong outcome (src/sync/isolate-refusals.ts).

/** More named recipients than this is an echo of the whole call, not a pointer to the refused ones. */
const MAX_NAMED = 10;
const NAMED_ID = /recipientId='([^']{1,320})'/g;

/** Positions in `recipientIds` of the recipients the (already bounded) fault text names; empty when none or too many. */
export function recipientPositionsNamedIn(boundedFaultText: string, recipientIds: readonly string[]): number[] {
  const named = new Set<string>();
  for (const match of boundedFaultText.matchAll(NAMED_ID)) {
    named.add((match[1] as string).trim());
    if (named.size > MAX_NAMED) return [];
  }
  if (named.size === 0) return [];
  const positions = recipientIds.flatMap((id, i) => (named.has(id.trim()) ? [i] : []));
  return positions.length > MAX_NAMED ? [] : positions;
}
