import type { StateStore } from '../../store/state-store';
import type { ExcludedLedgerEntry, RunRecord, SnapshotRow } from '../../store/types';
import { suppressedSince } from './suppressed-since';
import { NOT_IN_TODAYS_EXPORT, readTodaysExport, type TodaysExport } from './todays-export';

const DAY_MS = 24 * 60 * 60 * 1000;

export interface PrepareRestoreInput {
  store: StateStore;
  client: string;
  /** The list as configured today: its consent (`optInId`, `mediaType`) may have changed since the last good run. */
  list: { key: string; listId: number; restoreMaxAgeDays: number; optInId: string; mediaType: string };
  /** The failed list sync. */
  runId: string;
  /** The restore's own run: its snapshot, exclusions and sent ledger live under it. */
  restoreRunId: string;
  now: Date;
  heartbeat?: (rows: number) => void;
}

/** A restore that can go ahead: its snapshot, where it came from and who was left out. */
export interface RestorePlan {
  restorable: true;
  snapshotRef: string;
  count: number;
  checksum: string;
  fromRunId: string;
  fromStartedAt: string;
  /** Recipients of the last good list left out, by reason. */
  suppressed: Record<string, number>;
}

export type PrepareRestoreResult = RestorePlan | { restorable: false; reason: string };

/**
 * Builds the restore of a list whose sync failed after its clear: the last good run's snapshot,
 * checked against its recorded checksum, minus `suppressedSince`, minus everyone an export of the run
 * does not hold (todays-export.ts), written as a new snapshot under
 * the restore's run; every left-out row is ledgered excluded with its reason and its position in
 * the last good snapshot. Not restorable without a last good run, when it started more than
 * `restoreMaxAgeDays` ago (its consent is too stale to put back unseen), when its snapshot is
 * gone or altered, or when the run's export does not read back (nobody's consent today is known).
 * Idempotent: a retried attempt forgets its exclusions and writes a new snapshot.
 */
export async function prepareRestore(input: PrepareRestoreInput): Promise<PrepareRestoreResult> {
  const { store, list } = input;
  const lastGood = await store.runs.lastGood(input.client, list.key);
  const refused = refusal(lastGood, input);
  if (refused) return { restorable: false, reason: refused };
  const from = lastGood as RunRecord & { snapshot: NonNullable<RunRecord['snapshot']> };
  try {
    await store.snapshots.verify(from.snapshot.snapshotRef, { count: from.snapshot.count, checksum: from.snapshot.checksum });
  } catch (error) {
    return {
      restorable: false,
      reason: `the last good run ${from.runId}'s snapshot cannot be read back as recorded: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
  const todays = await readTodaysExport(store, { client: input.client, listKey: list.key, runId: input.runId });
  if (!todays)
    return {
      restorable: false,
      reason: `the run ${input.runId} has no export that reads back as recorded: nobody's consent today is known`,
    };
  try {
    return await restoreSnapshot(input, from, todays);
  } finally {
    todays.close();
  }
}

/** Writes the restore snapshot: the last good rows that are still today's, each left-out row ledgered. */
async function restoreSnapshot(
  input: PrepareRestoreInput,
  from: RunRecord & { snapshot: NonNullable<RunRecord['snapshot']> },
  todays: TodaysExport,
): Promise<RestorePlan> {
  const { store, list } = input;
  await store.ledger.clearExclusions(input.restoreRunId, list.key);
  // Opened before the ledger is read: the refill asks the ledger again for what was recorded since
  // the snapshot's creation (src/sync/ledger-opt-outs.ts), so an opt-out in between is not missed.
  const writer = await store.snapshots.open({ client: input.client, listKey: list.key, runId: input.restoreRunId });
  const counts: Record<string, number> = {};
  try {
    const suppressed = await suppressedSince({
      store,
      client: input.client,
      listKey: list.key,
      listId: list.listId,
      runId: input.runId,
      crmWithdrawals: { optInId: list.optInId, mediaType: list.mediaType, since: from.startedAt },
    });
    for await (const batch of store.snapshots.batches(from.snapshot.snapshotRef)) {
      const kept: SnapshotRow[] = [];
      const left: ExcludedLedgerEntry[] = [];
      batch.rows.forEach((row, i) => {
        // The informative reasons first; absence from today's export only when nothing else explains it.
        const hit = otherConsent(row, list) ?? suppressed(row) ?? (todays.holds(row) ? undefined : NOT_IN_TODAYS_EXPORT);
        if (!hit) return void kept.push(row);
        counts[hit.reason] = (counts[hit.reason] ?? 0) + 1;
        left.push(excludedEntry(input, row, batch.offset + i + 1, hit));
      });
      if (kept.length > 0) await writer.append(kept);
      if (left.length > 0) await store.ledger.record(left);
      input.heartbeat?.(batch.offset + batch.rows.length);
    }
    const summary = await writer.finish();
    return { restorable: true, ...summary, fromRunId: from.runId, fromStartedAt: from.startedAt, suppressed: counts };
  } catch (error) {
    await writer.abort();
    throw error;
  }
}

/**
 * A row the last good run sent under another consent than the list has today: the configuration
 * changed the list's `optInId` or `mediaType` since (a reload between runs). Today's consent was
 * never checked for that person, so the row is left out as the export would exclude it; restoring it
 * would fill the list with people who never gave its consent.
 */
function otherConsent(row: SnapshotRow, list: PrepareRestoreInput['list']): { reason: string; field: string } | undefined {
  if (String(row.optInId ?? '') !== list.optInId) return { reason: 'consent_mismatch', field: 'opt_in_id' };
  if (String(row.mediaType ?? '').toLowerCase() !== list.mediaType.toLowerCase())
    return { reason: 'media_type_mismatch', field: 'media_type' };
  return undefined;
}

/** Why there is nothing to restore from, or undefined when the last good run may be restored. */
function refusal(lastGood: RunRecord | undefined, input: PrepareRestoreInput): string | undefined {
  if (!lastGood?.snapshot || lastGood.runId === input.runId) return `list ${input.list.key} has no last good run to restore`;
  const ageDays = (input.now.getTime() - Date.parse(lastGood.startedAt)) / DAY_MS;
  if (ageDays > input.list.restoreMaxAgeDays) {
    return `the last good run ${lastGood.runId} started ${lastGood.startedAt}, ${ageDays.toFixed(1)} days ago, more than restoreMaxAgeDays (${input.list.restoreMaxAgeDays})`;
  }
  return undefined;
}

function excludedEntry(
  input: PrepareRestoreInput,
  row: SnapshotRow,
  rowNumber: number,
  hit: { reason: string; field: string },
): ExcludedLedgerEntry {
  return {
    runId: input.restoreRunId,
    listKey: input.list.key,
    outcome: 'excluded',
    rowNumber,
    reason: hit.reason,
    field: hit.field,
    recipientId: String(row.recipientId ?? ''),
    entityType: String(row.entityType ?? ''),
    entityId: String(row.entityId ?? ''),
  };
}
