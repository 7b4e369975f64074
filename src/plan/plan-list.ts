import type { SyncListConfig } from '../config/config-schema';
import type { CrmPort } from '../crm/crm-port';
import type { OptimizelyPort } from '../optimizely/client/optimizely-port';
import type { StateStore } from '../store/state-store';
import { listSuppression, refusedBeforeLookup } from '../sync/export-to-snapshot';
import { guardReasons } from '../sync/guard';
import { unsubscribeCounter } from '../sync/unsubscribe-check';
import type { SnapshotRow } from '../store/types';
import { REFILL_BATCH_SIZE } from '../../workflows/refill-batch';
import { exportAndValidate } from '../validation/export-and-validate';
import type { ListRules } from '../validation/list-rules';
import { startDiff, type DiffCounts, type DiffEntry } from './diff';
import { createLiveIndex } from './live-index';
import { planFields } from './plan-fields';
import { readLiveList } from './read-live-list';

export interface PlanListInput {
  client: string;
  list: SyncListConfig;
  rules: ListRules;
  crm: CrmPort;
  /** Read only: the suppression ledger and the last good run. */
  store: StateStore;
  optimizely: OptimizelyPort;
  /** Each add, remove and update, in that order per kind (the CSV). */
  onEntry?: (entry: DiffEntry) => void | Promise<void>;
  scratchDirectory?: string;
  now?: () => Date;
  pageSize?: number;
  signal?: AbortSignal;
}

export interface PlanReport {
  listKey: string;
  listId: number;
  crm: { rowsRead: number; accepted: number; excluded: Record<string, number>; sanitizedRows: number; suppressed: Record<string, number> };
  optimizely: { count: number; rowsRead: number; pages: number; rereads: number };
  diff: DiffCounts;
  /** `optimizelyUnsubscribed`: accepted recipients Optimizely's unsubscribe list holds (the refill leaves them out). */
  guard: { verdict: 'pass' | 'hold'; reasons: string[]; lastGoodCount?: number; optimizelyUnsubscribed: number };
  /** Things the operator should know about the figures (e.g. the list moved while it was read). */
  warnings: string[];
}

/**
 * What the next refresh of a list would change, computed with the nightly export's own code (CRM
 * selection, validation, suppression ledger, sendability, de-duplication) against the live list read
 * in full. Changes nothing: Optimizely is only read (getCount, getAllAdvancedFlat, and
 * Unsubscribe.containsAll for the guard's count, as the nightly export asks it), the CRM only
 * exported, the state store only read (no snapshot, no ledger rows, no watermark).
 */
export async function planList(input: PlanListInput): Promise<PlanReport> {
  const { list, rules } = input;
  const fields = planFields(list, rules.attributes);
  const live = createLiveIndex({ directory: input.scratchDirectory });
  try {
    const read = await readLiveList({
      optimizely: input.optimizely,
      listId: list.listId,
      fields,
      index: live,
      pageSize: input.pageSize,
      signal: input.signal,
    });
    const diff = startDiff(fields.names, live, input.onEntry);
    // The nightly guard's count before the clear (exportList): how many of the accepted recipients
    // Optimizely's unsubscribe list holds, asked batch by batch as the refill would (read-only).
    const unsubscribes = unsubscribeCounter(input.optimizely);
    let batch: SnapshotRow[] = [];
    const askBatch = async () => {
      const rows = batch;
      batch = [];
      if (rows.length > 0) await unsubscribes.ask(rows);
    };
    const counts = await exportAndValidate({
      crm: input.crm,
      rules,
      suppression: await listSuppression({ client: input.client, list, rules, store: input.store, now: input.now }),
      refusedBefore: (await refusedBeforeLookup({ client: input.client, rules, store: input.store })).lookup,
      scratchDirectory: input.scratchDirectory,
      // Accepted rows come sorted and de-duplicated: each recipient id once.
      accepted: {
        write: async ({ recipient }) => {
          batch.push(recipient as unknown as SnapshotRow);
          if (batch.length >= REFILL_BATCH_SIZE) await askBatch();
          return diff.desired({ recipientId: recipient.recipientId, values: fields.desiredValues(recipient) });
        },
      },
      excluded: { write: () => undefined },
    });
    const changes = await diff.finish();
    await askBatch();
    const optimizelyUnsubscribed = await unsubscribes.total();
    const excluded = nonZero(counts.excluded);
    const lastGood = await input.store.runs.lastGood(input.client, list.key);
    const lastGoodCount = lastGood?.snapshot?.count;
    const reasons = guardReasons(list.guard, {
      count: counts.accepted,
      rowsRead: counts.rowsRead,
      excluded,
      sanitizedRows: counts.sanitizedRows,
      lastGoodCount,
      // As the list sync's guard: on a first run the live list (just counted) is the baseline.
      ...(lastGoodCount === undefined ? { liveCount: { value: read.count } } : {}),
      optimizelyUnsubscribed,
    });
    return {
      listKey: list.key,
      listId: list.listId,
      crm: {
        rowsRead: counts.rowsRead,
        accepted: counts.accepted,
        excluded,
        sanitizedRows: counts.sanitizedRows,
        suppressed: nonZero(counts.suppressed),
      },
      optimizely: { count: read.count, rowsRead: read.rowsRead, pages: read.pages, rereads: read.rereads },
      diff: changes,
      guard: {
        verdict: reasons.length > 0 ? 'hold' : 'pass',
        reasons,
        ...(lastGoodCount === undefined ? {} : { lastGoodCount }),
        optimizelyUnsubscribed,
      },
      warnings: readWarnings(read),
    };
  } finally {
    live.close();
  }
}

function readWarnings(read: { rereads: number }): string[] {
  // A read that never joined up is refused (an error), so the figures always come from a consistent one.
  return read.rereads > 0 ? [`the list changed while it was read and was read again ${read.rereads} time(s) until it held still`] : [];
}

function nonZero(counts: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(counts).filter(([, n]) => n > 0));
}
