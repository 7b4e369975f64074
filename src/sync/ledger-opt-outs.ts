import type { StateStore } from '../store/state-store';
import type { ExcludedLedgerEntry, SnapshotRow } from '../store/types';
import type { Recipient } from '../validation/recipient';
import { storedKeyForms, suppressionKey } from '../validation/suppressions';
import { refillExclusionEntry } from './refill-exclusion-entries';

// The refill's own look at the suppression ledger. The export (and a restore's preparation) read the
// ledger once, before their snapshot was written; the refill of that snapshot runs later (after the
// guard, the clear, a restore's wait, minutes to hours of batches). An unsubscribe or bounce recorded
// in between (a dropped file or a list sync's feedback import, response ingestion, another list's
// unsubscribe check) would otherwise be sent back into the list: on an opt-in list addAll3 even
// re-activates an unsubscribed recipient. So every refill attempt asks the ledger for what was
// recorded since its snapshot was started, and leaves those people out (docs/daily-sync.md,
// "Opt-outs recorded during the refill").

/**
 * How far before the snapshot's creation the refill looks. The export opens its snapshot and then
 * reads the ledger, but an import may have stamped its recording time a moment before and committed
 * only after that read, and the recording times come from the clock of whichever worker recorded
 * them: the margin covers both. Reading a little too far back only asks again about opt-outs the
 * export applied already (their people are not in the snapshot); the one cost is a CRM re-grant the
 * export let through (`allowResubscribe`) of an unsubscribe first recorded in that minute: left out
 * today, decided by the next export.
 */
export const OPT_OUT_LOOKBACK_MS = 60 * 1000;

/** The `field` of such a refill exclusion: the source that decided it, as the unsubscribe check's is `optimizely`. */
export const LEDGER_SOURCE = 'suppression_ledger';

/** The key (as stored) of the ledger's opt-out a snapshot row matched, by its recipient id or its address. */
export type LedgerHit = { key: string };

/** Which snapshot row the ledger now holds an opt-out for; undefined for everyone else. */
export type LedgerOptOuts = (row: SnapshotRow) => LedgerHit | undefined;

/**
 * The refill attempt's watch over the ledger: `refresh` asks for what was recorded since the last
 * ask (the first time: since the snapshot, see ledgerOptOutsSince) and is called before each batch,
 * so an opt-out recorded while the attempt sends its earlier batches (up to a hundred, minutes)
 * keeps a person of a later batch out; `optOuts` matches a row against everything asked so far.
 */
export interface LedgerOptOutWatch {
  refresh(): Promise<void>;
  optOuts: LedgerOptOuts;
}

/**
 * The opt-outs concerning a list (its own unsubscribes, client-wide ones, bounces) first recorded
 * since its snapshot, or the run's export snapshot if that came first, was started, and from then on
 * at each `refresh`. Matched like the export: recipient id and address by `suppressionKey`, each
 * stored key in its stored and today's form. An unsubscribe recorded after the export is never
 * weighed against a CRM re-grant here (the refill has no CRM row): the next export decides that, on
 * the side of the person until then. Each refresh reads from one margin before the previous ask
 * began (`recorded_at` is indexed per client, migration 12), so it costs a range of the last minute or so.
 * Memory: one entry per key recorded since.
 */
export async function ledgerOptOutsSince(
  store: Pick<StateStore, 'runs' | 'snapshots' | 'suppressions'>,
  input: { client: string; listId: number; runId: string; snapshotRef: string },
): Promise<LedgerOptOutWatch> {
  const startedAt = await exportStartedAt(store, input);
  // An unknown snapshot fails the refill's first read anyway; nothing is sent from it.
  if (startedAt === undefined) return { refresh: async () => undefined, optOuts: () => undefined };
  let since = startedAt - OPT_OUT_LOOKBACK_MS;
  // Today's form of a key -> the key as stored (the ledger is asked by the stored one).
  const stored = new Map<string, string>();
  const refresh = async () => {
    // The clock the store stamps `recorded_at` with (not a run's injected one); the margin covers other workers'.
    const askedAt = Date.now();
    const recorded = await store.suppressions.recordedSince(input.client, input.listId, new Date(since).toISOString());
    for (const { recipientKey } of recorded) for (const key of storedKeyForms(recipientKey)) stored.set(key, recipientKey);
    // Batches ask concurrently: the window only ever moves forward.
    since = Math.max(since, askedAt - OPT_OUT_LOOKBACK_MS);
  };
  const optOuts: LedgerOptOuts = (row) => {
    if (stored.size === 0) return undefined;
    const r = row as unknown as Recipient;
    for (const value of [r.recipientId, r.email]) {
      const key = stored.get(suppressionKey(String(value ?? '')));
      if (key !== undefined) return { key };
    }
    return undefined;
  };
  return { refresh, optOuts };
}

/**
 * When the ledger was read for what this snapshot holds: the creation of the snapshot, or of the
 * run's export snapshot when that came first (a reconcile's joiners are a snapshot of their own,
 * written after the live list was read, minutes after the export). Undefined for an unknown snapshot.
 */
async function exportStartedAt(
  store: Pick<StateStore, 'runs' | 'snapshots'>,
  input: { runId: string; snapshotRef: string },
): Promise<number | undefined> {
  const own = await store.snapshots.get(input.snapshotRef);
  if (!own) return undefined;
  const exportRef = (await store.runs.get(input.runId))?.snapshot?.snapshotRef;
  const exported = exportRef && exportRef !== input.snapshotRef ? await store.snapshots.get(exportRef) : undefined;
  return Math.min(Date.parse(own.createdAt), exported ? Date.parse(exported.createdAt) : Infinity);
}

/** The rows of a batch left out for an opt-out the ledger recorded since the snapshot, and their ledger entries. */
export interface LedgerCheckedBatch {
  /** Batch positions (0-based) left out, ascending. */
  positions: number[];
  entries: ExcludedLedgerEntry[];
}

/**
 * The rows of a batch (given by their batch positions) that `optOuts` holds, as excluded ledger
 * entries: `bounced` when the key has a bounce, else `unsubscribed`, field `suppression_ledger`. Row
 * numbers are the negated 1-based snapshot positions, as for the unsubscribe check's exclusions: no
 * selection row, unique in the run and list (a position is left out for one reason only).
 */
export async function ledgerOptOutsOf(
  store: Pick<StateStore, 'suppressions'>,
  optOuts: LedgerOptOuts,
  snapshotRows: readonly SnapshotRow[],
  positions: readonly number[],
  ref: { client: string; runId: string; listKey: string; batchNo: number },
): Promise<LedgerCheckedBatch> {
  const out: LedgerCheckedBatch = { positions: [], entries: [] };
  for (const position of positions) {
    const row = snapshotRows[position] as SnapshotRow;
    const hit = optOuts(row);
    if (!hit) continue;
    // Hits are few (people who opted out during one refill): the kind is asked per hit.
    const events = await store.suppressions.events(ref.client, hit.key);
    out.positions.push(position);
    const reason = events.some((e) => e.kind === 'bounce') ? 'bounced' : 'unsubscribed';
    out.entries.push(refillExclusionEntry(row, position, ref, { reason, field: LEDGER_SOURCE }));
  }
  return out;
}
