import type { StateStore } from '../store/state-store';
import type { ExcludedLedgerEntry } from '../store/types';
import { PERSON_EXCLUSIONS } from '../validation/withdrawn-elsewhere';

// A run may export its list more than once: a re-export after a long pause or a late approval
// (docs/daily-sync.md, "A long pause"), or a retried export. Each export starts by forgetting the
// run's export exclusions (ledger.clearExclusions: they are keyed by selection row, and the rows of a
// new selection are numbered anew). Someone an earlier export excluded for a withdrawal made only in
// the CRM, whose row then left the selection (a CRM view that drops withdrawn contacts), would then be
// in no exclusion of the run at all, and a restore after a failure after the clear (yesterday's list
// minus the run's consent exclusions) would put them back: an opt-out reversed. So before the clear,
// each of those exclusions is kept in the run's ledger as an entry of its own that no later export
// clears, and the restore honours it like the export's (src/sync/restore/suppressed-since.ts).

/** The reason of a kept exclusion of an earlier export of the run; its `field` is the export's reason. */
export const EARLIER_EXPORT_EXCLUSION = 'earlier_export_exclusion';

/**
 * Row numbers of kept exclusions: -(EARLIER_EXPORT_ROW_BASE + n), n = 1, 2, ... in the order kept.
 * Negative, so clearExclusions keeps them (it forgets positive row numbers only), and far below the
 * refill's own exclusions (-(snapshot position), a position below a list's size) so neither takes the
 * other's number (an excluded entry is unique per run, list and row number).
 */
export const EARLIER_EXPORT_ROW_BASE = 2 ** 40;

/** Whether a ledger entry is a kept exclusion of an earlier export of its run. */
export function isEarlierExportExclusion(entry: { outcome: string; reason?: string }): boolean {
  return entry.outcome === 'excluded' && entry.reason === EARLIER_EXPORT_EXCLUSION;
}

/** The reasons kept: those that speak for the person, which the restore honours. */
const KEPT_REASONS: ReadonlySet<string> = PERSON_EXCLUSIONS;

/** Passes before giving up: another attempt of the same export taking a row number costs one more. */
const KEEP_PASSES = 3;

/** Kept exclusions per ledger write, as the export writes its own (FLUSH_EVERY): never the whole set in one call. */
export const KEEP_WRITE_SIZE = 1000;

/**
 * Keeps every person exclusion (PERSON_EXCLUSIONS: consent withdrawn, unsubscribed, bounced, a
 * re-grant that needs an opt-in) the run's exports have recorded so far for the list, before an
 * export clears them: one entry per exclusion not kept before (same reason, recipient id and entity).
 * Called first by every export; the run's first finds nothing. Idempotent: a retried attempt keeps
 * only what is not kept yet. Two attempts racing may take the same row number, which the ledger
 * records once; the write then records fewer than it was given, and the next pass finds the other's
 * exclusion missing and keeps it under a new number. Throws when that still fails, before anything
 * is cleared. Memory: one identity key per exclusion kept (the ledger is streamed twice per pass and
 * written KEEP_WRITE_SIZE entries at a time). Returns how many were kept by this call.
 */
export async function keepEarlierExportExclusions(store: Pick<StateStore, 'ledger'>, runId: string, listKey: string): Promise<number> {
  let kept = 0;
  for (let pass = 0; pass < KEEP_PASSES; pass += 1) {
    const { given, recorded } = await keepMissing(store, runId, listKey, await keptSoFar(store, runId, listKey));
    kept += recorded;
    // All recorded: nothing of ours lost to a racing attempt's number. Nothing given: all kept already.
    if (recorded === given) return kept;
  }
  throw new Error(`The earlier export exclusions of run ${runId}, list ${listKey} could not all be kept; nothing was cleared`);
}

/** The identities (reason and person) the run keeps already for the list, and the highest number they hold. */
async function keptSoFar(
  store: Pick<StateStore, 'ledger'>,
  runId: string,
  listKey: string,
): Promise<{ keys: Set<string>; lastNumber: number }> {
  const keys = new Set<string>();
  let lastNumber = 0;
  for await (const entry of store.ledger.stream(runId, { listKey })) {
    if (entry.outcome !== 'excluded' || !isEarlierExportExclusion(entry)) continue;
    keys.add(identity(entry, entry.field ?? ''));
    lastNumber = Math.max(lastNumber, -entry.rowNumber - EARLIER_EXPORT_ROW_BASE);
  }
  return { keys, lastNumber };
}

/**
 * Keeps the run's export person exclusions whose identity is not in `kept.keys` (once each), under
 * the numbers after `kept.lastNumber`, written as the stream goes. How many were given to the ledger
 * and how many it recorded (fewer when a racing attempt held one of the numbers).
 */
async function keepMissing(
  store: Pick<StateStore, 'ledger'>,
  runId: string,
  listKey: string,
  kept: { keys: Set<string>; lastNumber: number },
): Promise<{ given: number; recorded: number }> {
  let given = 0;
  let recorded = 0;
  let batch: ExcludedLedgerEntry[] = [];
  const write = async () => {
    recorded += await store.ledger.record(batch);
    batch = [];
  };
  // Entries this writes are not streamed back (new spans lie past the stream's ids), and one that
  // extends a kept span of the previous run is a kept entry, passed over below.
  for await (const entry of store.ledger.stream(runId, { listKey })) {
    if (entry.outcome !== 'excluded' || entry.rowNumber <= 0 || !KEPT_REASONS.has(entry.reason)) continue;
    const key = identity(entry, entry.reason);
    if (kept.keys.has(key)) continue;
    kept.keys.add(key);
    given += 1;
    batch.push({
      ...entry,
      rowNumber: -(EARLIER_EXPORT_ROW_BASE + kept.lastNumber + given),
      reason: EARLIER_EXPORT_EXCLUSION,
      field: entry.reason,
    });
    if (batch.length >= KEEP_WRITE_SIZE) await write();
  }
  if (batch.length > 0) await write();
  return { given, recorded };
}

function identity(entry: ExcludedLedgerEntry, reason: string): string {
  return [reason, entry.recipientId, entry.entityType, entry.entityId].join('\u0000');
}
