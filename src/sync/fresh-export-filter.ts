import type { StateStore } from '../store/state-store';
import type { SnapshotRow } from '../store/types';
import type { Recipient } from '../validation/recipient';

// After a long pause between refill chunks the list sync exports again (workflows/list-sync.ts,
// docs/daily-sync.md "A long pause"), and the chunks after it send only the rows of their snapshot
// whose recipient the re-export still holds: a consent withdrawn only in the CRM during the pause
// leaves the person out of the re-export, so out of what is sent. Both snapshots come from the same
// export code, so a recipient still selected has the same recipient id in both.

/** The recipient ids a re-export holds (one read of its snapshot per refill attempt; memory: one entry per recipient). */
export async function freshExportIds(store: Pick<StateStore, 'snapshots'>, freshRef: string): Promise<ReadonlySet<string>> {
  const info = await store.snapshots.get(freshRef);
  // A re-export that cannot be read is no proof of anyone's consent: nothing is sent against it.
  if (!info) throw new Error(`Re-export snapshot ${freshRef} not found: no row is sent without it`);
  const ids = new Set<string>();
  let read = 0;
  for await (const batch of store.snapshots.batches(freshRef)) {
    for (const row of batch.rows) ids.add(recipientIdOf(row));
    read += batch.rows.length;
  }
  if (read !== info.count) throw new Error(`Re-export snapshot ${freshRef} read ${read} rows of ${info.count}`);
  return ids;
}

/**
 * The batch positions (ascending) not yet left out (`left`) whose recipient the re-export does not
 * hold; with no re-export (`fresh` undefined), none.
 */
export function notInFreshExport(
  rows: readonly SnapshotRow[],
  fresh: ReadonlySet<string> | undefined,
  left: ReadonlySet<number>,
): number[] {
  if (!fresh) return [];
  return rows.flatMap((row, i) => (!left.has(i) && !fresh.has(recipientIdOf(row)) ? [i] : []));
}

/**
 * Why a row left out for the re-export is ledgered (refillExclusionEntries): excluded
 * `not_in_fresh_export` by the refill, so each is accounted for in the run's ledger and `why` whether
 * or not the re-export excluded them (they may have left the selection) and whatever a later
 * re-export records (ledger.clearExclusions keeps the refill's exclusions).
 */
export const NOT_IN_FRESH_EXPORT = { reason: 'not_in_fresh_export', field: 're-export' } as const;

function recipientIdOf(row: SnapshotRow): string {
  return String((row as unknown as Recipient).recipientId);
}
