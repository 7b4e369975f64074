import type { SyncListConfig } from '../config/config-schema';
import type { Cell, OptimizelyPort } from '../optimizely/client/optimizely-port';
import { createLiveIndex, type LiveIndex } from '../plan/live-index';
import { planFields, type PlanFields } from '../plan/plan-fields';
import { readLiveList, type LiveListRead } from '../plan/read-live-list';
import { readLiveListInThread } from '../plan/read-live-list-in-thread';
import type { SnapshotWriter, StateStore } from '../store/state-store';
import type { KeptLedgerEntry, SnapshotRow } from '../store/types';
import type { Recipient } from '../validation/recipient';
import { AttributeTally, valueFeatures, type AttributeChanges } from '../sync/attribute-guard';
import { attributeNamesFor, TECHNICAL_FIELDS } from '../sync/recipient-batch';
import { classifyAgainstLive, type ReconcileCounts } from './classify';

/** Rows buffered per claim-check table write. */
const FLUSH_EVERY = 1000;

/**
 * Unchanged recipients per `kept` ledger write (one transaction). On the day after a fill each starts
 * a span: a random insert into four indexes of the ledger. Ten thousand per transaction write each
 * touched index page once per transaction, not once per thousand entries (on SQLite about a third of
 * the cost of thousand-entry writes), and hold the event loop for a fraction of a second.
 */
const KEPT_PER_LEDGER_WRITE = 10_000;

export interface DiffLiveListInput {
  store: StateStore;
  optimizely: OptimizelyPort;
  client: string;
  runId: string;
  list: SyncListConfig;
  attributeMapping: Record<string, string>;
  /**
   * The export's snapshot: the desired recipients, each id once. A promise when the export is still
   * running: the live list is read meanwhile, and the diff waits for the export after the read.
   */
  snapshotRef: string | Promise<string>;
  scratchDirectory?: string;
  signal?: AbortSignal;
  /** Called every page and every thousand recipients: the activity's heartbeat. */
  progress?: () => void;
}

/** The diff's counts and where its recipients wait: claim-check references, no recipient data. */
export interface ReconcileDiff extends ReconcileCounts {
  /** Recipient.getCount before the read, and the distinct ids the read gave. */
  liveCount: number;
  liveRead: number;
  /** Joiners (whole snapshot rows, sent by the refill's code), the changed (whole rows), the leavers ({recipientId, entity}). */
  addRef: string;
  updateRef: string;
  removeRef: string;
  /** The mapped attribute values of the recipients kept, against the live list (attribute-guard.ts): counts, no value. */
  attributeChanges: AttributeChanges;
}

/**
 * Reads the live list in full (the plan's reader, into a scratch SQLite index), compares the export's
 * snapshot with it and writes the three changes to snapshots of the run: what the reconcile then
 * applies batch by batch. Unchanged recipients are ledgered `kept` here; nothing in Optimizely changes.
 */
export async function diffLiveList(input: DiffLiveListInput): Promise<ReconcileDiff> {
  const fields = planFields(input.list, input.attributeMapping);
  const live = createLiveIndex({ directory: input.scratchDirectory });
  const meta = { client: input.client, listKey: input.list.key, runId: input.runId };
  const writers = [await input.store.snapshots.open(meta), await input.store.snapshots.open(meta), await input.store.snapshots.open(meta)];
  const [adds, updates, removes] = writers.map(bufferedWriter) as [Buffered, Buffered, Buffered];
  const kept: KeptLedgerEntry[] = [];
  const keep = async (r: Recipient) => {
    kept.push({
      runId: input.runId,
      listKey: input.list.key,
      recipientId: r.recipientId,
      entityType: r.entityType,
      entityId: r.entityId,
      outcome: 'kept',
      reason: 'unchanged',
    });
    if (kept.length >= KEPT_PER_LEDGER_WRITE) await input.store.ledger.record(kept.splice(0));
  };
  // The read stops with the caller's cancellation, or when the export it runs beside fails.
  const stop = linkedAbort(input.signal);
  const reading = readLive(input, fields, live, stop.signal);
  try {
    const [read, snapshotRef] = await bothOrStop(reading, Promise.resolve(input.snapshotRef), stop);
    const attributes = liveAttributeTally(fields, input.attributeMapping);
    const counts = await classifyAgainstLive({
      names: fields.names,
      desiredValues: fields.desiredValues,
      live,
      observeKept: attributes.observe,
      desired: snapshotRecipients(input.store, snapshotRef, input.progress),
      sink: {
        add: (r) => adds.push(r as unknown as SnapshotRow),
        update: (r) => updates.push(r as unknown as SnapshotRow),
        unchanged: keep,
        remove: (recipientId, values) => removes.push(leaverRow(recipientId, values)),
      },
    });
    if (kept.length > 0) await input.store.ledger.record(kept.splice(0));
    const [addRef, updateRef, removeRef] = await Promise.all([adds.finish(), updates.finish(), removes.finish()]);
    return {
      ...counts,
      liveCount: read.count,
      liveRead: read.rowsRead,
      addRef,
      updateRef,
      removeRef,
      attributeChanges: attributes.tally.result(),
    };
  } catch (error) {
    await Promise.all(writers.map((w) => w.abort().catch(() => undefined)));
    throw error;
  } finally {
    stop.abort();
    live.close();
  }
}

/**
 * The live list read into `live`: on a worker thread when the client can start one there (the SOAP
 * client can; fakes cannot), so the read's CPU work does not slow the export beside it.
 */
function readLive(input: DiffLiveListInput, fields: PlanFields, live: LiveIndex, signal: AbortSignal): Promise<LiveListRead> {
  const common = { listId: input.list.listId, index: live, signal, progress: input.progress };
  const spec = input.optimizely.threadSpec?.();
  if (spec === undefined) return readLiveList({ ...common, optimizely: input.optimizely, fields });
  return readLiveListInThread({ ...common, spec, list: input.list, attributeMapping: input.attributeMapping });
}

/** An AbortController that also aborts with `signal`. */
function linkedAbort(signal: AbortSignal | undefined): AbortController {
  const stop = new AbortController();
  if (signal?.aborted) stop.abort(signal.reason);
  else signal?.addEventListener('abort', () => stop.abort(signal.reason), { once: true });
  return stop;
}

/**
 * Both values; when either fails, the read is stopped and has settled (nothing writes to the scratch
 * index any more) before the failure is passed on.
 */
async function bothOrStop<A, B>(reading: Promise<A>, other: Promise<B>, stop: AbortController): Promise<[A, B]> {
  const [a, b] = await Promise.allSettled([reading, other.catch((error: unknown) => (stop.abort(error), Promise.reject(error)))]);
  if (b.status === 'rejected') throw b.reason;
  if (a.status === 'rejected') throw a.reason;
  return [a.value, b.value];
}

/**
 * The attribute guard's tally of a reconcile: every recipient on both sides is kept, its mapped
 * attributes' live values are what they held before, and it is updated when any compared value differs.
 */
export function liveAttributeTally(fields: PlanFields, attributeMapping: Record<string, string>) {
  const mapped = attributeNamesFor(attributeMapping).slice(TECHNICAL_FIELDS.length);
  // The compared values end with the mapped attributes, in the mapping's order.
  const first = fields.names.length - mapped.length;
  const tally = new AttributeTally('live-list', mapped);
  const observe = (desired: readonly Cell[], live: readonly Cell[], changed: boolean) => {
    tally.recipient(changed);
    for (let i = 0; i < mapped.length; i++) tally.value(i, valueFeatures(live[first + i]), desired[first + i]);
  };
  return { tally, observe };
}

/** A leaver: its id and the entity the live list carried (compared values: e-mail, then the technical fields). */
function leaverRow(recipientId: string, values: Cell[]): SnapshotRow {
  return { recipientId, entityType: values[4] ?? '', entityId: values[5] ?? '' };
}

async function* snapshotRecipients(store: StateStore, snapshotRef: string, progress?: () => void): AsyncGenerator<Recipient> {
  for await (const batch of store.snapshots.batches(snapshotRef)) {
    progress?.();
    yield* batch.rows as unknown as Recipient[];
  }
}

interface Buffered {
  push(row: SnapshotRow): Promise<void>;
  finish(): Promise<string>;
}

function bufferedWriter(writer: SnapshotWriter): Buffered {
  const rows: SnapshotRow[] = [];
  return {
    async push(row) {
      rows.push(row);
      if (rows.length >= FLUSH_EVERY) await writer.append(rows.splice(0));
    },
    async finish() {
      if (rows.length > 0) await writer.append(rows.splice(0));
      return (await writer.finish()).snapshotRef;
    },
  };
}
